#!/usr/bin/env bash
# The test command (README): installs what is missing, then
#   1. native build with -Wall -Wextra -Werror, all tests (incl. the sweep capped at
#      avx2 and scalar so lower ISAs are exercised on this CPU);
#   2. the same under AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. kernels/ and its tests cross-built for aarch64 and run under qemu-aarch64;
#   4. install into a temporary prefix and build a tiny consumer with CMake and
#      pkg-config against it.
# Usage: bash tests/run.sh [--quick]   (--quick skips the sanitizer and aarch64 stages)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
quick=0
[ "${1:-}" = "--quick" ] && quick=1
jobs=$(nproc)

bash tools/install-deps.sh

stage() { printf '\n=== %s ===\n' "$*"; }

stage "native build (-Werror)"
cmake -S . -B build/test-native -DCMAKE_BUILD_TYPE=Release -DGSCONV_WERROR=ON
cmake --build build/test-native -j"$jobs"
(cd build/test-native && ctest --output-on-failure -j"$jobs")

if [ $quick = 0 ]; then
  stage "AddressSanitizer + UndefinedBehaviorSanitizer"
  cmake -S . -B build/test-asan -DCMAKE_BUILD_TYPE=Debug -DGSCONV_SANITIZE=ON -DGSCONV_WERROR=ON
  cmake --build build/test-asan -j"$jobs"
  (cd build/test-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs")

  stage "aarch64 (NEON) cross build, tests under qemu-aarch64"
  cmake -S . -B build/test-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
        -DGSCONV_KERNELS_ONLY=ON -DGSCONV_WERROR=ON -DCMAKE_BUILD_TYPE=Release
  cmake --build build/test-arm64 -j"$jobs"
  (cd build/test-arm64 && ctest --output-on-failure -j"$jobs")
fi

stage "install + consumer"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build/test-native --prefix "$prefix"
bash tests/consumer/check.sh "$prefix"

stage "all stages passed"
