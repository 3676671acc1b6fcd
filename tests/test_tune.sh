#!/usr/bin/env bash
# The tuner's command line: gsconv tune / cache / info, concurrency and crash safety of
# the cache file. Usage: test_tune.sh PATH/TO/gsconv. Everything happens in a temp dir.
set -u
G=${1:?usage: test_tune.sh PATH/TO/gsconv}
T=$(mktemp -d /tmp/gsconv-test-tune-XXXXXX)
export GSCONV_CACHE=$T/default.json   # never the user's cache
unset GSCONV_VERBOSE GSCONV_TEST_FINGERPRINT GSCONV_TEST_WRITE_DELAY_MS
fail=0
checks=0
ok() { checks=$((checks + 1)); }
bad() { checks=$((checks + 1)); fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check "what" command... : passes if the command succeeds
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}
entries() { "$G" cache list --cache "$1" --json | grep -c '"shape"'; }

# ------------------------------------------------------------------ usage, exit codes
for c in tune cache info; do
    "$G" $c --help >/dev/null; [ $? = 0 ] && ok || bad "$c --help exit"
done
"$G" tune >/dev/null 2>&1; [ $? = 2 ] && ok || bad "tune without shapes: exit 2"
"$G" tune g1mb1ic8ih8oc8oh8kh1 --rigor sloppy >/dev/null 2>&1; [ $? = 2 ] && ok || bad "bad rigor: exit 2"
"$G" tune not_a_shape >/dev/null 2>&1; [ $? = 2 ] && ok || bad "bad desc: exit 2"
"$G" cache frobnicate >/dev/null 2>&1; [ $? = 2 ] && ok || bad "bad cache action: exit 2"
"$G" cache show g1mb1ic8ih8oc8oh8kh1 --cache "$T/none.json" >/dev/null 2>&1; [ $? = 1 ] && ok || bad "show of nothing: exit 1"
[ "$("$G" cache path --cache "$T/x.json")" = "$T/x.json" ] && ok || bad "cache path --cache"
[ "$(GSCONV_CACHE= XDG_CACHE_HOME=$T/xdg "$G" cache path)" = "$T/xdg/gsconv/wisdom.json" ] && ok || bad "XDG path"
[ "$(GSCONV_CACHE= XDG_CACHE_HOME= HOME=$T/home "$G" cache path)" = "$T/home/.cache/gsconv/wisdom.json" ] && ok || bad "HOME path"
"$G" info --json --cache "$T/info.json" | grep -q '"machine_key"' && ok || bad "info --json"

# ------------------------------------------------------------------ suite file, round trip
cat > "$T/suite.txt" <<'EOF'
# a comment
g3mb1ic24ih10oc24oh10kh1sg3   4   # trailing comment
g2mb1ic8ih9oc8oh9kh3ph1       x2
g3mb1ic24ih10oc24oh10kh1sg3       # duplicate: tuned once
EOF
C=$T/w.json
out=$("$G" tune "$T/suite.txt" --cache "$C" --layout both --threads 2 --time-limit 0.5 2>"$T/err")
[ $? = 0 ] && ok || { bad "tune suite"; cat "$T/err"; }
[ "$(entries "$C")" = 4 ] && ok || bad "suite: 4 entries expected, got $(entries "$C")"
grep -q "^tune 4/4 " "$T/err" && ok || bad "plain progress lines when stderr is not a terminal"
echo "$out" | grep -q "runner-up" && ok || bad "closing table"
"$G" cache show g3mb1ic24ih10oc24oh10kh1sg3 --layout nhwc --cache "$C" | grep -q "nhwc" && ok || bad "cache show"
# the plan uses the entry (GSCONV_VERBOSE prints where the choice came from)
GSCONV_CACHE=$C GSCONV_VERBOSE=1 GSCONV_NUM_THREADS=2 "$G" run g3mb1ic24ih10oc24oh10kh1sg3 --repeat 1 2>&1 >/dev/null \
    | grep -q "from=cache" && ok || bad "plan did not use the cache entry"
# another machine (fingerprint) with the same file: a miss, then its own entry; ours kept
GSCONV_TEST_FINGERPRINT=other GSCONV_CACHE=$C GSCONV_VERBOSE=1 GSCONV_NUM_THREADS=2 "$G" run g3mb1ic24ih10oc24oh10kh1sg3 --repeat 1 2>&1 >/dev/null \
    | grep -q "from=estimate" && ok || bad "another fingerprint must miss"
GSCONV_TEST_FINGERPRINT=other "$G" tune g3mb1ic24ih10oc24oh10kh1sg3 --cache "$C" --threads 2 --rigor estimate >/dev/null 2>&1
[ "$(entries "$C")" = 5 ] && ok || bad "other machine's entry added: $(entries "$C")"
"$G" cache show g3mb1ic24ih10oc24oh10kh1sg3 --cache "$C" | grep -c "^\*" | grep -qx 1 && ok || bad "one entry marked as this machine's"
"$G" cache clear --machine this --cache "$C" >/dev/null
[ "$(entries "$C")" = 1 ] && ok || bad "clear --machine this keeps the other machine's entry"
"$G" cache clear --cache "$C" >/dev/null
[ "$(entries "$C")" = 0 ] && ok || bad "clear"

