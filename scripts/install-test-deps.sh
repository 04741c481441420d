#!/usr/bin/env bash
# What the test tiers need beyond the build: the npm packages of the local services the
# integration tests talk to, each a fixture folder with its own lockfile:
#   tests/fixtures/oauth  the OpenID Connect provider the sign-in tests use
#   tests/fixtures/s3     the S3 server (s3rver) the blob store tests use
#   tests/fixtures/ric    AWS's Node.js runtime interface client, a provided function's
#                         bootstrap in the engine tests (builds native code: a few minutes,
#                         once per machine)
#   tests/fixtures/sigv4  the AWS SDK for JavaScript v3 (@aws-sdk/client-lambda): signs
#                         requests for the SigV4 verifier tests and drives the Lambda API e2e
#   tests/fixtures/browser  playwright-core, which drives Debian's chromium (installed here
#                         too) through the dashboard's end-to-end test
# The SMTP server (python3-aiosmtpd) and PostgreSQL are Debian packages, installed by
# install-deps.sh. A fixture installs again only when its lockfile changed.
set -euo pipefail
cd "$(dirname "$0")/.."

for fixture in tests/fixtures/oauth tests/fixtures/s3 tests/fixtures/ric tests/fixtures/sigv4 \
    tests/fixtures/browser; do
  [ -f "$fixture/package-lock.json" ] || continue
  stamp=$fixture/node_modules/.stratus-lock-sha256
  want=$(sha256sum "$fixture/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then continue; fi
  if ! command -v npm >/dev/null; then
    echo "npm is missing: the tests that need $fixture will skip" >&2
    continue
  fi
  echo "installing the packages of $fixture"
  npm ci --prefix "$fixture" --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
done

# The browser the dashboard test drives. Playwright cannot download its own builds here;
# Debian's chromium is what playwright-core launches (tests/fixtures/browser).
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "installing: chromium"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends chromium fonts-liberation; then
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends chromium fonts-liberation
  fi
fi
