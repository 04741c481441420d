#!/usr/bin/env bash
# Builds the docker executor's runtime images (stratus/python3.11, stratus/nodejs) on this
# machine from Debian packages, with `stratus runtimes build`; nothing is pulled. Images
# already built from the current recipe are kept, so a second run takes about a second;
# the first takes a minute or two per image. Starts dockerd when no daemon answers.
#
#   scripts/build-runtime-images.sh [STRATUS_BINARY] [stratus runtimes build flags...]
#
# STRATUS_BINARY defaults to build/src/stratus; flags are e.g. --runtime nodejs, --force.
# Needs root (debootstrap), and sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

stratus=build/src/stratus
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  stratus=$1
  shift
fi
if [ ! -x "$stratus" ]; then
  echo "no stratus binary at $stratus: build it first (make build)" >&2
  exit 1
fi

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

ping_daemon() {
  "${sudo_cmd[@]}" curl -sf --max-time 2 --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1
}

if [ -z "${DOCKER_HOST:-}" ] && ! ping_daemon; then
  if ! command -v dockerd >/dev/null && [ ! -x /usr/sbin/dockerd ]; then
    echo "docker is not installed: scripts/install-deps.sh installs it (docker.io)" >&2
    exit 1
  fi
  log=$(mktemp -t stratus-dockerd-XXXXXX.log)
  echo "starting dockerd in the background (log: $log)"
  # As the service would run it: never with --bridge=none, which deletes docker0.
  "${sudo_cmd[@]}" setsid dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    ping_daemon && break
    sleep 0.5
  done
  ping_daemon || { echo "dockerd did not answer within 60 s; see $log" >&2; exit 1; }
fi

exec "${sudo_cmd[@]}" "$stratus" runtimes build "$@"
