/*
 * The machine facts a benchmark run records: FMA peak and memory bandwidth (from the
 * tuner's CPU probe, which measures them once and keeps them in the cache file, unless
 * flags override them), fingerprint, ISA, commit.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#ifndef GSCONV_BENCH_COMMIT
#define GSCONV_BENCH_COMMIT "unknown"
#endif
#ifndef GSCONV_SOURCE_DIR
#define GSCONV_SOURCE_DIR ""
#endif

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

float *bench_alloc_floats(size_t n)
{
    const size_t bytes = ((n ? n : 1) * sizeof(float) + 63) / 64 * 64;
    return aligned_alloc(64, bytes);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    if (n <= 0) return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The commit: `git rev-parse --short HEAD` in the source tree now (the tree may have
 * moved on since configure), else the one CMake saw at configure time, else "unknown".
 * A tree with uncommitted changes gets "-dirty". */
static void find_commit(char *buf, size_t len)
{
    snprintf(buf, len, "%s", GSCONV_BENCH_COMMIT);
    if (!GSCONV_SOURCE_DIR[0]) return;
    char cmd[1200];
    snprintf(cmd, sizeof cmd,
             "git -C '%s' rev-parse --short HEAD 2>/dev/null && "
             "git -C '%s' diff --quiet HEAD -- 2>/dev/null || echo dirty",
             GSCONV_SOURCE_DIR, GSCONV_SOURCE_DIR);
    FILE *f = popen(cmd, "r");
    if (!f) return;
    char line[64], hash[64] = "";
    bool dirty = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!strcmp(line, "dirty"))
            dirty = true;
        else if (!hash[0] && line[0])
            snprintf(hash, sizeof hash, "%s", line);
    }
    if (pclose(f) == -1 || !hash[0]) return;
    snprintf(buf, len, "%s%s", hash, dirty ? "-dirty" : "");
}

void bench_machine_probe(bench_machine *m, int threads, double peak_flag, double bw_flag)
{
    memset(m, 0, sizeof *m);
    find_commit(m->commit, sizeof m->commit);
    snprintf(m->isa, sizeof m->isa, "%s", gsconv_isa_name(gsconv_isa_available()));

    gsconv_cpu_info ci;
    memset(&ci, 0, sizeof ci);
    const bool probed = gsconv_cpu_probe(&ci) == GSCONV_OK;
    if (probed) {
        snprintf(m->fingerprint, sizeof m->fingerprint, "%s", ci.fingerprint);
        snprintf(m->machine_key, sizeof m->machine_key, "%s", ci.machine_key);
    } else {
        snprintf(m->fingerprint, sizeof m->fingerprint, "unknown");
        snprintf(m->machine_key, sizeof m->machine_key, "unknown");
    }
    /* the tuner's measured peak: from the cache file if stored, else measured now
     * (about 0.3 s) and stored */
    bool had = probed && ci.peak_gflops > 0;
    bool measured = false;
    if (probed && (peak_flag <= 0 || bw_flag <= 0) && !had) {
        if (gsconv_cpu_measure_peak(&ci, NULL, 0) == GSCONV_OK && ci.peak_gflops > 0) measured = true;
    }
    const int cores = probed && ci.cores > 0 ? ci.cores : 1;
    const int used = threads < cores ? threads : cores;
    if (peak_flag > 0) {
        m->peak_gflops = peak_flag;
        snprintf(m->peak_source, sizeof m->peak_source, "--peak-gflops");
    } else if (probed && ci.peak_gflops > 0) {
        /* one core's FMA peak x the cores the threads can use */
        m->peak_gflops = ci.peak_gflops * used;
        snprintf(m->peak_source, sizeof m->peak_source, "cpu probe (%s), %d core%s",
                 measured ? "measured now" : "cached", used, used > 1 ? "s" : "");
    } else {
        snprintf(m->peak_source, sizeof m->peak_source, "unknown");
    }
    if (bw_flag > 0) {
        m->bandwidth_gbs = m->bw_l2_gbs = m->bw_l3_gbs = bw_flag;
        snprintf(m->bandwidth_source, sizeof m->bandwidth_source, "--bandwidth-gbs");
    } else if (probed && ci.copy_gbs > 0) {
        /* memcpy of N bytes reads N and writes N: the bytes touched per second are twice
         * the probe's copy rate. The probe copies with one thread: L2 is private, so its
         * rate scales with the cores used; the shared last cache and memory are taken
         * at the one-thread rate (a conservative bound). */
        m->bandwidth_gbs = 2 * ci.copy_gbs;
        m->bw_l2_gbs = 2 * ci.copy_gbs_l2 * used;
        m->bw_l3_gbs = 2 * ci.copy_gbs_l3;
        for (int i = 0; i < ci.ncaches; i++) {
            const gsconv_cpu_cache *c = &ci.caches[i];
            if (c->type == 'i') continue;
            const int inst = c->instances > 0 ? c->instances : 1;
            if (c->level == 2) m->l2_bytes = (double)c->size * (inst < used ? inst : used);
            if (c->level >= 3 && (double)c->size * inst > m->l3_bytes) m->l3_bytes = (double)c->size * inst;
        }
        snprintf(m->bandwidth_source, sizeof m->bandwidth_source, "cpu probe memcpy x2 (%s)",
                 measured ? "measured now" : "cached");
    } else {
        snprintf(m->bandwidth_source, sizeof m->bandwidth_source, "unknown");
    }
}

double bench_roofline_gflops(const bench_machine *m, double flops, double bytes)
{
    if (m->peak_gflops <= 0 || m->bandwidth_gbs <= 0 || bytes <= 0) return 0;
    double bw = m->bandwidth_gbs;
    if (m->bw_l2_gbs > 0 && bytes <= m->l2_bytes)
        bw = m->bw_l2_gbs;
    else if (m->bw_l3_gbs > 0 && bytes <= m->l3_bytes)
        bw = m->bw_l3_gbs;
    const double bound = flops / bytes * bw;
    return bound < m->peak_gflops ? bound : m->peak_gflops;
}
