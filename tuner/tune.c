/*
 * Candidates, the ESTIMATE cost model and the timing of MEASURE / PATIENT
 * (docs/tuner.md has the reasoning and the numbers behind the constants).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tuner.h"

/* ---------------------------------------------------------------- parameters */

void gsconv_params_format(const gsconv_variant *v, const gsconv_kparams *kp, char *buf, size_t len)
{
    size_t off = 0;
    if (len) buf[0] = 0;
    for (int i = 0; i < GSCONV_MAX_PARAMS; i++) {
        const gsconv_param_desc *d = &v->ops->params[i];
        if (d->nvalues <= 0 || !d->name) continue;
        if (off < len)
            off += (size_t)snprintf(buf + off, len - off, "%s%s=%d", off ? "," : "", d->name, kp->v[i]);
    }
}

bool gsconv_params_parse(const gsconv_variant *v, const char *s, gsconv_kparams *kp)
{
    gsconv_kparams_default(v, kp);
    if (!s || !*s) return true;
    char buf[256];
    if ((size_t)snprintf(buf, sizeof buf, "%s", s) >= sizeof buf) return false;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) return false;
        *eq = 0;
        char *end;
        long val = strtol(eq + 1, &end, 10);
        if (*end) return false;
        int slot = -1;
        for (int i = 0; i < GSCONV_MAX_PARAMS; i++) {
            const gsconv_param_desc *d = &v->ops->params[i];
            if (d->nvalues > 0 && d->name && strcmp(d->name, tok) == 0) slot = i;
        }
        if (slot < 0) return false;
        const gsconv_param_desc *d = &v->ops->params[slot];
        bool ok = false;
        for (int j = 0; j < d->nvalues && j < GSCONV_MAX_PARAM_VALUES; j++) ok |= d->values[j] == val;
        if (!ok) return false;
        kp->v[slot] = (int)val;
    }
    return true;
}

void gsconv_pick_fill(gsconv_tune_pick *pk, const gsconv_problem *p, const gsconv_variant *v,
                      const gsconv_kparams *kp, int threads, double seconds)
{
    memset(pk, 0, sizeof *pk);
    if (!v) return;
    snprintf(pk->variant, sizeof pk->variant, "%s", v->name);
    gsconv_params_format(v, kp, pk->params, sizeof pk->params);
    for (int i = 0; i < GSCONV_MAX_PARAMS; i++) pk->param_values[i] = kp->v[i];
    pk->threads = threads;
    pk->ms = seconds * 1e3;
    pk->gflops = seconds > 0 ? gsconv_problem_flops(p) / seconds * 1e-9 : 0;
}

/* ---------------------------------------------------------------- the cost model */

/* FMA peak of one core of the development machine (AMD Zen 4 VM, 2 cores), as
 * gsconv_cpu_measure_peak measures it on a quiet machine (best ISA loop, AVX2 on Zen 4):
 * 78-117 GFLOP/s over repeated `gsconv info --measure-peak`; /tmp/fma_peak: 77.9 (AVX2). */
#define GSCONV_DEV_PEAK 80.0

/* OpenMP fork/join of one parallel region with 2 threads on the 2-core Zen 4 VM:
 * ~4 us (tests: `gsconv tune` of a 1x1 8-channel shape, 1 vs 2 threads). */
#define FORK_JOIN_S 4e-6

static int64_t cache_bytes(const gsconv_cpu_info *ci, int level, int64_t *shared_by)
{
    for (int i = 0; i < ci->ncaches; i++) {
        const gsconv_cpu_cache *c = &ci->caches[i];
        if (c->level == level && c->type != 'i') {
            if (shared_by) *shared_by = c->cores_sharing > 0 ? c->cores_sharing : 1;
            return c->size;
        }
    }
    return 0;
}

double gsconv_cost_model(const gsconv_problem *p, const gsconv_variant *v, const gsconv_kparams *kp,
                         int threads, double peak_gflops, double bw_l2, double bw_l3, double bw_mem)
{
    const gsconv_cpu_info *ci = gsconv_cpu_static();
    const double flops = gsconv_problem_flops(p);
    /* 1. compute: the row's own single-thread estimate. The kernels' authors measured
     *    their rates on the development machine (one Zen 4 core, GSCONV_DEV_PEAK GFLOP/s
     *    of FMA peak with 256- and 512-bit vectors alike); on another machine all rows
     *    scale by the ratio of the peaks, peak_gflops being the one of the row's vector
     *    width (the caller's choice, see vec_bits). This keeps the rows' ranking (a
     *    clamp at the peak would flatten it). */
    double t1 = v->ops->estimate(p, kp);
    if (!(t1 > 0)) t1 = flops / 1e9;
    if (peak_gflops > 0) t1 *= GSCONV_DEV_PEAK / peak_gflops;
    /* 2. parallel split over n x g x oh (the grain the kernels parallelise over):
     *    the busiest thread does ceil(units / threads) of them. */
    const double units = (double)p->n * (double)p->g * (double)p->oh;
    const double per_thread = ceil(units / threads) / units;
    double t_comp = t1 * per_thread;
    if (threads > 1) t_comp += FORK_JOIN_S;
    /* 3. memory: compulsory bytes (src, packed wei, dst) streamed at the bandwidth of the
     *    level the working set fits in: a thread's share in its L2, the whole set in the
     *    last-level cache, else memory (shared, so it does not scale with threads). */
    const double bytes = 4.0 * (double)(gsconv_problem_src_elems(p) + gsconv_problem_wei_elems(p) +
                                        gsconv_problem_dst_elems(p));
    int64_t l2_share = 1, l3_share = 1;
    const int64_t l2 = cache_bytes(ci, 2, &l2_share);
    const int64_t l3 = cache_bytes(ci, 3, &l3_share);
    double bw;
    if (l2 > 0 && bytes / threads <= (double)l2 * 0.75)
        bw = bw_l2 * threads;
    else if (l3 > 0 && bytes <= (double)l3 * 0.75)
        bw = bw_l3 * threads;
    else
        bw = bw_mem * (threads > 1 ? 1.5 : 1.0);
    const double t_mem = bytes / (bw * 1e9);
    /* 4. the two overlap: the slower one bounds the time. 1% of the other one breaks
     *    the ties between memory-bound candidates by their compute: with the bare
     *    maximum they all cost t_mem and the table order picked (Sapphire Rapids, whose
     *    probe reads 8.4 GB/s of L3 copy: ESTIMATE chose direct_nhwc for all 24 NHWC
     *    ResNeXt-50 shapes, 2.5x slower than fewc_nhwc on g32 ic128 56x56) */
    return t_comp > t_mem ? t_comp + 0.01 * t_mem : t_mem + 0.01 * t_comp;
}

