#!/bin/bash
# Tests of the gsconv command line tool: exit codes, usage errors, the JSON output,
# .npy input/output against an independent NumPy model (tests/conv_numpy.py), and that
# a failed run never leaves or changes an --out file.
#
# usage: test_cli.sh PATH/TO/gsconv
# Needs /usr/bin/python3 with NumPy (Debian python3-numpy) for the .npy and JSON parts;
# without it those parts are reported as skipped and the script exits 77.
set -u

G=${1:?usage: test_cli.sh PATH/TO/gsconv}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
MODEL="$HERE/conv_numpy.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/gsconv_test_cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
# one thread count for every run, whatever the machine
export GSCONV_NUM_THREADS=${GSCONV_NUM_THREADS:-2}
unset GSCONV_VERBOSE
# never read or write the user's tuning cache
export GSCONV_CACHE="$T/wisdom.json" XDG_CACHE_HOME="$T/xdg"

passed=0 failed=0 skipped=0
ok() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*" >&2
}
skip() {
    skipped=$((skipped + 1))
    echo "SKIP: $*"
}

# run NAME WANT_RC CMD...: stdout -> $T/stdout, stderr -> $T/stderr
run() {
    local name=$1 want=$2
    shift 2
    "$@" >"$T/stdout" 2>"$T/stderr"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok
    else
        fail "$name: exit $rc, expected $want ($*)"
        sed 's/^/    stderr: /' "$T/stderr" | head -5 >&2
    fi
    return 0
}

# the last run printed exactly one line on stderr, "gsconv: ..."
one_error_line() {
    local n
    n=$(wc -l <"$T/stderr")
    if [ "$n" -eq 1 ] && grep -q '^gsconv: ' "$T/stderr"; then ok; else
        fail "$1: expected one 'gsconv: ' line on stderr, got $n:"
        sed 's/^/    /' "$T/stderr" >&2
    fi
}

# the last run's stderr contains the fixed string $2
stderr_has() {
    if grep -qF -- "$2" "$T/stderr"; then ok; else
        fail "$1: stderr lacks '$2':"
        sed 's/^/    /' "$T/stderr" >&2
    fi
}

# the last run's stdout contains the fixed string $2
stdout_has() {
    if grep -qF -- "$2" "$T/stdout"; then ok; else
        fail "$1: stdout lacks '$2':"
        sed 's/^/    /' "$T/stdout" >&2
    fi
}

stdout_first_line() {
    local first
    first=$(head -n 1 "$T/stdout")
    if [ "$first" = "$2" ]; then ok; else fail "$1: first line '$first', expected '$2'"; fi
}

no_tmp_files() {
    if compgen -G "$T/*.tmp.*" >/dev/null || compgen -G "$T/*/*.tmp.*" >/dev/null; then
        fail "$1: temporary files left: $(ls "$T"/*.tmp.* "$T"/*/*.tmp.* 2>/dev/null)"
    else ok; fi
}

SHUF=g3mb1ic240ih28oc240oh28kh1sg3

