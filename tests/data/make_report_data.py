#!/usr/bin/python3
"""Writes the synthetic result files the report tests use (tests/test_report.sh).

Run from anywhere: /usr/bin/python3 tests/data/make_report_data.py. The output is
deterministic and checked in; rerun only to change the cases. The files have the shape of
gsconv-bench's Google Benchmark JSON (context + per-repetition entries + aggregates).

  report_base.json       10 repetitions of 4 benchmarks (2 suites, gsconv + a peer); the
                         "cv" aggregates hold a bare NaN, as Google Benchmark writes them
  report_regressed.json  the same, one gsconv benchmark 20% slower: exit 1
  report_noise.json      new noise, one benchmark 1% slower (below the threshold): exit 0
  report_peer_slower.json  the peer (onednn:best) 30% slower, gsconv unchanged: the peer
                         row says so, but it is machine drift, not a regression: exit 0
  report_few_base.json   3 repetitions each ...
  report_few_new.json    ... and 30% slower: "too few repetitions", exit 0
  report_malformed.json  truncated JSON: exit 2
  report_foreign.json    valid JSON, not a Google Benchmark result: exit 2
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

BENCHES = [  # suite, descriptor, layout, backend, median seconds, repeat
    ("shufflenet_v1_g3", "g3mb1ic240ih28oc60oh28kh1sg3", "nhwc", "gsconv:tuned", 120e-6, 3),
    ("shufflenet_v1_g3", "g3mb1ic240ih28oc60oh28kh1sg3", "nhwc", "onednn:best", 150e-6, 3),
    ("shufflenet_v1_g3", "g60mb1ic60ih28oc60oh28kh3ph1", "nhwc", "gsconv:tuned", 30e-6, 3),
    ("resnext50_32x4d", "g32mb1ic128ih56oc128oh56kh3ph1", "nchw", "gsconv:tuned", 900e-6, 3),
]


def context(commit):
    return {
        "date": "2026-01-01T00:00:00+00:00", "host_name": "testhost",
        "executable": "gsconv-bench", "num_cpus": 2, "mhz_per_cpu": 2600,
        "cpu_scaling_enabled": False, "caches": [], "load_avg": [0.1, 0.1, 0.1],
        "library_build_type": "release",
        "gsconv_version": "0.1.0", "gsconv_commit": commit, "gsconv_isa": "avx512",
        "gsconv_threads": "1", "gsconv_fingerprint": "test", "gsconv_machine_key": "0123456789abcdef",
        "gsconv_peak_gflops": "117.000", "gsconv_peak_source": "test",
        "gsconv_bandwidth_gbs": "30.000", "gsconv_bandwidth_source": "test",
        "gsconv_peers": "onednn",
        "gsconv_suite_title:shufflenet_v1_g3": "ShuffleNet v1 g=3",
        "gsconv_suite_title:resnext50_32x4d": "ResNeXt-50 32x4d",
    }


def run(commit, reps, seed, scale=None, noise=0.01):
    rng = random.Random(seed)
    out = []
    for fam, (suite, desc, layout, backend, t, repeat) in enumerate(BENCHES):
        name = f"{suite}/{desc}/{layout}/{backend}/real_time"
        f = (scale or {}).get(fam, 1.0)
        times = [t * f * (1 + rng.uniform(-noise, noise)) for _ in range(reps)]
        for i, x in enumerate(times):
            out.append({
                "name": name, "family_index": fam, "per_family_instance_index": 0,
                "run_name": name, "run_type": "iteration", "repetitions": reps,
                "repetition_index": i, "threads": 1, "iterations": 1000,
                "real_time": x * 1e6, "cpu_time": x * 1e6, "time_unit": "us",
                "GFLOP/s": 1.0, "bytes/s": 1e9, "peak_frac": 0.5, "repeat": float(repeat),
                "label": "direct_nhwc__avx512" if backend.startswith("gsconv") else "jit:avx512_core",
            })
        s = sorted(times)
        med = s[reps // 2] if reps % 2 else 0.5 * (s[reps // 2 - 1] + s[reps // 2])
        mean = sum(times) / reps
        for agg, v in (("mean", mean), ("median", med), ("cv", 0.01)):
            out.append({
                "name": f"{name}_{agg}", "family_index": fam, "per_family_instance_index": 0,
                "run_name": name, "run_type": "aggregate", "repetitions": reps, "threads": 1,
                "aggregate_name": agg, "aggregate_unit": "time", "iterations": reps,
                "real_time": v * 1e6, "cpu_time": v * 1e6, "time_unit": "us",
            })
            if agg == "cv":  # as Google Benchmark writes it for a counter that is always 0
                out[-1]["reorder_src_ms"] = float("nan")
    return {"context": context(commit), "benchmarks": out}


def write(name, doc):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


write("report_base.json", run("aaaaaaa", 10, 1))
write("report_regressed.json", run("bbbbbbb", 10, 2, scale={0: 1.20}))
write("report_noise.json", run("ccccccc", 10, 3, scale={2: 1.01}))
write("report_peer_slower.json", run("fffffff", 10, 7, scale={1: 1.30}))
write("report_few_base.json", run("aaaaaaa", 3, 4))
write("report_few_new.json", run("ddddddd", 3, 5, scale={0: 1.30, 3: 1.30}))
text = json.dumps(run("eeeeeee", 2, 6), indent=2)
with open(os.path.join(HERE, "report_malformed.json"), "w") as f:
    f.write(text[: len(text) // 2])
write("report_foreign.json", {"name": "not a benchmark result", "values": [1, 2, 3]})