void gsconv_calib_keys(const gsconv_problem *p, const gsconv_variant *v, int threads,
                       char *generic, char *by_class, size_t len)
{
    const char *cls = p->kh * p->kw == 1 ? "1x1" : p->c == p->g ? "dw" : "kxk";
    snprintf(generic, len, "%s@%d", v->name, threads);
    snprintf(by_class, len, "%s@%d@%s%s", v->name, threads, cls, p->sh > 1 || p->sw > 1 ? "s2" : "");
}

/* Thread counts tried for a budget: 1, powers of two, and the budget. */
static int thread_counts(int budget, int *out)
{
    int n = 0;
    for (int t = 1; t < budget && n < 30; t *= 2) out[n++] = t;
    out[n++] = budget;
    return n;
}

/* The vector width of a row's kernels (the ops' vec_bits, else the ISA's), for the peak
 * its estimate scales by: on a core with two 512-bit FMA pipes (Sapphire Rapids) the
 * AVX2 loop measures half the AVX-512 one, 95 against 179 GFLOP/s, where Zen 4 measures
 * both alike; scaled by the one peak, the 256-bit rows (AVX2, gemm_ymm__avx512) were
 * estimated twice too fast there, and ESTIMATE chose direct_nhwc__avx2 and
 * gemm_ymm__avx512 for g32 stride-2 layers that ran 1.6x and 4.8x slower than
 * fewc_nhwc__avx512. */
static int vec_bits(const gsconv_variant *v)
{
    if (v->ops->vec_bits > 0) return v->ops->vec_bits;
    switch (v->isa) {
    case GSCONV_ISA_AVX512: return 512;
    case GSCONV_ISA_AVX2: return 256;
    case GSCONV_ISA_NEON: return 128;
    default: return 32;
    }
}

static int cmp_cand(const void *a, const void *b)
{
    const gsconv_candidate *x = a, *y = b;
    if (x->est != y->est) return x->est < y->est ? -1 : 1;
    if (x->v != y->v) return x->v < y->v ? -1 : 1; /* table order breaks ties */
    return x->threads - y->threads;
}

/* ---------------------------------------------------------------- accuracy constraint */

static gsconv_status parse_rel_error(const char *what, const char *text, double *out)
{
    char *end;
    errno = 0;
    const double x = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(x) || x <= 0)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT,
                                "%s='%s' is not a positive relative error (e.g. 1e-4)", what, text);
    *out = x;
    return GSCONV_OK;
}

gsconv_status gsconv_accuracy_resolve(int no_winograd, double max_rel_error, gsconv_accuracy *out)
{
    out->winograd = true;
    out->max_rel_error = GSCONV_DEFAULT_MAX_REL_ERROR;
    const char *nw = getenv("GSCONV_NO_WINOGRAD");
    if (no_winograd || (nw && *nw && strcmp(nw, "0") != 0)) out->winograd = false;
    if (max_rel_error != 0) {
        if (!isfinite(max_rel_error) || max_rel_error < 0)
            return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT,
                                    "max_rel_error %g is not a positive relative error", max_rel_error);
        out->max_rel_error = max_rel_error;
        return GSCONV_OK;
    }
    const char *env = getenv("GSCONV_MAX_REL_ERROR");
    if (env && *env) return parse_rel_error("GSCONV_MAX_REL_ERROR", env, &out->max_rel_error);
    return GSCONV_OK;
}

bool gsconv_accuracy_is_default(const gsconv_accuracy *a)
{
    return a->winograd && a->max_rel_error == GSCONV_DEFAULT_MAX_REL_ERROR;
}

bool gsconv_accuracy_allows(const gsconv_accuracy *a, const gsconv_variant *v,
                            const gsconv_problem *p, char *why, size_t len)
{
    if (v->algo == GSCONV_ALGO_WINOGRAD && !a->winograd) {
        if (why) snprintf(why, len, "Winograd is turned off");
        return false;
    }
    if (v->tol == GSCONV_TOL_EXACT || !v->ops->error_factor) return true;
    const double e = v->ops->error_factor(p) * 0x1p-24;
    if (e > a->max_rel_error) {
        if (why) snprintf(why, len, "expected relative error %.2g exceeds the tolerance %.2g", e,
                          a->max_rel_error);
        return false;
    }
    return true;
}

