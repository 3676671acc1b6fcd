/*
 * Internal kernel interface: what one registry row is, and the helpers every kernel
 * shares (problem geometry, the epilogue's channel mapping, error reporting).
 *
 * kernels/ depends on nothing outside itself and include/gsconv.h, so it cross-builds
 * for aarch64 with no hwloc or libcpuid.
 */
#ifndef GSCONV_KERNEL_H
#define GSCONV_KERNEL_H

#include <omp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gsconv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- architecture */

#if defined(__x86_64__) || defined(_M_X64)
#define GSCONV_ARCH_X86 1
#else
#define GSCONV_ARCH_X86 0
#endif
#if defined(__aarch64__)
#define GSCONV_ARCH_ARM64 1
#else
#define GSCONV_ARCH_ARM64 0
#endif

/* Is `isa` allowed when the best available ISA (after any cap) is `avail`? */
bool gsconv_isa_allowed(gsconv_isa isa, gsconv_isa avail);
/* The best ISA left when `avail` is capped at `cap` (GSCONV_ISA_BEST: no cap). */
gsconv_isa gsconv_isa_cap(gsconv_isa avail, gsconv_isa cap);

/* ---------------------------------------------------------------- errors */

/* Record a message for gsconv_last_error() and return s. printf-style. */
gsconv_status gsconv_set_error(gsconv_status s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gsconv_clear_error(void);

/* ---------------------------------------------------------------- numeric classes */

/* How a variant's result is checked against the reference (the sweep tester). */
typedef enum gsconv_tol_class {
    GSCONV_TOL_EXACT = 0, /* same products, any summation order: exact on small integers */
    GSCONV_TOL_WINOGRAD = 1 /* transforms round: norm-based bound, see the variant */
} gsconv_tol_class;

typedef enum gsconv_algo {
    GSCONV_ALGO_REF = 0,
    GSCONV_ALGO_DIRECT = 1,
    GSCONV_ALGO_GEMM = 2,
    GSCONV_ALGO_WINOGRAD = 3
} gsconv_algo;

const char *gsconv_algo_name(gsconv_algo a);

/* ---------------------------------------------------------------- tunable parameters */

#define GSCONV_MAX_PARAMS GSCONV_TUNE_MAX_PARAMS
#define GSCONV_MAX_PARAM_VALUES 8

/* A variant's tunable parameters as chosen for one plan (values by position). */
typedef struct gsconv_kparams {
    int v[GSCONV_MAX_PARAMS];
} gsconv_kparams;

typedef struct gsconv_param_desc {
    const char *name;                      /* e.g. "oc_block" */
    int nvalues;                           /* 0: unused slot */
    int values[GSCONV_MAX_PARAM_VALUES];   /* candidates; values[0] is the default */
} gsconv_param_desc;

/* ---------------------------------------------------------------- a registry row */

/*
 * What a kernel file provides: gsconv_f32_gconv_<name> of this type. The registry row
 * (kernels/registry.inc) joins it with the variant's name, algorithm, ISA and
 * tolerance class; the name is written nowhere else.
 */
typedef struct gsconv_kernel_ops {
    /* Shape limits beyond the ISA: true, or false with a one-line reason in why. */
    bool (*applicable)(const gsconv_problem *p, char *why, size_t why_len);
    /* Bytes of packed weights (bias included) for p and kp. */
    size_t (*packed_size)(const gsconv_problem *p, const gsconv_kparams *kp);
    /* Pack wei (k, c/g, kh, kw) and bias (k, or NULL = zeros) into packed. */
    void (*pack)(const gsconv_problem *p, const gsconv_kparams *kp, const float *wei,
                 const float *bias, void *packed);
    /* Bytes of scratch memory execute needs with nthreads threads (0 = none). */
    size_t (*workspace_size)(const gsconv_problem *p, const gsconv_kparams *kp, int nthreads);
    /* dst = epilogue(conv(src, packed)). nthreads >= 1; the result must not depend on
     * nthreads. ws is workspace_size() bytes, 64-byte aligned. */
    void (*execute)(const gsconv_problem *p, const gsconv_kparams *kp, const void *packed,
                    const float *src, float *dst, void *ws, int nthreads);
    /* Estimated seconds for ESTIMATE rigor (the tuner's cost model refines it). */
    double (*estimate)(const gsconv_problem *p, const gsconv_kparams *kp);
    /* Optional (NULL for exact classes). Tolerance class WINOGRAD: the factor F such that
     * every output y of p satisfies |y - exact| <= F * 2^-24 * (sum_j |w_j x_j| + |bias|)
     * on data like the tests' (see docs/winograd.md); F * 2^-24 is the variant's expected
     * relative error, which a tolerance rule compares with the user's tolerance. */
    double (*error_factor)(const gsconv_problem *p);
    /* Optional (NULL: every configuration differs). True when kp computes p exactly as
     * another configuration of the grid does (a parameter that does not apply to p), so
     * the tuner need not time it. */
    bool (*redundant)(const gsconv_problem *p, const gsconv_kparams *kp);
    gsconv_param_desc params[GSCONV_MAX_PARAMS];
    /* Width in bits of the vectors its FMAs use, where it differs from the ISA's (0: the
     * ISA's: 512 AVX-512, 256 AVX2, 128 NEON). The cost model scales the row's estimate
     * by the FMA peak of that width (tuner/tune.c). */
    int vec_bits;
} gsconv_kernel_ops;

typedef struct gsconv_variant {
    const char *name; /* "direct_nchw_w16__avx512" */
    gsconv_algo algo;
    gsconv_isa isa;
    gsconv_tol_class tol;
    const gsconv_kernel_ops *ops;
} gsconv_variant;

/* The table (kernels/registry.c). Row 0 is "ref". */
extern const gsconv_variant gsconv_registry[];
extern const int gsconv_registry_size;

/*
 * Full applicability check: ISA against `avail`, the shape's validity, then the row's
 * own predicate. Writes the reason in why on false.
 */
bool gsconv_registry_applicable(const gsconv_variant *v, const gsconv_problem *p,
                                gsconv_isa avail, char *why, size_t why_len);
/* Default parameters (values[0] of each slot). */
void gsconv_kparams_default(const gsconv_variant *v, gsconv_kparams *kp);

/* ---------------------------------------------------------------- threads */

/*
 * GSCONV_FOR: a loop over independent items (the macro's last argument, a `for`
 * statement) in an OpenMP parallel for over `nthreads` threads (the variable of that
 * name in scope) when cond holds, else in the calling thread with no OpenMP region at
 * all. libgomp's region costs ~0.7 us per call even with one thread (an if(0) clause
 * included: team setup, a malloc, a futex wake), measured on 1 Zen 3 core, us, region /
 * none: g240 7x7 depthwise 3x3 NHWC (dw3x3_nhwc_24c__avx2) 3.37 / 2.61, g120 14x14 7.05
 * / 6.04, g24 3x3 0.80 / 0.14. The loop is compiled twice.
 * In the loop, GSCONV_THREAD() is the thread's index in the loop's team (its slice of
 * the workspace), 0 in the serial path: not omp_get_thread_num(), which there is the
 * caller's own index when the caller runs in a parallel region of its own (one plan per
 * thread of the user's team; the workspace has room for one thread).
 */
#define GSCONV_PRAGMA(...) _Pragma(#__VA_ARGS__)
/* SCHED: static or dynamic (chunks of one item) */
#define GSCONV_FOR(cond, SCHED, ...)                                                         \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            const int gsconv_in_team_ __attribute__((unused)) = 0;                           \
            __VA_ARGS__                                                                      \
        } else {                                                                             \
            const int gsconv_in_team_ __attribute__((unused)) = 1;                           \
            GSCONV_PRAGMA(omp parallel for schedule(SCHED) num_threads(nthreads))            \
            __VA_ARGS__                                                                      \
        }                                                                                    \
    } while (0)