# a cache in a directory that does not exist yet
"$G" tune g1mb1ic8ih6oc8oh6kh1 --cache "$T/new/sub/w.json" --rigor estimate >/dev/null 2>&1
[ "$(entries "$T/new/sub/w.json")" = 1 ] && ok || bad "cache directory not created"

# ------------------------------------------------------------------ time limit vs the peak probe
# A fresh cache makes the first MEASURE tuning probe the peaks (0.3 s quiet, seconds when
# busy): that must not use up the shape's time limit, or its candidates go untimed and a
# cost-model guess is stored as "measured" (no runner-up, a handful of runs).
"$G" tune g3mb1ic24ih10oc24oh10kh1sg3 --cache "$T/fresh.json" --threads 1 --rigor measure \
    --time-limit 0.2 --json >"$T/fresh.out" 2>/dev/null
grep -q '"runner_up": {' "$T/fresh.out" && ok || { bad "fresh cache: no runner-up timed"; cat "$T/fresh.out"; }
# the limit's floor: however short the limit (or busy the machine), the two best-estimated
# candidates are timed side by side, and the result says how many ran. Each refinement
# round has a floor of its own (its incumbent and one challenger), so a round that finds
# a challenger not timed before adds one: 2..4 of the shape's candidates ran, not all.
"$G" tune g3mb1ic24ih10oc24oh10kh1sg3 --cache "$T/floor.json" --threads 1 --rigor measure \
    --time-limit 0.000001 --json >"$T/floor.out" 2>/dev/null
nt=$(sed -n 's/.*"timed": \([0-9]*\),.*/\1/p' "$T/floor.out")
nc=$(sed -n 's/.*"candidates": \([0-9]*\),.*/\1/p' "$T/floor.out")
grep -q '"runner_up": {' "$T/floor.out" && [ -n "$nt" ] && [ "$nt" -ge 2 ] && [ "$nt" -le 4 ] &&
    [ "$nc" -gt "$nt" ] && ok ||
    { bad "time-limit floor: not the two best (+ one per refinement round) timed"; cat "$T/floor.out"; }

# ------------------------------------------------------------------ MEASURE refinement
# The first round times at most 6 configurations per variant; the refinement rounds then
# time the winner's neighbours (GEMM: one parameter changed) or its whole grid (<= 24),
# so the pick's variant ends up with more than 6 timed configurations (a shape where
# K, the pixels and k/g leave many configurations distinct: redundant ones are not timed).
GSCONV_VERBOSE=1 "$G" tune g1mb1ic256ih16oc48oh16kh1 --layout nhwc --threads 1 --cache "$T/refine.json" \
    --json >"$T/refine.out" 2>"$T/refine.err"
pick=$(grep -o '"variant": "[^"]*"' "$T/refine.out" | head -1 | cut -d'"' -f4)
ntimed=$(grep -c "^gsconv: tune .*: $pick " "$T/refine.err")
case $pick in
gemm_* | direct_nhwc_*) [ "$ntimed" -gt 6 ] && ok || bad "refinement: only $ntimed configurations of $pick timed" ;;
*) echo "note: refinement check skipped, pick $pick has no tunable grid" ;;
esac

# ------------------------------------------------------------------ redundant configurations
# A configuration that computes exactly what another does (ops->redundant: Winograd's
# group_pack=1 where packing does not apply, c/g = 16 on AVX-512) is not timed, even by
# PATIENT; where packing applies (c/g = 4) both values are.
if "$G" info 2>/dev/null | grep -q "^usable isa *avx512"; then
    GSCONV_VERBOSE=1 "$G" tune g2mb1ic32ih8oc32oh8kh3ph1 --layout nhwc --threads 1 --rigor patient \
        --time-limit 0.5 --cache "$T/red.json" >/dev/null 2>"$T/red1.err"
    GSCONV_VERBOSE=1 "$G" tune g4mb1ic16ih8oc16oh8kh3ph1 --layout nhwc --threads 1 --rigor patient \
        --time-limit 0.5 --cache "$T/red.json" >/dev/null 2>"$T/red2.err"
    n1=$(grep -c "wino_f4k3__avx512 .*group_pack=1" "$T/red1.err")
    n0=$(grep -c "wino_f4k3__avx512 .*group_pack=0" "$T/red1.err")
    n2=$(grep -c "wino_f4k3__avx512 .*group_pack=1" "$T/red2.err")
    [ "$n1" = 0 ] && [ "$n0" -gt 0 ] && [ "$n2" -gt 0 ] && ok ||
        bad "redundant configurations: c/g 16 timed $n1 group_pack=1 ($n0 =0), c/g 4 timed $n2"
else
    echo "note: redundant-configuration check skipped (no AVX-512)"
fi