gsconv_status gsconv_candidates(const gsconv_problem *p, gsconv_isa isa, int budget,
                                const gsconv_accuracy *acc, const char *cache_path,
                                gsconv_candidate **out, int *n)
{
    gsconv_accuracy dflt = {true, GSCONV_DEFAULT_MAX_REL_ERROR};
    if (!acc) acc = &dflt;
    *out = NULL;
    *n = 0;
    double peak, peak256, b2, b3, bm;
    gsconv_cpu_model_peaks(cache_path, &peak, &peak256, &b2, &b3, &bm);
    if (!(peak > 0)) {
        /* no measured peak: the rows' estimates as they are, but the 256-bit ones at the
         * rate this core runs them (without it ESTIMATE ranked AVX2 rows with AVX-512
         * ones on Sapphire Rapids and chose direct_nhwc__avx2 for
         * g32mb1ic512ih28oc512oh14kh3sh2ph1 NHWC: 387 us against 222) */
        peak = GSCONV_DEV_PEAK;
        peak256 = GSCONV_DEV_PEAK * gsconv_cpu_ratio_256();
    }
    int tc[32];
    const int ntc = thread_counts(budget < 1 ? 1 : budget, tc);
    size_t cap = 64, cnt = 0;
    gsconv_candidate *v = malloc(cap * sizeof *v);
    if (!v) return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tuner: out of memory");
    for (int r = 0; r < gsconv_registry_size; r++) {
        const gsconv_variant *var = &gsconv_registry[r];
        if (!gsconv_registry_applicable(var, p, isa, NULL, 0)) continue;
        if (!gsconv_accuracy_allows(acc, var, p, NULL, 0)) continue;
        /* odometer over the parameter slots */
        int idx[GSCONV_MAX_PARAMS] = {0};
        for (;;) {
            gsconv_kparams kp;
            gsconv_kparams_default(var, &kp);
            for (int i = 0; i < GSCONV_MAX_PARAMS; i++)
                if (var->ops->params[i].nvalues > 0) kp.v[i] = var->ops->params[i].values[idx[i]];
            const bool same = var->ops->redundant && var->ops->redundant(p, &kp);
            for (int t = 0; t < ntc && !same; t++) {
                if (cnt == cap) {
                    cap *= 2;
                    gsconv_candidate *nv = realloc(v, cap * sizeof *v);
                    if (!nv) {
                        free(v);
                        return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tuner: out of memory");
                    }
                    v = nv;
                }
                gsconv_candidate *c = &v[cnt++];
                c->v = var;
                c->kp = kp;
                c->threads = tc[t];
                c->est_base = gsconv_cost_model(p, var, &kp, tc[t],
                                                vec_bits(var) <= 256 ? peak256 : peak, b2, b3, bm);
                c->est = c->est_base; /* calibrated below */
            }
            int i = 0;
            for (; i < GSCONV_MAX_PARAMS; i++) {
                const int nv = var->ops->params[i].nvalues;
                if (nv <= 0) continue;
                if (++idx[i] < (nv < GSCONV_MAX_PARAM_VALUES ? nv : GSCONV_MAX_PARAM_VALUES)) break;
                idx[i] = 0;
            }
            if (i == GSCONV_MAX_PARAMS) break;
        }
    }
    /* calibration: the shape-class factor if known, else the variant's, at this thread
     * count; without either, the single-thread ones (the factor is mostly the kernel's own
     * efficiency: a cache tuned with --threads 1 must not leave the 2-thread estimates
     * of the calibrated rows 2-4x too slow next to uncalibrated ones) */
    char(*keys)[96] = malloc(cnt * 4 * sizeof *keys);
    double *f = malloc(cnt * 4 * sizeof *f);
    bool *found = malloc(cnt * 4 * sizeof *found);
    if (keys && f && found && cache_path) {
        for (size_t i = 0; i < cnt; i++) {
            gsconv_calib_keys(p, v[i].v, v[i].threads, keys[4 * i], keys[4 * i + 1], sizeof keys[0]);
            gsconv_calib_keys(p, v[i].v, 1, keys[4 * i + 2], keys[4 * i + 3], sizeof keys[0]);
        }
        gsconv_cache_calibrations(cache_path, (const char(*)[96])keys, (int)cnt * 4, f, found);
        for (size_t i = 0; i < cnt; i++) {
            const size_t k = 4 * i;
            const double fi = found[k + 1] ? f[k + 1]
                              : found[k]   ? f[k]
                              : found[k + 3] ? f[k + 3]
                                             : f[k + 2];
            v[i].est = v[i].est_base * fi;
        }
    }
    free(keys);
    free(f);
    free(found);
    qsort(v, cnt, sizeof *v, cmp_cand);
    *out = v;
    *n = (int)cnt;
    return GSCONV_OK;
}

/* ---------------------------------------------------------------- timing */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct timed {
    gsconv_candidate c;
    gsconv_kinstance ki;
    bool ready, alive;
    int reps;        /* executes per sample (so a sample lasts >= SAMPLE_S) */
    double *s;       /* per-execute seconds of each sample */
    int ns, cap;
    double median;
} timed;

/* A sample lasts at least this long, so timer and loop overhead stay < 0.1%. */
#define SAMPLE_S 200e-6

