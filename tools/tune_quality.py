#!/usr/bin/env python3
"""How good are the tuner's cheap picks? (docs/tuner.md, "Pick quality")

For every distinct shape of the given suites (or descriptors), in one layout and one
thread budget:
  1. `gsconv tune --rigor measure` into a fresh cache M (the MEASURE picks);
  2. `gsconv tune --rigor patient` into a fresh cache P (every candidate timed);
  3. a fresh cache E with nothing but the measured peaks: plans there use the cost
     model, i.e. the ESTIMATE pick.
All three caches share one peak probe. Where the three picks of a shape are not the same
configuration (variant, parameters, threads), a head-to-head decides: `gsconv bench`
times the plan's choice (`gsconv:tuned`) with each cache in turn, for several rounds
alternating M, P, E, so drift hits all alike; a configuration's time is the least of its
rounds' medians. Ratios are against the PATIENT pick: MEASURE / PATIENT and
ESTIMATE / PATIENT (below 1: the cheaper rigor found something faster).

Usage: tune_quality.py GSCONV_BIN (SUITE_FILE | DESC)... [--layout L] [--threads N]
                       [--patient-limit S] [--rounds R] [--json OUT]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def tune(gsconv, args, rigor, cache, limit=None):
    cmd = [gsconv, "tune", *args, "--rigor", rigor, "--cache", cache, "--json"]
    if limit:
        cmd += ["--time-limit", str(limit)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"tune_quality: {' '.join(cmd)} failed ({p.returncode}): {p.stderr[-500:]}")
    return json.loads(p.stdout)


def bench_ms(gsconv, shape, layout, threads, cache, out):
    """Median ms of the plan's choice for shape under cache (Google Benchmark JSON)."""
    env = dict(os.environ, GSCONV_CACHE=cache)
    cmd = [gsconv, "bench", shape, "--layout", layout, "--threads", str(threads),
           "--variants", "tuned", "--repetitions", "3", "--min-time", "0.05", "--out", out]
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"tune_quality: {' '.join(cmd)} failed ({p.returncode}): {p.stderr[-500:]}")
    with open(out) as f:
        data = json.load(f)
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median" and "gsconv:tuned" in b["name"]:
            unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
            return b["real_time"] * unit, b.get("label", "")
    sys.exit(f"tune_quality: no gsconv:tuned median for {shape} in {out}")


def cfg(r):
    return (r["variant"], r["params"], r["threads"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gsconv")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--layout", default="nhwc")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--patient-limit", type=float, default=4.0,
                    help="seconds of timing per shape for PATIENT (default 4)")
    ap.add_argument("--rounds", type=int, default=3, help="head-to-head rounds (default 3)")
    ap.add_argument("--json", help="write the rows as JSON here")
    a = ap.parse_args()
    common = [*a.inputs, "--layout", a.layout, "--threads", str(a.threads)]
    tmp = tempfile.mkdtemp(prefix="gsconv-tq-")
    try:
        caches = {r: os.path.join(tmp, r + ".json") for r in ("M", "P", "E")}
        subprocess.run([a.gsconv, "info", "--measure-peak", "--cache", caches["E"]],
                       capture_output=True, check=True)
        for r in ("M", "P", "E0"):
            shutil.copyfile(caches["E"], caches.setdefault(r, os.path.join(tmp, r + ".json")))
        meas = tune(a.gsconv, common, "measure", caches["M"])
        pat = tune(a.gsconv, common, "patient", caches["P"], a.patient_limit)
        # what a plan makes of cache E: the cost model alone (ESTIMATE into a copy, so E
        # keeps nothing but the peaks). Not MEASURE's estimate_pick: that one has the
        # calibration MEASURE learned from the shapes it timed before.
        est = tune(a.gsconv, common, "estimate", caches["E0"])
        pick = {(r["shape"], r["layout"]): r for r in pat["results"]}
        epick = {(r["shape"], r["layout"]): r for r in est["results"]}
        rows = []
        for m in meas["results"]:
            sk = (m["shape"], m["layout"])
            p, e = pick[sk], epick[sk]
            cfgs = {"M": cfg(m), "P": cfg(p), "E": cfg(e)}
            t = {}
            if len(set(cfgs.values())) > 1:
                best = {}
                for _ in range(a.rounds):
                    for r in ("M", "P", "E"):
                        ms, _label = bench_ms(a.gsconv, m["shape"], m["layout"], a.threads,
                                              caches[r], os.path.join(tmp, "b.json"))
                        best[r] = min(best.get(r, ms), ms)
                t = best
            ratio = lambda r: t[r] / t["P"] if t else 1.0
            rows.append({"shape": m["shape"], "layout": m["layout"],
                         "patient": "%s:%s t%d" % cfgs["P"], "measure": "%s:%s t%d" % cfgs["M"],
                         "estimate": "%s:%s t%d" % cfgs["E"], "ms": t,
                         "measure_ratio": ratio("M"), "estimate_ratio": ratio("E")})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{'shape':40} {'MEASURE/PATIENT':>15} {'ESTIMATE/PATIENT':>16}  picks (P | M | E; same = one timing skipped)")
    for w in rows:
        print(f"{w['shape']:40} {w['measure_ratio']:15.3f} {w['estimate_ratio']:16.3f}  "
              f"{w['patient']} | {w['measure']} | {w['estimate']}")
    n = len(rows)
    m_ok = sum(1 for w in rows if w["measure_ratio"] <= 1.05)
    e_ok = sum(1 for w in rows if w["estimate_ratio"] <= 1.3)
    print(f"\n{n} shapes ({a.layout}, {a.threads} thread(s)); MEASURE tuning took "
          f"{meas['seconds']:.1f} s, PATIENT {pat['seconds']:.1f} s")
    print(f"MEASURE pick within 5% of the PATIENT pick: {m_ok}/{n} ({100 * m_ok / n:.0f}%)")
    print(f"ESTIMATE pick within 1.3x of the PATIENT pick: {e_ok}/{n} ({100 * e_ok / n:.0f}%)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
