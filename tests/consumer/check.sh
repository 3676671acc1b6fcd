#!/usr/bin/env bash
# Builds tests/consumer against an installed gsconv at $1, via CMake's find_package and
# via pkg-config, and runs both; also runs the installed CLI.
set -euo pipefail
prefix=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake -S "$here" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
pc_dir=$(dirname "$(find "$prefix" -name gsconv.pc | head -n1)")
libdir=$(dirname "$pc_dir")
LD_LIBRARY_PATH="$libdir:${LD_LIBRARY_PATH:-}" "$work/cmake/consumer"
export PKG_CONFIG_PATH="$pc_dir"
cc "$here/consumer.c" -o "$work/consumer-pc" $(pkg-config --cflags --libs gsconv) -Wl,-rpath,"$libdir"
"$work/consumer-pc"
"$prefix/bin/gsconv" --help >/dev/null 2>&1 || { echo "installed gsconv CLI does not run"; exit 1; }
echo "consumer: find_package, pkg-config and installed CLI ok"
