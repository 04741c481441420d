#!/usr/bin/env bash
# What the test tiers need beyond the build: the npm packages of the local identity
# provider the OAuth tests sign in against (tests/fixtures/oauth). The SMTP server the mail
# tests use (python3-aiosmtpd) is a Debian package, installed by install-deps.sh.
# Installs again only when the lockfile changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

fixture=tests/fixtures/oauth
stamp=$fixture/node_modules/.stratus-lock-sha256
want=$(sha256sum "$fixture/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: the OAuth integration tests will skip" >&2
  exit 0
fi
echo "installing the OAuth test provider's packages"
npm ci --prefix "$fixture" --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