# ------------------------------------------------------------ usage and exit codes
run "no args" 2 "$G"
one_error_line "no args"
run "top --help" 0 "$G" --help
grep -q '^usage: gsconv' "$T/stdout" && ok || fail "top --help: no usage on stdout"
grep -q 'variants' "$T/stdout" && grep -q ' run ' "$T/stdout" && ok || fail "top --help: commands not listed"
run "top -h" 0 "$G" -h
run "--version" 0 "$G" --version
grep -qE '^gsconv [0-9]+\.[0-9]+\.[0-9]+$' "$T/stdout" && ok || fail "--version: '$(cat "$T/stdout")'"
run "unknown top option" 2 "$G" --frobnicate
one_error_line "unknown top option"
stderr_has "unknown top option" "--help"
run "unknown command" 2 "$G" frobnicate
one_error_line "unknown command"
for sub in variants run; do
    run "$sub --help" 0 "$G" $sub --help
    grep -q "^usage: gsconv $sub" "$T/stdout" && ok || fail "$sub --help: no usage on stdout"
    [ -s "$T/stderr" ] && fail "$sub --help: wrote to stderr" || ok
    run "$sub -h" 0 "$G" $sub -h
    run "$sub DESC --help" 0 "$G" $sub $SHUF --help
    run "$sub unknown option" 2 "$G" $sub $SHUF --frobnicate
    one_error_line "$sub unknown option"
    stderr_has "$sub unknown option" "gsconv $sub --help"
    run "$sub missing DESC" 2 "$G" $sub
    one_error_line "$sub missing DESC"
    run "$sub two DESCs" 2 "$G" $sub $SHUF $SHUF
    run "$sub bad layout" 2 "$G" $sub $SHUF --layout nchw8c
    one_error_line "$sub bad layout"
    run "$sub missing value" 2 "$G" $sub $SHUF --layout
    one_error_line "$sub missing value"
    stderr_has "$sub missing value" "'--layout' needs a value"
done

# ------------------------------------------------------------ variants
run "variants" 0 "$G" variants $SHUF
stdout_first_line "variants" "ref applicable"
bad_lines=$(grep -cvE '^[a-z0-9_]+ (applicable|no: .+)$' "$T/stdout")
[ "$bad_lines" -eq 0 ] && ok || fail "variants: $bad_lines malformed lines"
run "variants nhwc" 0 "$G" variants $SHUF --layout nhwc
stdout_first_line "variants nhwc" "ref applicable"

# ------------------------------------------------------------ bad descriptors
for d in g3mb1ic241ih28oc240oh28kh1 xyz "" g3mb1ic240ih28oc240oh28kh1sg7 g1ic3ih5oc3kh9 g1ic3ih5oc3kh3id5 \
    $'g1ic3\nih5oc3kh3'; do
    for sub in variants run; do
        run "$sub bad DESC '$d'" 2 "$G" $sub "$d"
        one_error_line "$sub bad DESC '$d'"
        [ -s "$T/stdout" ] && fail "$sub bad DESC '$d': wrote to stdout" || ok
    done
done
run "bad DESC message" 2 "$G" run g3mb1ic241ih28oc240oh28kh1
stderr_has "bad DESC message" "ic 241 is not a multiple of g 3"

# ------------------------------------------------------------ run: option values
D=g2mb1ic4ih6oc4kh3ph1
for args in "--threads 0" "--threads -1" "--threads 2x" "--threads ''" "--threads 99999" \
    "--repeat 0" "--repeat abc" "--repeat 1.5" "--seed -1" "--seed 1e3" "--seed 99999999999999999999" \
    "--activation sigmoid" "--tol -1" "--tol abc --check" "--tol nan --check" "--tol 1e-3" \
    "--variant no_such_variant" "--wei $T/w.npy" "--src $T/s.npy" "--bias $T/b.npy" \
    "--src $T/s.npy --bias $T/b.npy"; do
    eval "run \"run $args\" 2 \"\$G\" run $D $args"
    one_error_line "run $args"
done
run "run --variant unknown message" 2 "$G" run $D --variant no_such_variant
stderr_has "run --variant unknown message" "unknown variant 'no_such_variant'"
run "run --threads 1" 0 "$G" run $D --threads 1
run "run --seed 0 --repeat 1" 0 "$G" run $D --seed 0 --repeat 1
run "run --variant ref" 0 "$G" run $D --variant ref --check --tol 0
grep -q '^variant=ref ' "$T/stdout" && ok || fail "run --variant ref: no variant=ref line"
grep -q '^check ok' "$T/stdout" && ok || fail "run --variant ref: no 'check ok' line"
run "run --rep (abbreviation)" 0 "$G" run $D --rep 2