#define GSCONV_THREAD() (gsconv_in_team_ ? omp_get_thread_num() : 0)

/* ---------------------------------------------------------------- shared helpers */

/* Output channel o of the convolution lands in dst channel gsconv_shuffle_dst(o, k, sg). */
static inline int64_t gsconv_shuffle_dst(int64_t o, int64_t k, int64_t sg)
{
    const int64_t per = k / sg;
    return (o % per) * sg + o / per;
}

/*
 * NHWC channel shuffle of npix pixels of c channels (c % sg == 0), any sg: element by
 * element (reads sequential, writes at stride sg). On Zen 4 this moves ~1 float per
 * cycle; a gather per output vector (vgatherdps) and a lane-permute merge per
 * contributing row (vf_perm_merge, a latency chain) were both measured no faster for
 * sg = 5, 6, 12 (c240 h=w=28, 1 thread), so the general path stays scalar. Shared by
 * the scalar shuffle row, the SIMD rows' other sg and fused shuffles without an
 * in-register path.
 */
static inline void gsconv_shuffle_pixels_scalar(int64_t npix, int64_t c, int64_t sg,
                                                const float *src, float *dst)
{
    const int64_t per = c / sg;
    for (int64_t p = 0; p < npix; p++) {
        const float *s = src + p * c;
        float *d = dst + p * c;
        for (int64_t j = 0; j < sg; j++)
            for (int64_t i = 0; i < per; i++) d[i * sg + j] = s[j * per + i];
    }
}

/* Effective (dilated) kernel extent. */
static inline int64_t gsconv_ext(int64_t kk, int64_t d) { return (kk - 1) * (d + 1) + 1; }

/* Aligned allocation (64 bytes), NULL on failure or size 0 -> non-NULL small block. */
void *gsconv_aligned_alloc(size_t bytes);
void gsconv_aligned_free(void *ptr);

/* Scalar kernels also used by the reference API and the shuffle dispatcher. */
void gsconv_ref_conv_impl(const gsconv_problem *p, const float *src, const float *wei,
                          const float *bias, float *dst, int nthreads);
void gsconv_ref_shuffle_impl(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                             int64_t w, int64_t sg, const float *src, float *dst);

/* ---------------------------------------------------------------- standalone shuffle */

/*
 * Standalone channel shuffle kernels are operations, not convolution variants: they have
 * their own small table (gsconv_shuffle_registry, kernels/registry.c). A row's function
 * gsconv_f32_<name> computes dst = channel_shuffle(src, sg) for an n x c x h x w tensor
 * in the row's layout, arguments already checked (sizes >= 1, c % sg == 0, no overflow,
 * no overlap). nthreads >= 1 is an upper bound; the result does not depend on it.
 */
typedef void (*gsconv_shuffle_fn)(int64_t n, int64_t c, int64_t h, int64_t w, int64_t sg,
                                  const float *src, float *dst, int nthreads);
typedef struct gsconv_shuffle_variant {
    const char *name; /* "shuffle_nhwc__avx512" */
    gsconv_layout layout;
    gsconv_isa isa;
    gsconv_shuffle_fn run;
} gsconv_shuffle_variant;

extern const gsconv_shuffle_variant gsconv_shuffle_registry[];
extern const int gsconv_shuffle_registry_size;
/* The row of the highest ISA allowed under avail for layout (a scalar row always is). */
const gsconv_shuffle_variant *gsconv_shuffle_best(gsconv_layout layout, gsconv_isa avail);

/*
 * Threads for the shuffle kernels: at most nthreads, at most one per item, and at least
 * GSCONV_SHUFFLE_MIN_BYTES of tensor per thread. Measured on the 2-core Zen 4 dev box
 * (NHWC avx512, median of 101): 177 KB tensor, 2 threads no faster than 1 (3.7 vs 3.5 us);
 * 355-367 KB, 2 threads 1.1-1.6x faster. A one-thread call skips the OpenMP team.
 */
#define GSCONV_SHUFFLE_MIN_BYTES ((int64_t)128 * 1024)
static inline int gsconv_shuffle_team(int64_t bytes, int64_t items, int nthreads)
{
    int64_t t = bytes / GSCONV_SHUFFLE_MIN_BYTES;
    if (t > nthreads) t = nthreads;
    if (t > items) t = items;
    return t < 1 ? 1 : (int)t;
}
/* The contiguous share [lo, hi) of thread t of nt over total items. */
static inline void gsconv_shuffle_range(int64_t total, int t, int nt, int64_t *lo, int64_t *hi)
{
    const int64_t q = total / nt, r = total % nt;
    *lo = q * t + (t < r ? t : r);
    *hi = *lo + q + (t < r ? 1 : 0);
}

/* Does this problem hold a checked, valid shape? (no message side effects) */
gsconv_status gsconv_problem_check(const gsconv_problem *p, char *why, size_t why_len);


/* ---------------------------------------------------------------- one runnable instance */

/*
 * A variant bound to a problem, its parameters and thread count, with its packed
 * weights and workspace. Plans hold one; the sweep tester uses them directly so that
 * tests, the library and the tuner run kernels the same way.
 */
typedef struct gsconv_kinstance {
    const gsconv_variant *v;
    gsconv_problem p;
    gsconv_kparams kp;
    int nthreads;
    void *packed;
    size_t packed_bytes;
    void *ws;
    size_t ws_bytes;
    bool has_weights;
} gsconv_kinstance;

/* Allocates the workspace; the problem must be valid and the variant applicable. */
gsconv_status gsconv_kinstance_init(gsconv_kinstance *ki, const gsconv_variant *v,
                                    const gsconv_problem *p, const gsconv_kparams *kp,
                                    int nthreads);
gsconv_status gsconv_kinstance_set_weights(gsconv_kinstance *ki, const float *wei,
                                           const float *bias);
void gsconv_kinstance_execute(const gsconv_kinstance *ki, const float *src, float *dst);
void gsconv_kinstance_free(gsconv_kinstance *ki);

#ifdef __cplusplus
}
#endif
#endif
