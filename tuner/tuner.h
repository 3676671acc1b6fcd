/*
 * Internal interface of tuner/: the CPU probe's extras, the cache file ("wisdom") and
 * the cost model / timing that plans and `gsconv tune` share. Not installed.
 */
#ifndef GSCONV_TUNER_H
#define GSCONV_TUNER_H

#include <stdbool.h>

#include "gsconv.h"
#include "kernel.h"

/* ---------------------------------------------------------------- cpu.c */

/* The probe, done once per process (pointer to a static; never NULL). Peak fields are
 * as last measured or loaded in this process (0 if never). */
const gsconv_cpu_info *gsconv_cpu_static(void);
/* Peaks used by the cost model: measured or cached if known, else defaults from the ISA
 * (documented in docs/tuner.md); peak_256 is the FMA peak with 256-bit vectors (=
 * peak_gflops when not measured). Loads them from the cache file once per process. */
void gsconv_cpu_model_peaks(const char *cache_path, double *peak_gflops, double *peak_256,
                            double *bw_l2, double *bw_l3, double *bw_mem);
/* The FMA rate of 256-bit vectors over the widest ones (<= 1), from a quick probe (~3 ms,
 * once per process; 1 without AVX-512): what the cost model scales the 256-bit rows by
 * when no peak was measured (cores with two 512-bit FMA pipes run AVX2 at half rate). */
double gsconv_cpu_ratio_256(void);
/* Bind the OpenMP thread pool (nthreads threads) and the calling thread to physical
 * cores with hwloc: thread i -> the i-th of the allowed cores counted from the last one
 * (core 0 last: the OS's housekeeping runs there). Returns false if hwloc cannot. The
 * calling thread's previous binding is saved in *saved (hwloc bitmap, opaque) so that
 * gsconv_cpu_unbind restores it. */
bool gsconv_cpu_bind_threads(int nthreads, void **saved);
void gsconv_cpu_unbind(void *saved);

/* FMA throughput loops (kernels/peak-fma--<isa>.c). */
float gsconv_peak_fma_avx512(int64_t iters, double *flops);
float gsconv_peak_fma_avx2(int64_t iters, double *flops);
float gsconv_peak_fma_neon(int64_t iters, double *flops);

/* FNV-1a 64 */
uint64_t gsconv_fnv1a64(const void *data, size_t len, uint64_t h);
#define GSCONV_FNV_OFFSET 1469598103934665603ull

/* ---------------------------------------------------------------- cache.c */

/* Resolve the cache path (explicit, GSCONV_CACHE, XDG, HOME) into buf; false if none. */
bool gsconv_cache_resolve(const char *explicit_path, char *buf, size_t len);
/* Entry key inside a machine: "<shape> <layout> <act> t<budget>". */
void gsconv_cache_key(const gsconv_problem *p, int thread_budget, char *buf, size_t len);
/*
 * Look up this machine's entry for (p, thread_budget). Parses the file at most once per
 * (path, inode, size, mtime) per process and keeps an index; a bad file is reported
 * once on stderr and reads as empty. *found = false on a miss (not an error).
 */
gsconv_status gsconv_cache_lookup(const char *path, const gsconv_problem *p,
                                  int thread_budget, gsconv_cache_entry *out, bool *found);
/* One observation for the cost model's calibration: key "variant@threads", the log of
 * measured / modelled time of one timed candidate. */
typedef struct gsconv_calib_sample {
    char key[96];
    double log_ratio;
} gsconv_calib_sample;

/* Store one entry of this machine (and fold calibration samples into its calibration):
 * lock, re-read, merge, temp file, fsync, rename. */
gsconv_status gsconv_cache_store(const char *path, const gsconv_cache_entry *e,
                                 const gsconv_calib_sample *cal, int ncal);
/* The calibration factor (measured / modelled) for key on this machine; false (and 1)
 * if the cache knows nothing about key. */
bool gsconv_cache_calibration(const char *path, const char *key, double *factor);
/* The same for n keys at once (one freshness check of the file). */
void gsconv_cache_calibrations(const char *path, const char (*keys)[96], int n, double *factor,
                               bool *found);
/* Calibration keys of a candidate: "variant@threads" and "variant@threads@class" with the
 * shape class 1x1 / dw / kxk (+ "s2" when strided). */
void gsconv_calib_keys(const gsconv_problem *p, const gsconv_variant *v, int threads,
                       char *generic, char *by_class, size_t len);
/* This machine's peaks from the cache (false if none) / store them. */
bool gsconv_cache_get_peak(const char *path, gsconv_cpu_info *ci);
gsconv_status gsconv_cache_put_peak(const char *path, const gsconv_cpu_info *ci);

/* ---------------------------------------------------------------- tune.c */

/* One candidate: a variant, its parameter values and a thread count. */
typedef struct gsconv_candidate {
    const gsconv_variant *v;
    gsconv_kparams kp;
    int threads;
    double est;     /* cost model, seconds, calibrated on this machine */
    double est_base; /* the same before calibration */
} gsconv_candidate;

/* The accuracy constraint of a plan or a tuning (gsconv.h, "Accuracy constraint"). */
typedef struct gsconv_accuracy {
    bool winograd;        /* Winograd variants may be chosen */
    double max_rel_error; /* largest expected relative error of a chosen variant */
} gsconv_accuracy;
/* From the options' values (no_winograd, max_rel_error; 0 = unset) and the environment
 * (GSCONV_NO_WINOGRAD, GSCONV_MAX_REL_ERROR); GSCONV_ERR_INVALID_ARGUMENT with the reason
 * for a value that is not a positive finite number. */
gsconv_status gsconv_accuracy_resolve(int no_winograd, double max_rel_error, gsconv_accuracy *out);
/* The default constraint (Winograd on, GSCONV_DEFAULT_MAX_REL_ERROR)? */
bool gsconv_accuracy_is_default(const gsconv_accuracy *a);
/* May v run p under a? false with the reason in why (may be NULL). */
bool gsconv_accuracy_allows(const gsconv_accuracy *a, const gsconv_variant *v,
                            const gsconv_problem *p, char *why, size_t why_len);

/* All applicable candidates for p under the ISA cap, thread budget and accuracy
 * constraint (NULL: the default), sorted by the cost model (best first). *out is
 * malloc'ed. */
gsconv_status gsconv_candidates(const gsconv_problem *p, gsconv_isa isa, int thread_budget,
                                const gsconv_accuracy *acc, const char *cache_path,
                                gsconv_candidate **out, int *n);
/* The cost model for one candidate (seconds). */
double gsconv_cost_model(const gsconv_problem *p, const gsconv_variant *v,
                         const gsconv_kparams *kp, int threads, double peak_gflops,
                         double bw_l2, double bw_l3, double bw_mem);
/* "name=value,..." of kp for v. */
void gsconv_params_format(const gsconv_variant *v, const gsconv_kparams *kp, char *buf,
                          size_t len);
/* Parse "name=value,..." for v (every name must exist and the value be one of its
 * candidates; missing names take the default). false on a mismatch. */
bool gsconv_params_parse(const gsconv_variant *v, const char *s, gsconv_kparams *kp);
/* Fill a pick from a candidate. */
void gsconv_pick_fill(gsconv_tune_pick *pk, const gsconv_problem *p, const gsconv_variant *v,
                      const gsconv_kparams *kp, int threads, double seconds);

#endif