static int cmp_dbl(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile of the samples (q = 0.5: the median), linear between order statistics. */
static double quantile_of(const double *s, int n, double q)
{
    if (n <= 0) return INFINITY;
    double *t = malloc((size_t)n * sizeof *t);
    if (!t) return s[0];
    memcpy(t, s, (size_t)n * sizeof *t);
    qsort(t, (size_t)n, sizeof *t, cmp_dbl);
    const double pos = q * (n - 1);
    const int lo = (int)pos;
    const double m = lo + 1 < n ? t[lo] + (pos - lo) * (t[lo + 1] - t[lo]) : t[lo];
    free(t);
    return m;
}

/* Which quantile of its samples ranks a candidate (GSCONV_TUNE_QUANTILE, 0 < q <= 1).
 * Default the lower quartile: on a shared machine the noise only ever adds time, in
 * bursts, and a burst during one candidate's few samples moved its median enough to pick
 * a configuration 16% slower (g8 768->192 sg8 14x14 NHWC, MEASURE: gemm_12x32__avx512 at
 * 88.7 us over gemm_6x16__avx2, 76.6 us side by side). */
#define TUNE_QUANTILE_DEFAULT 0.25
static double rank_quantile(void)
{
    const char *e = getenv("GSCONV_TUNE_QUANTILE");
    double q = e && *e ? strtod(e, NULL) : TUNE_QUANTILE_DEFAULT;
    return q > 0 && q <= 1 ? q : TUNE_QUANTILE_DEFAULT;
}

/* the median of t's samples (t->median holds the ranking quantile) */
static double median_of(const timed *t)
{
    return t->ns ? quantile_of(t->s, t->ns, 0.5) : t->median;
}

static bool add_sample(timed *t, double sec)
{
    if (t->ns == t->cap) {
        int nc = t->cap ? t->cap * 2 : 16;
        double *ns = realloc(t->s, (size_t)nc * sizeof *ns);
        if (!ns) return false;
        t->s = ns;
        t->cap = nc;
    }
    t->s[t->ns++] = sec;
    return true;
}

static void sample(timed *t, const float *src, float *dst)
{
    /* Candidates take their samples in turns, so each sample starts with the caches
     * holding the previous candidate's weights and scratch. One untimed execute first
     * (when a sample is a few executes) measures what gsconv bench and a model running
     * one layer repeatedly see: without it, the candidates with the smallest footprint
     * were favoured (ResNeXt g32 ic512 14x14 NCHW: wino_f2k3, 1.2 MB of transformed
     * filters, stored at 0.265 ms over wino_f4k3, 2.4 MB, which runs 0.222 warm against
     * f2k3's 0.256). Two when a sample is one execute: on a Sapphire Rapids VM (L3 a
     * victim cache shared with other tenants) one was not enough for 8 MiB of packed
     * weights: g1mb1ic1024ih7oc2048oh7kh1 NHWC, gemm_12x32 timed 1.90-1.93 ms after one
     * warm-up execute, 1.52-1.59 after two, 1.42 run back to back (the throwaway timer
     * over the kernel API), and the tuner stored direct_nhwc (1.73-1.79 every way). */
    const int warm = t->reps == 1 ? 2 : t->reps < 8 ? 1 : 0;
    for (int w = 0; w < warm; w++) gsconv_kinstance_execute(&t->ki, src, dst);
    const double t0 = now_s();
    for (int r = 0; r < t->reps; r++) gsconv_kinstance_execute(&t->ki, src, dst);
    add_sample(t, (now_s() - t0) / t->reps);
}

static int cmp_timed(const void *a, const void *b)
{
    const timed *x = *(timed *const *)a, *y = *(timed *const *)b;
    if (x->median != y->median) return x->median < y->median ? -1 : 1;
    return cmp_cand(&x->c, &y->c);
}

static void fill_rand(float *x, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        x[i] = (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    }
}

void gsconv_tune_options_default(gsconv_tune_options *o)
{
    memset(o, 0, sizeof *o);
    o->rigor = GSCONV_MEASURE;
    o->max_isa = GSCONV_ISA_BEST;
    o->time_limit = 2.0;
    o->store = 1;
}

/* Which candidates MEASURE times: the 3 variants with the best estimates with up to 6
 * of their parameter configurations each (in estimate order), and the best-estimated
 * configuration of every other variant, each at every thread count. The reference is
 * left out when anything else applies. PATIENT times all candidates. (Timing is cheap
 * next to packing and warm-up, so MEASURE can afford a wide net; the rows' estimates
 * often do not tell their parameters apart.) */
#define SHORTLIST_VARIANTS 3
#define SHORTLIST_CONFIGS 6

static bool same_config(const gsconv_candidate *a, const gsconv_candidate *b)
{
    return a->v == b->v && memcmp(&a->kp, &b->kp, sizeof a->kp) == 0;
}

static void shortlist(const gsconv_candidate *all, int n, gsconv_rigor rigor, bool *sel)
{
    bool others = false;
    for (int j = 0; j < n; j++) others |= all[j].v->algo != GSCONV_ALGO_REF;
    for (int i = 0; i < n; i++) {
        sel[i] = rigor == GSCONV_PATIENT;
        if (sel[i] || (all[i].v->algo == GSCONV_ALGO_REF && others)) continue;
        /* rank of the variant, and of this configuration within it, by first appearance */
        int vrank = 0, crank = 0;
        const gsconv_variant *seen_v[64];
        int nseen = 0;
        for (int j = 0; j < i; j++) {
            if (all[j].v->algo == GSCONV_ALGO_REF && others) continue;
            bool known = false;
            for (int k = 0; k < nseen && !known; k++) known = seen_v[k] == all[j].v;
            if (!known && nseen < 64) seen_v[nseen++] = all[j].v;
        }
        for (vrank = 0; vrank < nseen && seen_v[vrank] != all[i].v; vrank++) {}
        for (int j = 0; j < i; j++) {
            if (all[j].v != all[i].v || same_config(&all[j], &all[i])) continue;
            bool first = true; /* first appearance of all[j]'s configuration? */
            for (int k = 0; k < j && first; k++) first = !same_config(&all[k], &all[j]);
            crank += first;
        }
        sel[i] = vrank < SHORTLIST_VARIANTS ? crank < SHORTLIST_CONFIGS : crank == 0;
    }
}

/*
 * One timing round over the live candidates of order[0..nt): warm-up (two untimed runs
 * each, the second sets the executes per sample), then successive halving with
 * round-robin interleaving. The time limit counts from t0 and has a floor: the first
 * two live candidates (the best-estimated, or the incumbent of a refinement round) are
 * always warmed up and get m0 samples each. mlast: samples at the last stage (0: 15 for
 * MEASURE, 41 for PATIENT).
 */
static void time_round(timed **order, int nt, const gsconv_tune_options *op, double t_limit0,
                       double limit, int mlast, const float *src, float *dst, gsconv_tune_result *r)
{
    const gsconv_tune_options o = *op;
    timed *floor_c[2] = {NULL, NULL};
    for (int i = 0, f = 0; i < nt && f < 2; i++)
        if (order[i]->alive) floor_c[f++] = order[i];
    int nwarm = 0;
    double best_warm = INFINITY;
    for (int i = 0; i < nt; i++) {
        timed *t = order[i];
        if (!t->alive) continue;
        gsconv_kinstance_execute(&t->ki, src, dst);
        const double t0 = now_s();
        gsconv_kinstance_execute(&t->ki, src, dst);
        const double dt = now_s() - t0;
        r->runs += 2;
        t->reps = dt >= SAMPLE_S ? 1 : (int)(SAMPLE_S / (dt > 1e-8 ? dt : 1e-8)) + 1;
        if (dt < best_warm) best_warm = dt;
        t->median = dt;
        /* the time limit never cuts the floor's two candidates (the first two live ones) */
        if (++nwarm >= 2 && now_s() - t_limit0 > limit) {
            for (int j = i + 1; j < nt; j++) order[j]->alive = false; /* never run: no sample */
            break;
        }
    }
    /* clear losers of the warm-up (> 10x the fastest: one run can be unlucky on a busy
     * machine, so only the hopeless go) leave at once; their warm-up time stands as
     * their one sample */
    for (int i = 0; i < nt; i++) {
        timed *t = order[i];
        if (t->alive && t->median > 10.0 * best_warm && nwarm > 2) {
            t->alive = false;
            add_sample(t, t->median);
        }
    }

    /* ---- successive halving with round-robin interleaving: in stage k every live
     * candidate takes its samples in turns (a b c a b c ...) until it has m_k; then the
     * slower half (and anything > 1.3x the best median) is dropped, but two finalists
     * and the best configuration of each variant within 1.3x always stay to the end, so
     * that the last comparison is made side by side. */
    const double q = rank_quantile();
    const int m0 = o.rigor == GSCONV_PATIENT ? 5 : 3;
    const int mmax = mlast > 0 ? mlast : o.rigor == GSCONV_PATIENT ? 41 : 15;
    const double keep_frac = o.rigor == GSCONV_PATIENT ? 0.67 : 0.5;
    int m = m0;
    int total_rounds = 0;
    bool out_of_time = false;
    for (;;) {
        bool more = true;
        while (more && !out_of_time) {
            more = false;
            for (int i = 0; i < nt; i++) {
                timed *t = order[i];
                if (!t->alive || t->ns >= m) continue;
                sample(t, src, dst);
                r->runs += t->reps;
                more |= t->ns < m;
                /* a floor under the limit: the two best-estimated candidates get m0
                 * samples each, side by side, however busy the machine is */
                const bool floor_met = (!floor_c[0] || !floor_c[0]->alive || floor_c[0]->ns >= m0) &&
                                       (!floor_c[1] || !floor_c[1]->alive || floor_c[1]->ns >= m0);
                if (floor_met && now_s() - t_limit0 > limit) {
                    out_of_time = true;
                    break;
                }
            }
            total_rounds++;
            if (o.progress) o.progress(o.user, total_rounds, total_rounds + 1);
        }
        for (int i = 0; i < nt; i++)
            if (order[i]->ns) order[i]->median = quantile_of(order[i]->s, order[i]->ns, q);
        if (out_of_time || m >= mmax) break;
        /* rank the live ones, drop the slower part */
        timed **live = calloc((size_t)nt, sizeof *live);
        if (!live) break;
        int nl = 0;
        for (int i = 0; i < nt; i++)
            if (order[i]->alive) live[nl++] = order[i];
        qsort(live, (size_t)nl, sizeof *live, cmp_timed);
        int keep = (int)ceil(nl * keep_frac);
        if (keep < 2) keep = 2;
        /* the fastest configuration of each variant (and thread count) within 1.3x of
         * the leader stays as well: one noisy stage of 3 samples must not drop a whole
         * variant (a MEASURE run on a busy machine kept two avx512 configurations of g3
         * 480->120 sg3 NHWC, 82 us, and dropped gemm_6x16__avx2, 72 us) */
        for (int i = 2; i < nl; i++) {
            bool first_of_variant = true;
            for (int j = 0; j < i && first_of_variant; j++)
                first_of_variant = live[j]->c.v != live[i]->c.v || live[j]->c.threads != live[i]->c.threads;
            if (live[i]->median > 1.3 * live[0]->median || (i >= keep && !first_of_variant))
                live[i]->alive = false;
        }
        free(live);
        m = m * 2 + 1 > mmax ? mmax : m * 2 + 1;
    }
}

/* tv's entry for configuration c, set up (kernel instance, packed weights) if it is not
 * there yet; NULL if it cannot be set up. tv holds room for every candidate. */
static timed *timed_for(timed *tv, timed **order, int *nt, const gsconv_candidate *c,
                        const gsconv_problem *p, const float *wei, const float *bias)
{
    for (int i = 0; i < *nt; i++)
        if (same_config(&order[i]->c, c) && order[i]->c.threads == c->threads) return order[i];
    timed *t = &tv[*nt];
    t->c = *c;
    if (gsconv_kinstance_init(&t->ki, t->c.v, p, &t->c.kp, t->c.threads) != GSCONV_OK ||
        gsconv_kinstance_set_weights(&t->ki, wei, bias) != GSCONV_OK) {
        gsconv_kinstance_free(&t->ki);
        gsconv_clear_error();
        return NULL;
    }
    t->ready = true;
    t->alive = false;
    t->ns = 0;
    t->median = INFINITY;
    order[(*nt)++] = t;
    return t;
}

static timed *fastest_alive(timed **order, int nt)
{
    timed *b = NULL;
    for (int i = 0; i < nt; i++)
        if (order[i]->alive && order[i]->ns && (!b || cmp_timed(&order[i], &b) < 0)) b = order[i];
    return b;
}

/* Start a round with exactly the candidates marked in `next` (fresh samples for all, so
 * the round compares them side by side), `first` leading the order (the floor). */
static void start_round(timed **order, int nt, bool *next, timed *first)
{
    for (int i = 0; i < nt; i++) {
        order[i]->alive = next[i];
        if (next[i]) order[i]->ns = 0;
        if (order[i] == first) {
            timed *x = order[0];
            order[0] = order[i];
            order[i] = x;
            const bool b = next[0];
            next[0] = next[i];
            next[i] = b;
        }
    }
}

/*
 * MEASURE's refinement (a coordinate search): the first round only timed the few
 * configurations per variant that the cost model ranks first, and the model cannot rank
 * a variant's blocking parameters well. Round 2 times the winner against every
 * configuration of the same variant and thread count that differs from it in one
 * parameter (all of them when there are at most REFINE_GRID); round 3 times round 2's
 * finalists against the configuration that takes, for every parameter, the value that
 * was fastest in round 2 (when that is a new one).
 * Each round has its own time limit (and floor). inc: the configuration to refine.
 * (Refining the best configuration of a second variant as well was tried: 20% more
 * tuning time, no better picks on the g3 + ResNeXt suites.)
 */
#define REFINE_GRID 24
/* samples of a refinement round's finalists (stages 3, 7): half the first round's 15,
 * which kept MEASURE tuning of the g3 + ResNeXt suites in both layouts under 60 s */
#define REFINE_SAMPLES 7

static void refine(const gsconv_candidate *all, int n, timed *tv, timed **order, int *nt,
                   const gsconv_problem *p, const gsconv_tune_options *o, double limit,
                   const float *src, float *dst, const float *wei, const float *bias,
                   gsconv_tune_result *r, timed *inc)
{
    if (!inc) return;
    const gsconv_candidate base = inc->c;
    bool *next = calloc((size_t)n, sizeof *next);
    if (!next) return;
    /* a small grid (<= REFINE_GRID configurations) is timed whole: parameters interact
     * (register blocking: px_block 4 x oc_vecs 3 fits AVX2's 16 registers, 6 x 3 spills) */
    int grid = 0;
    for (int i = 0; i < n; i++) grid += all[i].v == base.v && all[i].threads == base.threads;
    int nn = 0;
    for (int i = 0; i < n; i++) {
        if (all[i].v != base.v || all[i].threads != base.threads) continue;
        int diff = 0;
        for (int k = 0; k < GSCONV_MAX_PARAMS; k++) diff += all[i].kp.v[k] != base.kp.v[k];
        if (diff == 0 || (diff != 1 && grid > REFINE_GRID)) continue;
        timed *t = timed_for(tv, order, nt, &all[i], p, wei, bias);
        if (t) next[t - tv] = true, nn++;
    }
    if (nn == 0) {
        free(next);
        return;
    }
    /* next[] is indexed by tv position; start_round wants order positions */
    bool *sel = calloc((size_t)n, sizeof *sel);
    if (!sel) {
        free(next);
        return;
    }
    next[inc - tv] = true;
    for (int i = 0; i < *nt; i++) sel[i] = next[order[i] - tv];
    start_round(order, *nt, sel, inc);
    time_round(order, *nt, o, now_s(), limit, REFINE_SAMPLES, src, dst, r);

    /* round 3: every parameter at its fastest value of round 2 */
    gsconv_kparams comb = base.kp;
    for (int k = 0; k < GSCONV_MAX_PARAMS; k++) {
        double bt = INFINITY;
        for (int i = 0; i < *nt; i++) {
            const timed *t = order[i];
            if (!sel[i] || !t->ns || t->c.v != base.v || t->c.threads != base.threads) continue;
            int diff = 0;
            for (int j = 0; j < GSCONV_MAX_PARAMS; j++) diff += j != k && t->c.kp.v[j] != base.kp.v[j];
            if (diff == 0 && t->median < bt) bt = t->median, comb.v[k] = t->c.kp.v[k];
        }
    }
    timed *w2 = fastest_alive(order, *nt);
    const gsconv_candidate *cc = NULL;
    for (int i = 0; i < n && !cc; i++)
        if (all[i].v == base.v && all[i].threads == base.threads &&
            memcmp(&all[i].kp, &comb, sizeof comb) == 0)
            cc = &all[i];
    timed *ct = cc && w2 && !same_config(cc, &w2->c) ? timed_for(tv, order, nt, cc, p, wei, bias) : NULL;
    if (ct) {
        for (int i = 0; i < *nt; i++) sel[i] = order[i]->alive || order[i] == ct;
        start_round(order, *nt, sel, w2);
        time_round(order, *nt, o, now_s(), limit, REFINE_SAMPLES, src, dst, r);
    }
    free(sel);
    free(next);
}

gsconv_status gsconv_tune(const gsconv_problem *p, const gsconv_tune_options *o_in,
                          gsconv_tune_result *r)
{
    if (!p || !r) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "tune: NULL argument");
    gsconv_tune_options o;
    if (o_in)
        o = *o_in;
    else
        gsconv_tune_options_default(&o);
    memset(r, 0, sizeof *r);
    gsconv_status s = gsconv_problem_validate(p);
    if (s) return s;
    if (o.rigor == GSCONV_CACHE_ONLY || o.rigor < GSCONV_ESTIMATE || o.rigor > GSCONV_CACHE_ONLY)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "tune: rigor must be estimate, measure or patient");
    if (o.threads < 0) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "tune: threads must be >= 0");
    gsconv_accuracy acc;
    if ((s = gsconv_accuracy_resolve(o.no_winograd, o.max_rel_error, &acc))) return s;
    int budget = o.threads;
    if (budget == 0) {
        const char *env = getenv("GSCONV_NUM_THREADS");
        budget = env && *env ? atoi(env) : 0;
        if (budget < 1 || budget > 4096) budget = gsconv_physical_cores();
    }
    const double limit = o.time_limit > 0 ? o.time_limit : 2.0;
    char path[4096];
    const bool have_path = gsconv_cache_resolve(o.cache_path, path, sizeof path);
    const gsconv_isa isa = gsconv_isa_cap(gsconv_isa_available(), o.max_isa);
    const double start = now_s();
    r->rigor = o.rigor;
    r->store_status = GSCONV_OK;
    gsconv_calib_sample *cal = NULL;
    int ncal = 0;
    snprintf(r->binding, sizeof r->binding, "none");

    if (o.rigor != GSCONV_ESTIMATE) {
        /* the cost model that shortlists wants this machine's peaks: measure once, cached */
        gsconv_cpu_info ci;
        gsconv_cpu_probe(&ci);
        if (ci.peak_gflops <= 0) gsconv_cpu_measure_peak(&ci, have_path ? path : NULL, 0);
    }
    /* the time limit is for timing candidates: the one-time peak probe above (seconds on
     * a busy machine) must not eat it, or the first shape of a fresh cache gets no samples */
    const double t_limit0 = now_s();
    gsconv_candidate *all;
    int n;
    if ((s = gsconv_candidates(p, isa, budget, &acc, have_path ? path : NULL, &all, &n))) return s;
    if (n == 0) {
        free(all);
        return gsconv_set_error(GSCONV_ERR_NOT_APPLICABLE, "tune: no applicable variant");
    }
    r->candidates = n;
    gsconv_pick_fill(&r->estimate, p, all[0].v, &all[0].kp, all[0].threads, all[0].est);
    r->estimate.ms = -1;

    if (o.rigor == GSCONV_ESTIMATE) {
        r->best = r->estimate;
        r->best.ms = all[0].est * 1e3;
        r->best.gflops = gsconv_problem_flops(p) / all[0].est * 1e-9;
        if (n > 1) gsconv_pick_fill(&r->runner_up, p, all[1].v, &all[1].kp, all[1].threads, all[1].est);
        free(all);
        goto store;
    }

    /* ---- the candidates to time */
    timed *tv = calloc((size_t)n, sizeof *tv);
    timed **order = calloc((size_t)n, sizeof *order);
    float *src = gsconv_aligned_alloc(gsconv_problem_src_elems(p) * sizeof(float));
    float *dst = gsconv_aligned_alloc(gsconv_problem_dst_elems(p) * sizeof(float));
    float *wei = gsconv_aligned_alloc(gsconv_problem_wei_elems(p) * sizeof(float));
    float *bias = gsconv_aligned_alloc((size_t)p->k * sizeof(float));
    if (!tv || !order || !src || !dst || !wei || !bias) {
        s = gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tune: out of memory");
        goto done;
    }
    fill_rand(src, gsconv_problem_src_elems(p), 1);
    fill_rand(wei, gsconv_problem_wei_elems(p), 2);
    fill_rand(bias, (size_t)p->k, 3);
    memset(dst, 0, gsconv_problem_dst_elems(p) * sizeof(float));
    bool *sel = calloc((size_t)n, sizeof *sel);
    if (!sel) {
        s = gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tune: out of memory");
        goto done;
    }
    shortlist(all, n, o.rigor, sel);
    int nt = 0;
    for (int i = 0; i < n; i++) {
        if (!sel[i]) continue;
        timed *t = &tv[nt];
        t->c = all[i];
        if (gsconv_kinstance_init(&t->ki, t->c.v, p, &t->c.kp, t->c.threads) != GSCONV_OK ||
            gsconv_kinstance_set_weights(&t->ki, wei, bias) != GSCONV_OK) {
            gsconv_kinstance_free(&t->ki);
            gsconv_clear_error();
            continue;
        }
        t->ready = t->alive = true;
        t->median = INFINITY;
        order[nt] = t;
        nt++;
    }
    free(sel);
    if (nt == 0) {
        s = gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tune: no candidate could be set up");
        goto done;
    }
    void *saved = NULL;
    if (o.bind) {
        if (gsconv_cpu_bind_threads(budget, &saved))
            snprintf(r->binding, sizeof r->binding, "hwloc-cores");
    } else {
        const char *pb = getenv("OMP_PROC_BIND");
        if (pb && *pb) snprintf(r->binding, sizeof r->binding, "omp:%.20s", pb);
    }
    r->timed = nt;

    time_round(order, nt, &o, t_limit0, limit, 0, src, dst, r);
    if (o.rigor == GSCONV_MEASURE)
        refine(all, n, tv, order, &nt, p, &o, limit, src, dst, wei, bias, r, fastest_alive(order, nt));
    if (o.bind) gsconv_cpu_unbind(saved);
    r->timed = 0; /* the candidates that actually ran (the limit may stop the warm-up) */
    for (int i = 0; i < nt; i++) r->timed += order[i]->ns > 0;

    /* ---- results: the best finalist; runner-up the other finalist, else the best of
     * the rest (whose medians come from fewer, earlier samples) */
    {
        timed **rank = calloc((size_t)nt, sizeof *rank);
        if (!rank) {
            s = gsconv_set_error(GSCONV_ERR_NO_MEMORY, "tune: out of memory");
            goto done;
        }
        int nr = 0;
        for (int i = 0; i < nt; i++)
            if (order[i]->alive) rank[nr++] = order[i];
        const int nalive = nr;
        qsort(rank, (size_t)nr, sizeof *rank, cmp_timed);
        for (int i = 0; i < nt; i++)
            if (!order[i]->alive) rank[nr++] = order[i];
        qsort(rank + nalive, (size_t)(nr - nalive), sizeof *rank, cmp_timed);
        const char *verbose = getenv("GSCONV_VERBOSE");
        if (verbose && *verbose && strcmp(verbose, "0") != 0) {
            char desc[256];
            gsconv_problem_format(p, desc, sizeof desc);
            for (int i = 0; i < nr; i++) {
                char params[128];
                gsconv_params_format(rank[i]->c.v, &rank[i]->c.kp, params, sizeof params);
                fprintf(stderr, "gsconv: tune %s %s: %-28s %-24s t%d est %.4f ms  q%.2f %.4f ms  median %.4f ms  (%d samples x %d%s)\n",
                        desc, gsconv_layout_name(p->layout), rank[i]->c.v->name, params[0] ? params : "-",
                        rank[i]->c.threads, rank[i]->c.est * 1e3, rank_quantile(), rank[i]->median * 1e3,
                        median_of(rank[i]) * 1e3, rank[i]->ns,
                        rank[i]->reps, rank[i]->alive ? ", finalist" : "");
            }
        }
        /* calibration samples: of each (variant, thread count), the configuration with the
         * best settled median. The model prices a variant at parameters that suit the
         * shape; every configuration's ratio would fold the slow ones into the factor
         * (two-shape suite at 2 threads, g32 ic256 28x28 then 56->28 s2 NCHW: the first
         * shape's ill-fitting direct_nchw__avx512 blocks priced all its 2-thread
         * candidates of the second above the uncalibrated 1-thread ones, none was timed,
         * and the pick ran 0.19 ms against 0.14 for direct_nchw at 2 threads) */
        ncal = 0;
        cal = calloc((size_t)nr * 2, sizeof *cal);
        for (int i = 0; cal && i < nr; i++) {
            const timed *t = rank[i];
            if (t->ns < 3 || !isfinite(t->median) || !(t->c.est_base > 0)) continue;
            bool beaten = false; /* by a settled configuration of the same variant and threads */
            for (int j = 0; j < nr && !beaten; j++) {
                const timed *u = rank[j];
                beaten = j != i && u->c.v == t->c.v && u->c.threads == t->c.threads && u->ns >= 3 &&
                         isfinite(u->median) && u->c.est_base > 0 &&
                         (u->median < t->median || (u->median == t->median && j < i));
            }
            if (beaten) continue;
            double lr = log(t->median / t->c.est_base);
            if (lr > 3) lr = 3;
            if (lr < -3) lr = -3;
            gsconv_calib_keys(p, t->c.v, t->c.threads, cal[ncal].key, cal[ncal + 1].key, sizeof cal[0].key);
            cal[ncal].log_ratio = cal[ncal + 1].log_ratio = lr;
            ncal += 2;
        }
        /* ranked by the ranking quantile; the times reported and stored are medians */
        timed *best = rank[0];
        gsconv_pick_fill(&r->best, p, best->c.v, &best->c.kp, best->c.threads, median_of(best));
        if (nr > 1 && isfinite(rank[1]->median))
            gsconv_pick_fill(&r->runner_up, p, rank[1]->c.v, &rank[1]->c.kp, rank[1]->c.threads,
                             median_of(rank[1]));
        for (int i = 0; i < nr; i++)
            if (rank[i]->c.v == all[0].v && rank[i]->c.threads == all[0].threads &&
                memcmp(&rank[i]->c.kp, &all[0].kp, sizeof all[0].kp) == 0 && isfinite(rank[i]->median)) {
                r->estimate.ms = median_of(rank[i]) * 1e3;
                r->estimate.gflops = gsconv_problem_flops(p) / median_of(rank[i]) * 1e-9;
            }
        free(rank);
    }
