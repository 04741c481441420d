#!/usr/bin/env bash
# What `make bench` needs beyond the build:
#   wrk                     the load generator (Debian package), installed only when missing
#   bench/fixtures/workerd  Cloudflare's workerd from npm, the engine benchmark's baseline;
#                           installed again only when its lockfile changed
# Docker is optional: the engine benchmark compares the clone's route with `docker run
# --rm` when a docker daemon answers, and reports that comparison as skipped, with the
# reason, when none does. This script only says which it will be.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  echo "installing: wrk"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends wrk; then
    "${sudo_cmd[@]}" apt-get update
    "${sudo_cmd[@]}" apt-get install -y --no-install-recommends wrk
  fi
fi

fixture=bench/fixtures/workerd
stamp=$fixture/node_modules/.stratus-lock-sha256
want=$(sha256sum "$fixture/package-lock.json" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  :
elif ! command -v npm >/dev/null; then
  echo "npm is missing: the engine benchmark will report workerd as not available" >&2
else
  echo "installing the packages of $fixture"
  npm ci --prefix "$fixture" --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if ! command -v docker >/dev/null; then
  echo "docker is not installed: the engine benchmark will skip its docker comparison" >&2
elif ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  echo "the docker daemon does not answer: the engine benchmark will skip its docker comparison" >&2
fi
