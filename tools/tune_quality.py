#!/usr/bin/env python3
"""How good are the tuner's cheap picks? (the targets of docs/tuner.md, "Pick quality")

For every distinct shape of the given suites (or descriptors):
  1. `gsconv tune --rigor measure`  into a fresh cache: the MEASURE pick (and, in the same
     JSON, the ESTIMATE pick);
  2. `gsconv tune --rigor patient` into another fresh cache with GSCONV_VERBOSE=1, which
     times every candidate side by side (interleaved samples, medians) and prints each
     one's median.
Both picks are then looked up among the PATIENT run's own medians, so every ratio
compares timings taken in one run: MEASURE pick / PATIENT best and ESTIMATE pick /
PATIENT best. A pick that PATIENT dropped before it had a median counts as missing.

Usage: tune_quality.py GSCONV_BIN (SUITE_FILE | DESC)... [--layout L] [--threads N]
                       [--patient-limit S] [--json OUT]
Prints one row per shape and the summary: the share of shapes whose MEASURE pick is
within 5 % of the PATIENT best, and whose ESTIMATE pick is within 1.3x.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"^gsconv: tune (\S+) (\S+): (\S+)\s+(\S+)\s+t(\d+) est \S+ ms\s+median (\S+) ms")


def key(variant, params, threads):
    return (variant, params or "-", int(threads))


def run_tune(gsconv, args, rigor, cache, extra_env=None, limit=None):
    cmd = [gsconv, "tune", *args, "--rigor", rigor, "--cache", cache, "--json"]
    if limit:
        cmd += ["--time-limit", str(limit)]
    env = dict(os.environ)
    env.update(extra_env or {})
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"tune_quality: {' '.join(cmd)} failed ({p.returncode}): {p.stderr[-500:]}")
    return json.loads(p.stdout), p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gsconv")
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--layout", default="nhwc")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--patient-limit", type=float, default=10.0,
                    help="seconds of timing per shape for the PATIENT sweep (default 10)")
    ap.add_argument("--json", help="write the rows as JSON here")
    a = ap.parse_args()
    common = [*a.inputs, "--layout", a.layout, "--threads", str(a.threads)]
    with tempfile.TemporaryDirectory() as tmp:
        # a shared peak probe, so neither run spends its time limit on it
        peak = os.path.join(tmp, "peak.json")
        subprocess.run([a.gsconv, "info", "--measure-peak", "--cache", peak],
                       capture_output=True, check=True)
        cm, cp = os.path.join(tmp, "m.json"), os.path.join(tmp, "p.json")
        for c in (cm, cp):
            with open(peak, "rb") as f, open(c, "wb") as g:
                g.write(f.read())
        meas, _ = run_tune(a.gsconv, common, "measure", cm)
        pat, log = run_tune(a.gsconv, common, "patient", cp, {"GSCONV_VERBOSE": "1"},
                            a.patient_limit)
    medians = {}
    for line in log.splitlines():
        m = LINE.match(line)
        if m and m.group(6) != "inf":
            medians.setdefault((m.group(1), m.group(2)), {})[key(m.group(3), m.group(4), m.group(5))] = float(m.group(6))
    rows = []
    pbest = {(r["shape"], r["layout"]): r for r in pat["results"]}
    for r in meas["results"]:
        sk = (r["shape"], r["layout"])
        med = medians.get(sk, {})
        best = min(med.values()) if med else None
        mp = med.get(key(r["variant"], r["params"], r["threads"]))
        e = r["estimate_pick"]
        ep = med.get(key(e["variant"], e["params"], e["threads"]))
        rows.append({"shape": r["shape"], "layout": r["layout"],
                     "patient_best": pbest[sk]["variant"] + ":" + (pbest[sk]["params"] or "-"),
                     "patient_ms": best, "measure_pick": r["variant"] + ":" + (r["params"] or "-"),
                     "measure_ratio": mp / best if mp and best else None,
                     "estimate_pick": e["variant"] + ":" + (e["params"] or "-"),
                     "estimate_ratio": ep / best if ep and best else None})
    print(f"{'shape':40} {'PATIENT best ms':>15} {'MEASURE/best':>12} {'ESTIMATE/best':>13}  measure pick / estimate pick")
    fmt = lambda x: f"{x:.3f}" if x else "dropped"
    for w in rows:
        print(f"{w['shape']:40} {w['patient_ms'] or 0:15.4f} {fmt(w['measure_ratio']):>12} "
              f"{fmt(w['estimate_ratio']):>13}  {w['measure_pick']} / {w['estimate_pick']}")
    n = len(rows)
    m_ok = sum(1 for w in rows if w["measure_ratio"] and w["measure_ratio"] <= 1.05)
    e_ok = sum(1 for w in rows if w["estimate_ratio"] and w["estimate_ratio"] <= 1.3)
    print(f"\n{n} shapes ({a.layout}, {a.threads} thread(s)); MEASURE took {meas['seconds']:.1f} s")
    print(f"MEASURE pick within 5% of the PATIENT best: {m_ok}/{n} ({100 * m_ok / n:.0f}%)")
    print(f"ESTIMATE pick within 1.3x of the PATIENT best: {e_ok}/{n} ({100 * e_ok / n:.0f}%)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