# every applicable variant, both layouts, with the library's own reference
for layout in nchw nhwc; do
    run "run $SHUF --check $layout" 0 "$G" run $SHUF --check --layout $layout
    grep -q "^variant=.* desc=$SHUF layout=$layout " "$T/stdout" && ok ||
        fail "run $layout: header line: $(head -1 "$T/stdout")"
    grep -q '^time: median ' "$T/stdout" && ok || fail "run $layout: no time line"
    grep -q '^check ok: ' "$T/stdout" && ok || fail "run $layout: no 'check ok' line"
    for v in $("$G" variants $SHUF --layout $layout | awk '$2 == "applicable" {print $1}'); do
        run "run $SHUF --variant $v $layout" 0 "$G" run $SHUF --variant $v --check --layout $layout --activation relu
    done
done

# ------------------------------------------------------------ a failing --check
# GSCONV_TEST_PERTURB_DST adds a value to dst[0] after the run (a test hook of the tool)
P="$T/perturb"
mkdir -p "$P"
BD=g1mb1ic3ih5iw6oc4kh3
GSCONV_TEST_PERTURB_DST=0.5 run "check fails" 1 "$G" run $BD --check --out "$P/y.npy"
grep -q '^check FAILED: max abs err 0.5,' "$T/stdout" && ok || fail "check fails: no 'check FAILED' line: $(cat "$T/stdout")"
[ -e "$P/y.npy" ] && fail "check fails: --out written" || ok
printf 'precious' >"$P/keep.npy"
GSCONV_TEST_PERTURB_DST=0.5 run "check fails, existing out" 1 "$G" run $BD --check --out "$P/keep.npy"
[ "$(cat "$P/keep.npy")" = precious ] && ok || fail "check fails: existing --out changed"
no_tmp_files "check fails"
GSCONV_TEST_PERTURB_DST=0.5 run "check fails, nhwc" 1 "$G" run $SHUF --check --layout nhwc
GSCONV_TEST_PERTURB_DST=0.5 run "check passes with --tol 10" 0 "$G" run $BD --check --tol 10 --out "$P/y.npy"
grep -q '^check ok: max abs err 0.5,' "$T/stdout" && ok || fail "--tol 10: $(cat "$T/stdout")"
[ -f "$P/y.npy" ] && ok || fail "--tol 10: --out not written"
GSCONV_TEST_PERTURB_DST=0.5 run "no check, no failure" 0 "$G" run $BD
GSCONV_TEST_PERTURB_DST=x run "bad perturbation" 2 "$G" run $BD --check
GSCONV_TEST_PERTURB_DST=0.5 run "check fails, json" 1 "$G" run $SHUF --check --json
grep -q '"check_ok": false' "$T/stdout" && ok || fail "check fails, json: $(cat "$T/stdout")"
[ "$(wc -l <"$T/stdout")" -eq 1 ] && ok || fail "check fails, json: not one line on stdout"
stderr_has "check fails, json" "check FAILED"

# SIGTERM during a run removes the temporary --out file (the ref variant on one
# thread takes seconds here; the signal comes as soon as the temporary file exists)
mkdir -p "$T/sig"
"$G" run g1mb16ic256ih56oc256kh3ph1 --variant ref --threads 1 --out "$T/sig/y.npy" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 200); do
    compgen -G "$T/sig/y.npy.tmp.*" >/dev/null && break
    sleep 0.05
done
if compgen -G "$T/sig/y.npy.tmp.*" >/dev/null; then ok; else fail "SIGTERM: no temporary file seen"; fi
kill -TERM $pid 2>/dev/null
wait $pid
rc=$?
[ $rc -eq 143 ] && ok || fail "SIGTERM: exit $rc, expected 143"
[ -z "$(ls -A "$T/sig")" ] && ok || fail "SIGTERM: files left: $(ls -A "$T/sig")"
rm -rf "$T/sig"

# ------------------------------------------------------------ the NumPy parts
if ! "$PY" -c 'import numpy' 2>/dev/null; then
    skip "$PY has no numpy: JSON and .npy tests not run"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] && exit 77
    exit 1
fi

