#!/usr/bin/env bash
# `gsconv report` on the synthetic result files of tests/data (make_report_data.py):
# verdicts and exit codes (regression 1, noise 0, too few repetitions 0 with the message,
# malformed / foreign / missing 2 with a one-line error), the single-run report, and the
# files --md / --html write.
# usage: test_report.sh GSCONV DATA_DIR
set -u
gsconv=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; fails=$((fails + 1)); }

# expect NAME WANT_RC PATTERN -- ARGS...: exit code and a pattern in stdout+stderr
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$gsconv" report "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail "$name: exit $rc, want $want"; sed 's/^/    /' "$tmp/err" | head -5; return
  fi
  if ! cat "$tmp/out" "$tmp/err" | grep -q -- "$pattern"; then
    fail "$name: no '$pattern' in the output"; head -20 "$tmp/out" "$tmp/err" | sed 's/^/    /'; return
  fi
  pass "$name"
}

expect "regression -> exit 1" 1 "REGRESSION (+" -- "$data/report_base.json" "$data/report_regressed.json"
expect "regression row names the benchmark" 1 "g3mb1ic240ih28oc60oh28kh1sg3 nhwc gsconv:tuned.*REGRESSION" -- \
  "$data/report_base.json" "$data/report_regressed.json"
expect "noise -> exit 0" 0 "no significant regression" -- "$data/report_base.json" "$data/report_noise.json"
expect "a slower peer is drift, not a regression -> exit 0" 0 "1 peer/memcpy row changed significantly" -- \
  "$data/report_base.json" "$data/report_peer_slower.json"
expect "the peer row says so" 0 "onednn:best.*slower (+[0-9.]*%; peer, not in the verdict)" -- \
  "$data/report_base.json" "$data/report_peer_slower.json"
expect "same file -> exit 0" 0 "0 regressions" -- "$data/report_base.json" "$data/report_base.json"
expect "too few repetitions -> exit 0" 0 "too few repetitions" -- "$data/report_few_base.json" "$data/report_few_new.json"
expect "a 30% slow-down with 3 repetitions is no regression" 0 "no significant regression" -- \
  "$data/report_few_base.json" "$data/report_few_new.json"
expect "--min-reps 3 makes it testable... and still too small for p < 0.05" 0 "no significant regression" -- \
  --min-reps 3 "$data/report_few_base.json" "$data/report_few_new.json"
expect "--threshold 25 hides a 20% regression" 0 "no significant regression" -- --threshold 25 \
  "$data/report_base.json" "$data/report_regressed.json"
expect "improvement the other way round" 0 "improvement (-" -- "$data/report_regressed.json" "$data/report_base.json"
expect "malformed JSON -> exit 2" 2 "not valid JSON" -- "$data/report_base.json" "$data/report_malformed.json"
expect "foreign JSON -> exit 2" 2 "not a Google Benchmark result" -- "$data/report_foreign.json"
expect "missing file -> exit 2" 2 "cannot read" -- "$tmp/nothing.json"
expect "bad option -> exit 2" 2 "unknown option" -- --bogus "$data/report_base.json"
expect "three files -> exit 2" 2 "expects RUN.json" -- "$data/report_base.json" "$data/report_base.json" "$data/report_base.json"
expect "single run report" 0 "Model totals" -- "$data/report_base.json"
expect "single run: incomplete totals say so" 0 "n/a (1/2 layers)" -- "$data/report_base.json"
# a recorded peak below what the kernels reached (measured while the machine was slowed)
sed 's/"peak_frac": 0.5/"peak_frac": 1.3/' "$data/report_base.json" >"$tmp/highpeak.json"
expect "a peak below the measured speeds is flagged" 0 "layer(s) ran above it (up to 130%)" -- "$tmp/highpeak.json"
if "$gsconv" report "$data/report_base.json" | grep -q "ran above it"; then
  fail "a plausible peak is flagged"
else
  pass "a plausible peak is not flagged"
fi

# another machine: compared, and labelled as such
sed 's/"host_name": "testhost"/"host_name": "otherhost"/' "$data/report_noise.json" >"$tmp/other.json"
expect "another machine is labelled" 0 "Different machines" -- "$data/report_base.json" "$tmp/other.json"
expect "the same machine is not" 0 "no significant regression" -- "$data/report_base.json" "$data/report_noise.json"
if "$gsconv" report "$data/report_base.json" "$data/report_noise.json" | grep -q "Different machines"; then
  fail "same machine labelled as different"
else
  pass "same machine not labelled"
fi

# the error of a malformed file is one line
"$gsconv" report "$data/report_malformed.json" >/dev/null 2>"$tmp/err"
if [ "$(wc -l <"$tmp/err")" -eq 1 ]; then pass "one-line error"; else fail "error is $(wc -l <"$tmp/err") lines"; fi

# files: --md and --html, written atomically (no temp files left)
"$gsconv" report "$data/report_base.json" "$data/report_regressed.json" --md "$tmp/r.md" --html "$tmp/r.html" >"$tmp/out"
rc=$?
if [ $rc -eq 1 ] && grep -q "REGRESSION" "$tmp/r.md" && grep -q "<svg" "$tmp/r.html" && grep -q "Verdict" "$tmp/out"; then
  pass "--md/--html files, summary on stdout"
else
  fail "--md/--html (exit $rc)"
fi
if ls "$tmp" | grep -q tmp; then fail "temp files left: $(ls "$tmp")"; else pass "no temp files left"; fi
if grep -qiE '(src|href)="?(https?:)?//' "$tmp/r.html"; then fail "HTML references the network"; else pass "HTML is self-contained"; fi

echo "test_report: $fails failure(s)"
[ $fails -eq 0 ]
