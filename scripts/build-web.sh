#!/usr/bin/env bash
# Builds the dashboard (web/) into the folder given, which `stratus serve` then serves:
# the build tree's src/stratus finds it as ../web. Installs web/'s npm packages first
# when its lockfile changed (the stamp is the lockfile's hash, as for the test fixtures).
# Called by CMake's `web` target; usable by hand: scripts/build-web.sh OUT_DIR
set -euo pipefail
out=${1:?usage: build-web.sh OUT_DIR}
cd "$(dirname "$0")/../web"

stamp=node_modules/.stratus-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing the dashboard's packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
# Type errors fail the build, as they would in C++.
npx --no-install tsc --noEmit
npx --no-install vite build --logLevel warn --outDir "$out" --emptyOutDir