done:
    if (tv)
        for (int i = 0; i < n; i++) {
            if (tv[i].ready) gsconv_kinstance_free(&tv[i].ki);
            free(tv[i].s);
        }
    free(tv);
    free(order);
    gsconv_aligned_free(src);
    gsconv_aligned_free(dst);
    gsconv_aligned_free(wei);
    gsconv_aligned_free(bias);
    free(all);
    if (s) {
        free(cal);
        return s;
    }
store:
    r->seconds = now_s() - start;
    if (o.store) {
        if (!have_path) {
            r->store_status = GSCONV_ERR_IO;
            fprintf(stderr, "gsconv: not storing the tuning result: no cache path (set GSCONV_CACHE or HOME)\n");
        } else {
            gsconv_cache_entry e;
            memset(&e, 0, sizeof e);
            gsconv_problem_format(p, e.shape, sizeof e.shape);
            e.layout = p->layout;
            e.act = p->act;
            e.thread_budget = budget;
            e.pick = r->best;
            e.rigor = o.rigor;
            snprintf(e.binding, sizeof e.binding, "%s", r->binding);
            snprintf(e.machine_key, sizeof e.machine_key, "%s", gsconv_cpu_static()->machine_key);
            e.this_machine = 1;
            r->store_status = gsconv_cache_store(path, &e, cal, ncal);
            if (r->store_status) {
                fprintf(stderr, "gsconv: %s\n", gsconv_last_error());
                gsconv_clear_error();
            }
        }
    }
    free(cal);
    return GSCONV_OK;
}