# --json: one object with the keys
keys="variant desc layout activation threads isa repeat median_ms min_ms gflops"
run "run --json" 0 "$G" run $SHUF --json --layout nhwc --threads 2
[ "$(wc -l <"$T/stdout")" -eq 1 ] && ok || fail "run --json: not one line"
"$PY" "$MODEL" json-keys $keys <"$T/stdout" >"$T/json" && ok || fail "run --json: $(cat "$T/json")"
run "run --json --check --repeat 3" 0 "$G" run $SHUF --json --check --repeat 3 --threads 1
"$PY" "$MODEL" json-keys $keys max_abs_err max_rel_err check_ok <"$T/stdout" >"$T/json" && ok ||
    fail "run --json --check: $(cat "$T/json")"
"$PY" - "$T/stdout" "$SHUF" <<'EOF' && ok || fail "run --json --check: values"
import json, sys
o = json.load(open(sys.argv[1]))
assert o["desc"] == sys.argv[2], o
assert o["layout"] == "nchw" and o["activation"] == "none", o
assert o["threads"] == 1 and o["repeat"] == 3, o
assert o["check_ok"] is True and o["max_rel_err"] <= 1e-5, o
assert o["isa"] in ("scalar", "avx2", "avx512", "neon"), o
assert o["min_ms"] > 0 and o["median_ms"] >= o["min_ms"] and o["gflops"] > 0, o
assert abs(o["gflops"] - 2 * 1 * 240 * 28 * 28 * 80 / (o["median_ms"] * 1e6)) < 1e-6 * o["gflops"], o
EOF

# --out against the independent model; fields: layout act bias n c h w k g kh kw sh sw ph pw dh dw sg
cases=(
    "nchw none bias 1 3 7 9 5 1 3 5 1 1 1 2 0 0 1"      # kh3 kw5, ih != iw, odd sizes
    "nhwc none bias 2 6 11 11 4 2 3 3 2 2 1 1 0 0 1"    # stride 2, batch 2, groups
    "nchw none bias 1 9 10 13 6 3 3 3 1 1 2 2 1 1 3"    # dilation, shuffle
    "nhwc relu bias 3 5 6 6 10 5 1 1 1 1 0 0 0 0 5"     # g = c, batch 3, shuffle, relu
    "nchw none bias 1 8 9 5 12 4 2 3 2 1 0 0 0 0 4"     # even kernel, stride (2, 1), shuffle
    "nhwc none nobias 2 4 5 5 7 1 5 5 1 1 2 2 0 0 1"    # dense, odd k, no bias
    "nchw relu bias 1 4 8 8 6 2 3 3 2 2 1 1 0 0 2"      # asymmetric padding (bottom 0)
    "nhwc none bias 1 6 13 7 6 6 3 3 2 1 1 1 2 0 3"     # depthwise, dilation in h only
    "nhwc none bias 1 240 28 28 240 3 1 1 1 1 0 0 0 0 3" # ShuffleNet unit
    "nchw none bias 2 3 5 4 6 3 2 2 1 2 1 0 0 1 2"      # stride w only, dilation w only
)
i=0
for c in "${cases[@]}"; do
    i=$((i + 1))
    dir="$T/case$i"
    mkdir -p "$dir"
    set -- $c
    layout=$1 act=$2 bias=$3
    # the first case reads .npy format versions 2.0 and 3.0 written by NumPy
    extra=""
    [ $i -eq 1 ] && extra="2 3"
    if ! desc=$("$PY" "$MODEL" case "$dir" "$@" $((100 + i)) $extra); then
        fail "case $i ($c): model failed"
        continue
    fi
    bias_args=()
    [ "$bias" = bias ] && bias_args=(--bias "$dir/bias.npy")
    run "case $i $desc $layout" 0 "$G" run "$desc" --layout "$layout" --activation "$act" \
        --src "$dir/src.npy" --wei "$dir/wei.npy" "${bias_args[@]}" --out "$dir/out.npy" --check
    if [ -f "$dir/out.npy" ]; then
        if msg=$("$PY" "$MODEL" compare "$dir/expected.npy" "$dir/out.npy" 1e-5); then ok; else
            fail "case $i $desc $layout: $msg"
        fi
    else
        fail "case $i $desc $layout: no output file"
    fi
    no_tmp_files "case $i"
