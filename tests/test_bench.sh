#!/usr/bin/env bash
# gsconv-bench end to end, in three steps (CMake fixtures share the output):
#   smoke   DIR GSCONV   `gsconv bench smoke` (through the CLI's exec of gsconv-bench), with
#                        the peers, min time 0.01 s: exit 0, every gsconv result checked,
#                        Google Benchmark JSON + model totals; the single-run report
#   compare DIR COMPARE_PY  Google Benchmark's compare.py accepts the JSON (needs python3
#                        with numpy + scipy: Debian python3-scipy; skipped (77) if missing)
#   render  DIR GSCONV   the HTML report renders in Debian's headless Chromium and the
#                        screenshot is not blank (skipped (77) without chromium)
set -u
step=$1
dir=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$dir"
case $step in
smoke)
  gsconv=$3
  rm -f "$dir/smoke.json"
  start=$(date +%s%N)
  GSCONV_CACHE="$dir/wisdom.json" "$gsconv" bench smoke --peers --min-time 0.01 \
    --out "$dir/smoke.json" >"$dir/smoke.out" 2>"$dir/smoke.err"
  rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  echo "smoke bench: exit $rc in $ms ms"
  tail -4 "$dir/smoke.out"
  [ $rc -eq 0 ] || { cat "$dir/smoke.err"; exit 1; }
  grep -q "Smoke (nchw), all convolutions: gsconv" "$dir/smoke.out" || { echo "FAIL: no model totals"; exit 1; }
  grep -q '"gsconv_model_totals"' "$dir/smoke.json" || { echo "FAIL: no totals in the JSON"; exit 1; }
  grep -q '"smoke/g2mb1ic8ih8oc8oh8kh3ph1/nhwc/gsconv:tuned/real_time"' "$dir/smoke.json" ||
    { echo "FAIL: benchmark names"; exit 1; }
  if grep -q '"error_message".*wrong result' "$dir/smoke.json"; then echo "FAIL: a wrong result"; exit 1; fi
  # the shuffled layer also times conv + standalone shuffle, the shuffle alone and a copy
  for be in gsconv:unfused shuffle:gsconv shuffle:copy; do
    grep -q "\"smoke/g4mb1ic16ih6oc8oh6kh1sg2/nchw/$be/real_time\"" "$dir/smoke.json" ||
      { echo "FAIL: no $be benchmark"; exit 1; }
  done
  if grep -q '"smoke/g2mb1ic8ih8oc8oh8kh3ph1/nchw/shuffle:' "$dir/smoke.json"; then
    echo "FAIL: a shuffle benchmark for a layer without a shuffle"; exit 1
  fi
  grep -q "its 1 layer(s) with a shuffle: fused .* ms, conv + standalone shuffle .* standalone shuffles .* of copy bandwidth" \
    "$dir/smoke.out" || { echo "FAIL: no shuffle totals line"; exit 1; }
  if grep "Smoke (nchw), all convolutions" "$dir/smoke.out" | grep -q "unfused\|shuffle:"; then
    echo "FAIL: shuffle-only backends in the model totals"; exit 1
  fi
  # meant to take a few seconds (10 s budget); only a gross overrun fails, as the machine
  # may be busy
  if [ $ms -gt 60000 ]; then echo "FAIL: the smoke bench took $ms ms"; exit 1; fi
  [ $ms -le 10000 ] || echo "note: the smoke bench took more than 10 s ($ms ms)"
  if ls "$dir"/smoke.json.partial-* >/dev/null 2>&1; then echo "FAIL: a partial file left by a finished run"; exit 1; fi
  # an interrupted run leaves the file it would replace as it was (its own output goes
  # to OUT.partial-PID until the end)
  echo '{"keep": "me"}' >"$dir/keep.json"
  GSCONV_CACHE="$dir/wisdom.json" timeout -s INT 3 "$gsconv" bench smoke --min-time 1 \
    --out "$dir/keep.json" >/dev/null 2>&1
  [ "$(cat "$dir/keep.json")" = '{"keep": "me"}' ] || { echo "FAIL: an interrupted run overwrote --out"; exit 1; }
  rm -f "$dir/keep.json" "$dir"/keep.json.partial-*
  # --repetitions: a layer's benchmarks take turns (tuned, ref, tuned, ref, ...), each a run
  # of its own in the JSON, and the report takes the median of them
  GSCONV_CACHE="$dir/wisdom.json" "$gsconv" bench g2mb1ic8ih8oc8oh8kh3ph1 --layout nchw \
    --variants tuned,ref --repetitions 3 --min-time 0.01 --out "$dir/reps.json" >/dev/null 2>&1 ||
    { echo "FAIL: bench --repetitions 3"; exit 1; }
  seq=$(grep -o '"run_name": "[^"]*"' "$dir/reps.json" | sed 's/.*nchw\/\([^/]*\)\/.*/\1/' | tr '\n' ' ')
  [ "$seq" = "gsconv:tuned gsconv:ref gsconv:tuned gsconv:ref gsconv:tuned gsconv:ref " ] ||
    { echo "FAIL: repetitions not in turn: $seq"; exit 1; }
  "$gsconv" report "$dir/reps.json" | grep -q "g2mb1ic8ih8oc8oh8kh3ph1" || { echo "FAIL: report of --repetitions 3"; exit 1; }
  "$gsconv" report "$dir/smoke.json" >"$dir/smoke.md" || { echo "FAIL: report of the run"; exit 1; }
  grep -q "## Smoke (nhwc)" "$dir/smoke.md" || { echo "FAIL: report sections"; exit 1; }
  grep -q "^| Smoke | \`g4mb1ic16ih6oc8oh6kh1sg2\` | nchw | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]* | [0-9]*% |" \
    "$dir/smoke.md" || { echo "FAIL: report: channel shuffle table"; exit 1; }
  echo "ok"
  ;;
