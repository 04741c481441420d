#!/usr/bin/env bash
# Installs the Debian packages Stratus builds and runs with, skipping what is already there.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsodium-dev libseccomp-dev libarchive-dev libcurl4-openssl-dev libsqlite3-dev libcli11-dev
  libssl-dev libpq-dev libexpat1-dev
  postgresql  # the real PostgreSQL server the store tests start a throwaway cluster of
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 procps
  python3-aiosmtpd openssl  # the real SMTP server the mail tests deliver to, and its test certificate
  curl  # a provided-runtime test's shell bootstrap speaks the Runtime API with it
  docker.io debootstrap  # the docker executor's daemon, and what builds its runtime images
  qemu-system-x86  # runs the nanos executor's VMs (the Nanos kernel itself is never installed here)
  autoconf automake libtool  # aws-lambda-ric (tests/fixtures/ric) builds its bundled C libraries
)
# The nodejs20 runtime runs /usr/bin/node; Debian's nodejs package provides one when the
# machine has none of its own.
[ -x /usr/bin/node ] || packages+=(nodejs)
# npm installs and builds the web dashboard (scripts/build-web.sh).
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
if ! "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"; then
  "${sudo_cmd[@]}" apt-get update
  "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi
