/*
 * gsconv-bench internals: what a backend (gsconv, oneDNN, XNNPACK) provides, and the
 * data every backend of one layer shares (same inputs, one reference output).
 */
#ifndef GSCONV_BENCH_H
#define GSCONV_BENCH_H

#include <stdbool.h>
#include <stddef.h>

#include "gsconv.h"

/* One layer in one layout, with its data. */
typedef struct bench_layer {
    gsconv_problem p;  /* layout set; no activation, no bias */
    const float *src;  /* in p.layout */
    const float *wei;  /* (k, c/g, kh, kw) */
    const float *ref;  /* gsconv_reference_conv output, in p.layout */
} bench_layer;

/* A plain counter a backend adds to its results (e.g. oneDNN's reorder times). */
typedef struct bench_counter {
    const char *name;
    double value;
} bench_counter;

#define BENCH_MAX_COUNTERS 4

/*
 * A backend. create() builds everything for L (primitives, packed weights, its own
 * copies of src in whatever layout it wants) or fails with a one-line reason; run()
 * executes once, synchronously; output() writes the result in L->p's layout and
 * channel order (shuffle included) into dst.
 */
typedef struct bench_backend {
    const char *name;     /* "gsconv", "onednn:best", ... (gsconv adds ":<variant>") */
    int (*create)(void **impl, const bench_layer *L, const char *arg, int threads, char *err,
                  size_t errlen);
    void (*run)(void *impl);
    int (*output)(void *impl, float *dst, char *err, size_t errlen);
    void (*destroy)(void *impl);
    const char *(*label)(void *impl);                       /* may be NULL */
    int (*counters)(void *impl, bench_counter *c, int max); /* may be NULL */
} bench_backend;

extern const bench_backend bench_backend_gsconv;
extern const bench_backend bench_backend_gsconv_unfused; /* sg > 1: conv, then the shuffle */
extern const bench_backend bench_backend_shuffle; /* sg > 1: the standalone shuffle alone */
extern const bench_backend bench_backend_copy;    /* sg > 1: memcpy of the same bytes */
#ifdef GSCONV_WITH_ONEDNN
extern const bench_backend bench_backend_onednn_best;
extern const bench_backend bench_backend_onednn_plain;
const char *bench_onednn_version(void);
#endif
#ifdef GSCONV_WITH_XNNPACK
extern const bench_backend bench_backend_xnnpack;
const char *bench_xnnpack_version(void);
#endif

/* Monotonic seconds. */
double bench_now(void);
/* n floats, 64-byte aligned as a framework allocates its tensors (malloc's 16-byte
 * alignment splits every vector load of 64 bytes across two cache lines); free(). */
float *bench_alloc_floats(size_t n);
/* Median of n values (sorts v). */
double bench_median(double *v, int n);

/* ---------------------------------------------------------------- machine.c */

typedef struct bench_machine {
    double peak_gflops;        /* for the thread count used; 0 if unknown */
    char peak_source[64];      /* "flag", "probe (cache)", "probe (measured)", "unknown" */
    /* Bytes read + written per second (0 unknown): from memory, and from L2 / the last
     * cache for a working set that fits there (the data of a layer timed in a loop
     * stays in the cache it fits in). With --bandwidth-gbs all three are that value. */
    double bandwidth_gbs, bw_l2_gbs, bw_l3_gbs;
    double l2_bytes, l3_bytes; /* all instances the threads can use; 0 unknown */
    char bandwidth_source[64];
    char fingerprint[512];
    char machine_key[32];
    char isa[16];
    char commit[64];
} bench_machine;

/* Fill m: peak from peak_flag (> 0) else the tuner's probe; bandwidth likewise. */
void bench_machine_probe(bench_machine *m, int threads, double peak_flag, double bw_flag);
/* The roofline bound in GFLOP/s of a layer: min(peak, flops/bytes x the bandwidth of
 * the level its bytes fit in); 0 if unknown. */
double bench_roofline_gflops(const bench_machine *m, double flops, double bytes);

#endif