done

# ------------------------------------------------------------ bad .npy inputs
B="$T/bad"
mkdir -p "$B"
"$PY" "$MODEL" bad "$B" || fail "writing the bad files"
BD=g1mb1ic3ih5iw6oc4kh3
run "good inputs" 0 "$G" run $BD --src "$B/good_src.npy" --wei "$B/good_wei.npy" --out "$B/good_out.npy"
[ -f "$B/good_out.npy" ] && ok || fail "good inputs: no output"
check_bad() { # name expected-message src wei [bias]
    local name=$1 msg=$2 src=$3 wei=$4
    shift 4
    rm -f "$B/out.npy"
    run "bad npy: $name" 2 "$G" run $BD --src "$src" --wei "$wei" "$@" --out "$B/out.npy"
    one_error_line "bad npy: $name"
    stderr_has "bad npy: $name" "$msg"
    [ -e "$B/out.npy" ] && fail "bad npy: $name: --out file exists" || ok
    # a pre-existing output is untouched
    printf 'precious' >"$B/keep.npy"
    run "bad npy: $name (existing out)" 2 "$G" run $BD --src "$src" --wei "$wei" "$@" --out "$B/keep.npy"
    [ "$(cat "$B/keep.npy")" = precious ] && ok || fail "bad npy: $name: existing --out changed"
    no_tmp_files "bad npy: $name"
}
check_bad "src shape" "src shape (1, 3, 5, 5) does not match (1, 3, 5, 6) for layout nchw" \
    "$B/shape_src.npy" "$B/good_wei.npy"
check_bad "src layout" "src shape (1, 3, 5, 6) does not match (1, 5, 6, 3) for layout nhwc" \
    "$B/good_src.npy" "$B/good_wei.npy" --layout nhwc
check_bad "wei shape" "wei shape (4, 2, 3, 3) does not match (4, 3, 3, 3)" "$B/good_src.npy" "$B/shape_wei.npy"
check_bad "bias shape" "bias shape (5,) does not match (4,)" "$B/good_src.npy" "$B/good_wei.npy" \
    --bias "$B/shape_bias.npy"
check_bad "f8" "dtype '<f8' is not <f4" "$B/f8_src.npy" "$B/good_wei.npy"
check_bad "big endian" "dtype '>f4' is not <f4" "$B/be_src.npy" "$B/good_wei.npy"
check_bad "fortran" "fortran_order True" "$B/fortran_src.npy" "$B/good_wei.npy"
check_bad "truncated" "truncated data" "$B/good_src.npy" "$B/trunc_wei.npy"
check_bad "trailing" "trailing bytes" "$B/good_src.npy" "$B/extra_wei.npy"
check_bad "dict" "malformed header" "$B/dict_src.npy" "$B/good_wei.npy"
check_bad "missing" "cannot open" "$B/no_such.npy" "$B/good_wei.npy"
check_bad "not npy" "bad magic" "$MODEL" "$B/good_wei.npy"
check_bad "unknown variant" "unknown variant" "$B/good_src.npy" "$B/good_wei.npy" --variant nope
# an output path that cannot be written
run "out in missing dir" 2 "$G" run $BD --out "$B/no_dir/y.npy"
one_error_line "out in missing dir"
run "out is a directory" 2 "$G" run $BD --out "$B"
one_error_line "out is a directory"
# a successful run replaces an existing file atomically
printf 'old' >"$B/replace.npy"
run "out replaces" 0 "$G" run $BD --out "$B/replace.npy"
"$PY" -c "import numpy as np, sys; a = np.load(sys.argv[1]); assert a.shape == (1, 4, 3, 4) and a.dtype == np.dtype('<f4')" \
    "$B/replace.npy" && ok || fail "out replaces: not the expected array"
