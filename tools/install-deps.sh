#!/usr/bin/env bash
# Installs the Debian 12 packages gsconv needs to build, test and benchmark.
# Idempotent: only missing packages are installed (needs root, or sudo).
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libhwloc-dev libcpuid-dev libjansson-dev
  libbenchmark-dev libbenchmark-tools
  libdnnl-dev libxnnpack-dev libpthreadpool-dev libopenblas-dev
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  python3 python3-numpy python3-scipy
  chromium
)
if [ "${1:-}" = "--print" ]; then printf '%s\n' "${packages[@]}"; exit 0; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && { echo "install-deps: all ${#packages[@]} packages present"; exit 0; }

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