# ------------------------------------------------------------------ 8 concurrent tuners
C=$T/concurrent.json
"$G" info --measure-peak --cache "$C" >/dev/null   # so that the tuners need not measure it
pids=()
for i in 1 2 3 4 5 6 7 8; do
    GSCONV_TEST_WRITE_DELAY_MS=30 "$G" tune "g1mb1ic$((8 * i))ih6oc8oh6kh1" --cache "$C" --threads 1 \
        --rigor measure --time-limit 0.2 >/dev/null 2>"$T/c$i.err" &
    pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
[ $rc = 0 ] && ok || { bad "a concurrent tuner failed"; cat "$T"/c*.err; }
[ "$(entries "$C")" = 8 ] && ok || bad "8 concurrent tuners: $(entries "$C") entries survive"
ls "$C".tmp-* >/dev/null 2>&1 && bad "temp files left behind" || ok

# ------------------------------------------------------------------ SIGKILL during a write
C=$T/kill.json
"$G" tune g1mb1ic8ih6oc16oh6kh1 --cache "$C" --threads 1 --rigor estimate >/dev/null 2>&1
cp "$C" "$T/kill.before"
GSCONV_TEST_WRITE_DELAY_MS=5000 "$G" tune g1mb1ic16ih6oc16oh6kh1 --cache "$C" --threads 1 --rigor estimate >/dev/null 2>&1 &
victim=$!
for _ in $(seq 1 100); do ls "$C".tmp-* >/dev/null 2>&1 && break; sleep 0.05; done
ls "$C".tmp-* >/dev/null 2>&1 && ok || bad "no temp file while writing"
kill -KILL $victim; wait $victim 2>/dev/null
cmp -s "$C" "$T/kill.before" && ok || bad "the old file changed after SIGKILL during a write"
[ "$(entries "$C")" = 1 ] && ok || bad "old file not intact"
"$G" tune g1mb1ic24ih6oc16oh6kh1 --cache "$C" --threads 1 --rigor estimate >/dev/null 2>&1
[ "$(entries "$C")" = 2 ] && ok || bad "write after a killed writer"
ls "$C".tmp-* >/dev/null 2>&1 && bad "stale temp file not cleaned" || ok

# ------------------------------------------------------------------ bad files on the CLI
for kind in truncated garbage wrongversion; do
    C=$T/bad-$kind.json
    case $kind in
    truncated) printf '{"format": "gsconv-wisdom", "format_version": 1, "mach' >"$C" ;;
    garbage) head -c 300 /dev/urandom >"$C" ;;
    wrongversion) printf '{"format": "gsconv-wisdom", "format_version": 7, "machines": {}}' >"$C" ;;
    esac
    cp "$C" "$T/orig-$kind"
    GSCONV_CACHE=$C GSCONV_NUM_THREADS=2 "$G" run g1mb1ic8ih6oc8oh6kh1 --repeat 3 >/dev/null 2>"$T/err"
    [ $? = 0 ] && ok || bad "[$kind] run with a bad cache file"
    [ "$(grep -c "gsconv: ignoring cache file $C: " "$T/err")" = 1 ] && ok || bad "[$kind] not reported exactly once: $(cat "$T/err")"
    "$G" tune g1mb1ic8ih6oc8oh6kh1 --cache "$C" --threads 2 --rigor estimate >/dev/null 2>&1
    [ $? = 0 ] && ok || bad "[$kind] tune over a bad file"
    aside=$(ls "$C".corrupt-* 2>/dev/null | head -1)
    [ -n "$aside" ] && cmp -s "$aside" "$T/orig-$kind" && ok || bad "[$kind] not moved aside intact"
    [ "$(entries "$C")" = 1 ] && ok || bad "[$kind] not rebuilt"
done
# read-only cache file: tune reports it and exits 1, plans still work
C=$T/ro.json
"$G" tune g1mb1ic8ih6oc8oh6kh1 --cache "$C" --threads 2 --rigor estimate >/dev/null 2>&1
chmod 444 "$C"
"$G" tune g1mb1ic16ih6oc8oh6kh1 --cache "$C" --threads 2 --rigor estimate >/dev/null 2>"$T/err"
[ $? = 1 ] && ok || bad "read-only: exit 1 expected"
grep -q "read-only" "$T/err" && ok || bad "read-only: message: $(cat "$T/err")"
GSCONV_CACHE=$C GSCONV_VERBOSE=1 GSCONV_NUM_THREADS=2 "$G" run g1mb1ic8ih6oc8oh6kh1 --repeat 1 2>&1 >/dev/null | grep -q "from=cache" \
    && ok || bad "read-only: plan from the cache"
chmod 644 "$C"

# ------------------------------------------------------------------ merge
"$G" cache merge "$T/w.json" "$T/concurrent.json" "$T/kill.json" -o "$T/merged.json" >/dev/null
[ "$(entries "$T/merged.json")" = 10 ] && ok || bad "merge: $(entries "$T/merged.json") entries, 10 expected"
"$G" cache merge "$T/none-such.json" -o "$T/merged.json" >/dev/null 2>&1; [ $? = 1 ] && ok || bad "merge of a missing file: exit 1"

if [ $fail = 0 ]; then
    rm -rf "$T"
    echo "PASS: $checks checks"
else
    echo "FAIL: $fail of $checks checks (files kept in $T)"
    exit 1
fi
