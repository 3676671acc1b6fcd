#!/usr/bin/env bash
# The main job (README): install what is missing, build, then check and time every
# shape of a small built-in list in both layouts with `gsconv run --check --repeat`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bash tools/install-deps.sh
cmake -S . -B build/main -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/main -j"$(nproc)" >/dev/null
shapes=(
  g3mb1ic240ih28oc60oh28kh1sg3
  g60mb1ic60ih28oc60oh28kh3ph1
  g3mb1ic60ih28oc240oh28kh1
  g32mb1ic128ih56oc128oh56kh3ph1
  g2mb1ic96ih27oc256oh27kh5ph2
)
status=0
for s in "${shapes[@]}"; do
  for layout in nchw nhwc; do
    build/main/gsconv run "$s" --layout "$layout" --check --repeat 20 || status=1
  done
done
exit $status