# the same seed gives the same output, another seed another one
run "seed 5" 0 "$G" run $BD --seed 5 --out "$B/s5a.npy"
run "seed 5 again" 0 "$G" run $BD --seed 5 --out "$B/s5b.npy" --threads 1
run "seed 6" 0 "$G" run $BD --seed 6 --out "$B/s6.npy"
cmp -s "$B/s5a.npy" "$B/s5b.npy" && ok || fail "seed 5 twice: outputs differ"
cmp -s "$B/s5a.npy" "$B/s6.npy" && fail "seeds 5 and 6: same output" || ok

# accuracy constraint: the planner's pick honours --no-winograd / --max-rel-error
# (expected relative errors F * 2^-24 at c/g 64: F2 7e-6, F4 8e-5, F6 6e-4; README)
WD=g1mb1ic64ih28oc64oh28kh3ph1
picked() { # opts... -> variant name on stdout
    "$G" run $WD --layout nhwc --threads 1 --json "$@" 2>/dev/null |
        "$PY" -c 'import json, sys; print(json.load(sys.stdin)["variant"])'
}
if "$G" info 2>/dev/null | grep -Eq '^usable isa +(avx2|avx512)'; then
    v=$(picked); case $v in wino_*) ok ;; *) fail "accuracy: default pick '$v' is not Winograd (the checks below would prove nothing)" ;; esac
    v=$(picked --no-winograd); case $v in wino_* | "") fail "accuracy: --no-winograd picked '$v'" ;; *) ok ;; esac
    v=$(GSCONV_NO_WINOGRAD=1 picked); case $v in wino_* | "") fail "accuracy: GSCONV_NO_WINOGRAD=1 picked '$v'" ;; *) ok ;; esac
    v=$(picked --max-rel-error 1e-4); case $v in wino_f6k3* | "") fail "accuracy: 1e-4 picked '$v'" ;; *) ok ;; esac
    v=$(GSCONV_MAX_REL_ERROR=1e-4 picked); case $v in wino_f6k3* | "") fail "accuracy: env 1e-4 picked '$v'" ;; *) ok ;; esac
    v=$(picked --max-rel-error 1e-6); case $v in wino_* | "") fail "accuracy: 1e-6 picked '$v'" ;; *) ok ;; esac
else
    skip "accuracy picks: no SIMD Winograd variant on this CPU"
fi
run "max-rel-error negative" 2 "$G" run $WD --max-rel-error -1
one_error_line "max-rel-error negative"
run "max-rel-error text" 2 "$G" run $WD --max-rel-error abc
one_error_line "max-rel-error text"
GSCONV_MAX_REL_ERROR=abc run "GSCONV_MAX_REL_ERROR text" 2 "$G" run $WD
stderr_has "GSCONV_MAX_REL_ERROR text" "GSCONV_MAX_REL_ERROR"
run "variant with no-winograd" 2 "$G" run $WD --variant ref --no-winograd
one_error_line "variant with no-winograd"
run "tune max-rel-error negative" 2 "$G" tune $WD --max-rel-error 0
one_error_line "tune max-rel-error negative"
# suites by name, as gsconv bench takes them (found in $GSCONV_SUITES_DIR first)
mkdir -p "$T/suites" && printf 'g2mb1ic8ih8oc8oh8kh3ph1 2\n' >"$T/suites/mine.txt"
GSCONV_SUITES_DIR="$T/suites" run "tune suite name" 0 "$G" tune mine --rigor estimate --cache "$T/named.json"
stdout_has "tune suite name" "g2mb1ic8ih8oc8oh8kh3ph1"
run "tune unknown suite name" 2 "$G" tune no_such_suite --rigor estimate --cache "$T/named.json"
stderr_has "tune unknown suite name" "suite name"
no_tmp_files "end"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