compare)
  compare=$3
  py=/usr/bin/python3
  if [ ! -f "$compare" ]; then echo "SKIP: compare.py not found (Debian libbenchmark-tools)"; exit 77; fi
  if ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
    echo "SKIP: $py has no numpy/scipy (Debian python3-scipy)"; exit 77
  fi
  [ -f "$dir/smoke.json" ] || { echo "FAIL: no smoke.json (the smoke step failed)"; exit 1; }
  "$py" "$compare" benchmarks "$dir/smoke.json" "$dir/smoke.json" >"$dir/compare.out" 2>&1
  rc=$?
  head -5 "$dir/compare.out"
  [ $rc -eq 0 ] || { echo "FAIL: compare.py exit $rc"; cat "$dir/compare.out"; exit 1; }
  grep -q "smoke/g2mb1ic8ih8oc8oh8kh3ph1/nhwc/gsconv:tuned" "$dir/compare.out" || { echo "FAIL: compare.py output"; exit 1; }
  echo "ok"
  ;;
render)
  gsconv=$3
  chromium=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$chromium" ]; then echo "SKIP: no chromium (Debian chromium)"; exit 77; fi
  [ -f "$dir/smoke.json" ] || { echo "FAIL: no smoke.json (the smoke step failed)"; exit 1; }
  "$gsconv" report "$dir/smoke.json" --html "$dir/report.html" --md "$dir/report.md" >/dev/null ||
    { echo "FAIL: gsconv report --html"; exit 1; }
  profile=$(mktemp -d)
  rm -f "$dir/report.png"
  timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --screenshot="$dir/report.png" --window-size=1200,900 "file://$dir/report.html" >"$dir/chromium.log" 2>&1
  rm -rf "$profile"
  [ -s "$dir/report.png" ] || { echo "FAIL: no screenshot"; tail -5 "$dir/chromium.log"; exit 1; }
  /usr/bin/python3 "$here/png_colors.py" "$dir/report.png" 16 0.02 || { echo "FAIL: blank screenshot"; exit 1; }
  echo "ok"
  ;;
*) echo "usage: $0 smoke|compare|render DIR ..."; exit 2 ;;
esac
