#!/usr/bin/env bash
# The main job: build (Release), tune the default suites, benchmark them against the peers
# (oneDNN, XNNPACK) with repetitions, write the report, print its path and the model totals.
# Installs the Debian packages it needs first (tools/install-deps.sh).
#
# Writes, under results/ (name = <host>-<YYYYmmdd-HHMMSS>-<commit>):
#   <name>.json         Google Benchmark JSON (compare.py reads it; gsconv report too)
#   <name>.log          the benchmark console output
#   report-<name>.md    Markdown report (per layer speed-ups, model totals, peak, roofline)
#   report-<name>.html  the same as one self-contained HTML page with SVG charts
#
# Settings (environment):
#   GSCONV_MAIN_SUITES   suites (default: the five model suites of bench/suites)
#   GSCONV_MAIN_THREADS  threads for gsconv and the peers (default 1: on a small shared
#                        VM one thread gives repeatable numbers; use the core count to
#                        measure the multi-threaded case)
#   GSCONV_MAIN_LAYOUT   nchw, nhwc or both (default both)
#   GSCONV_MAIN_REPS     repetitions per benchmark (default 9: enough for the
#                        significance test of `gsconv report BASE NEW`)
#   GSCONV_MAIN_MIN_TIME seconds per repetition (default 0.05)
#   GSCONV_MAIN_TUNE     0 skips tuning (default 1)
#   GSCONV_BUILD_DIR     build directory (default build/main)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

bash tools/install-deps.sh

build=${GSCONV_BUILD_DIR:-build/main}
suites=(${GSCONV_MAIN_SUITES:-shufflenet_v1_g3 shufflenet_v1_g8 resnext50_32x4d alexnet mobilenet_v1_dw})
threads=${GSCONV_MAIN_THREADS:-1}
layout=${GSCONV_MAIN_LAYOUT:-both}
reps=${GSCONV_MAIN_REPS:-9}
min_time=${GSCONV_MAIN_MIN_TIME:-0.05}

echo "main: building ($build, Release)"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
gsconv=$build/gsconv
if [ ! -x "$build/gsconv-bench" ]; then
  echo "main: $build/gsconv-bench was not built (Google Benchmark missing? Debian libbenchmark-dev)" >&2
  exit 1
fi

files=()
for s in "${suites[@]}"; do files+=("bench/suites/$s.txt"); done

# The report's "% peak" uses the peak stored in the cache file: measure it again now, so
# that a probe from another day (or one taken while the machine was slowed) is not reused
echo "main: measuring this core's FMA peak and copy bandwidth (gsconv info --measure-peak)"
"$gsconv" info --measure-peak | grep -E '^peak' || echo "main: the peak measurement failed; the report uses the cached peak, if any" >&2

if [ "${GSCONV_MAIN_TUNE:-1}" != 0 ] && "$gsconv" tune --help >/dev/null 2>&1; then
  echo "main: tuning ${suites[*]} ($layout, $threads thread(s))"
  "$gsconv" tune "${files[@]}" --layout "$layout" --threads "$threads"
else
  echo "main: not tuning (gsconv tune unavailable or GSCONV_MAIN_TUNE=0): plans use the cost model"
fi

mkdir -p results
host=$(hostname 2>/dev/null || echo host)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$commit" != unknown ] && ! git diff --quiet HEAD -- 2>/dev/null; then commit=$commit-dirty; fi
name=$host-$(date +%Y%m%d-%H%M%S)-$commit
json=results/$name.json
log=results/$name.log
echo "main: benchmarking against the peers ($reps repetitions of >= $min_time s; log: $log)"
status=0
"$gsconv" bench "${files[@]}" --peers --layout "$layout" --threads "$threads" \
  --repetitions "$reps" --min-time "$min_time" --out "$json" >"$log" 2>&1 || status=$?
if [ ! -s "$json" ]; then
  tail -20 "$log" >&2
  echo "main: the benchmark wrote no results" >&2
  exit 1
fi
grep -E '^gsconv-bench: (FAILED|skipped)' "$log" | grep FAILED >&2 || true

md=results/report-$name.md
html=results/report-$name.html
"$gsconv" report "$json" --md "$md" --html "$html" >/dev/null

echo
sed -n '/^Model totals/,/^Results:/p' "$log"
echo
echo "Report: $here/$md"
echo "        $here/$html"
echo "Data:   $here/$json"
if [ $status -ne 0 ]; then echo "main: gsconv-bench exited with $status (a gsconv result was wrong?)" >&2; fi
exit $status
