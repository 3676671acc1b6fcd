/*
 * gsconv — fast fp32 grouped and channel-shuffled grouped convolution.
 *
 * The whole public C API. One path serves the library, the command line tool, the
 * tests, the benchmarks and the tuner:
 *
 *   descriptor string --gsconv_problem_parse--> gsconv_problem
 *   gsconv_problem --gsconv_plan_create--> gsconv_plan (a registry variant is chosen)
 *   gsconv_plan_set_weights (packing happens here, once)
 *   gsconv_plan_execute(src, dst) many times
 *
 * Errors: every function that can fail returns a gsconv_status; the message that goes
 * with the last failure on the calling thread is gsconv_last_error(). Messages are one
 * line, without a trailing newline.
 *
 * Thread safety: problems, parsing, formatting, registry queries and the reference are
 * safe from any thread. One plan may be executed by one caller at a time (it owns its
 * workspace); distinct plans are independent. Execute itself uses OpenMP threads (see
 * gsconv_plan_options.threads).
 */
#ifndef GSCONV_H
#define GSCONV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GSCONV_VERSION_MAJOR 0
#define GSCONV_VERSION_MINOR 1
#define GSCONV_VERSION_PATCH 0
#define GSCONV_VERSION_STRING "0.1.0"

/* ---------------------------------------------------------------- status codes */

typedef enum gsconv_status {
    GSCONV_OK = 0,
    GSCONV_ERR_INVALID_ARGUMENT = 1, /* NULL pointer, bad option value */
    GSCONV_ERR_BAD_DESCRIPTOR = 2,   /* descriptor string does not parse */
    GSCONV_ERR_BAD_SHAPE = 3,        /* parsed, but the sizes are invalid or inconsistent */
    GSCONV_ERR_OVERFLOW = 4,         /* an element count or byte size does not fit */
    GSCONV_ERR_NOT_APPLICABLE = 5,   /* the requested variant cannot run this problem here */
    GSCONV_ERR_UNKNOWN_VARIANT = 6,  /* no registry row has that name */
    GSCONV_ERR_NO_MEMORY = 7,
    GSCONV_ERR_NO_WEIGHTS = 8,       /* execute before set_weights */
    GSCONV_ERR_NOT_CACHED = 9,       /* rigor CACHE_ONLY and no cache entry */
    GSCONV_ERR_IO = 10,              /* a file could not be read or written */
    GSCONV_ERR_INTERNAL = 11
} gsconv_status;

/* Short fixed name of a status ("bad shape"), never NULL. */
const char *gsconv_status_string(gsconv_status s);
/* Message of the last failure on this thread ("" if none). Valid until the next call
 * into gsconv on the same thread. */
const char *gsconv_last_error(void);

/* ---------------------------------------------------------------- problems */

typedef enum gsconv_layout { GSCONV_NCHW = 0, GSCONV_NHWC = 1 } gsconv_layout;
typedef enum gsconv_activation { GSCONV_ACT_NONE = 0, GSCONV_ACT_RELU = 1 } gsconv_activation;

/*
 * One forward 2-D grouped convolution, optionally followed (fused) by bias, activation
 * and a channel shuffle of the output.
 *
 *   src : n x c x h x w            (NCHW) or n x h x w x c (NHWC)
 *   wei : k x (c/g) x kh x kw      always this order, whatever the layout
 *   bias: k                        optional
 *   dst : n x k x oh x ow          (NCHW) or n x oh x ow x k (NHWC), in the src layout
 *
 * Output row y reads input rows y*sh - ph + i*(dh+1), i = 0..kh-1 (rows outside the
 * input are zero). Dilation follows benchdnn: dh = 0 is a dense kernel. The top/left
 * padding is ph/pw; the bottom/right padding is implied by oh/ow:
 *   ph_r = (oh-1)*sh + (kh-1)*(dh+1) + 1 - h - ph.
 *
 * Shuffle: with sg > 1, convolution output channel o is stored at channel
 *   (o % (k/sg)) * sg + o / (k/sg)
 * which is PyTorch's channel_shuffle(x, sg) applied after the convolution (and after
 * bias and activation). sg = 1 means no shuffle.
 */
typedef struct gsconv_problem {
    int64_t n, c, h, w; /* batch, input channels, input height, width */
    int64_t k, g;       /* output channels, groups */
    int64_t kh, kw;     /* kernel */
    int64_t sh, sw;     /* stride (>= 1) */
    int64_t ph, pw;     /* top/left padding (>= 0) */
    int64_t dh, dw;     /* dilation, benchdnn convention: 0 = dense */
    int64_t oh, ow;     /* output size */
    int64_t sg;         /* shuffle groups, 1 = none */
    gsconv_layout layout;
    gsconv_activation act;
} gsconv_problem;

/*
 * Fill a problem from sizes, computing oh/ow (with symmetric padding ph/pw) and setting
 * sg = 1, NCHW, no activation. Fields can be changed afterwards; call validate.
 */
void gsconv_problem_init(gsconv_problem *p, int64_t n, int64_t c, int64_t h, int64_t w,
                         int64_t k, int64_t g, int64_t kh, int64_t kw, int64_t sh,
                         int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw);

/*
 * Parse a benchdnn convolution descriptor plus gsconv's "sg<N>", e.g.
 *   "g32mb1ic128ih56oc128oh56kh3ph1", "g3mb1ic240ih28oc240oh28kh1sg3".
 * Grammar: a sequence of <field><decimal> with fields g mb ic ih iw oc oh ow kh kw sh sw
 * ph pw dh dw sg (any order, each at most once; '_' between fields is ignored), then an
 * optional "n<name>" label that is ignored. Defaults as in benchdnn: g 1, mb 2, strides 1,
 * dilation 0; missing iw/ow/kw/sw/pw/dw copy their h counterpart; a missing output is
 * computed (padding default 0); a missing padding with a given output is the symmetric
 * padding that output implies. 3-D fields (id od kd sd pd dd) are rejected. The result
 * is validated. Layout and activation are set to NCHW / none.
 */
gsconv_status gsconv_problem_parse(gsconv_problem *p, const char *desc);

/*
 * The canonical descriptor: g mb ic ih [iw] oc oh [ow] kh [kw] [sh [sw]] [ph [pw]]
 * [dh [dw]] [sg]. The w-fields appear (all of them) only when some differs from its
 * h counterpart; sh only when != 1, dh only when != 0, sg only when != 1, ph when != 0
 * or when parsing without it would compute another padding. parse(format(p)) == p.
 * Returns the length it needs (excluding NUL) like snprintf; buf may be NULL if len 0.
 */
int gsconv_problem_format(const gsconv_problem *p, char *buf, size_t len);

/* Check every field; GSCONV_ERR_BAD_SHAPE / GSCONV_ERR_OVERFLOW with the reason. */
gsconv_status gsconv_problem_validate(const gsconv_problem *p);

/* Element counts of the four tensors (valid problems only). */
size_t gsconv_problem_src_elems(const gsconv_problem *p);
size_t gsconv_problem_wei_elems(const gsconv_problem *p);
size_t gsconv_problem_dst_elems(const gsconv_problem *p);
/* Useful flops: 2*n*k*oh*ow*(c/g)*kh*kw, whatever the algorithm. */
double gsconv_problem_flops(const gsconv_problem *p);

const char *gsconv_layout_name(gsconv_layout l);        /* "nchw" / "nhwc" */
const char *gsconv_activation_name(gsconv_activation a); /* "none" / "relu" */

/* ---------------------------------------------------------------- ISAs */

typedef enum gsconv_isa {
    GSCONV_ISA_SCALAR = 0,
    GSCONV_ISA_AVX2 = 1,   /* AVX2 + FMA3 */
    GSCONV_ISA_AVX512 = 2, /* AVX-512 F, BW, VL, DQ */
    GSCONV_ISA_NEON = 3,   /* AArch64 Advanced SIMD */
    GSCONV_ISA_BEST = 100  /* as an option: no cap */
} gsconv_isa;

const char *gsconv_isa_name(gsconv_isa isa); /* "scalar", "avx2", "avx512", "neon" */
/* Parse "scalar|avx2|avx512|neon" (also "best"/"any"); GSCONV_ERR_INVALID_ARGUMENT. */
gsconv_status gsconv_isa_parse(const char *s, gsconv_isa *out);
/* Best ISA this CPU and OS can run, after the GSCONV_MAX_ISA cap. */
gsconv_isa gsconv_isa_available(void);

/* ---------------------------------------------------------------- registry */

/* Number of variants in the registry (built for this architecture). */
int gsconv_variant_count(void);
/* Name of variant i (0 <= i < count), e.g. "ref", "direct_nchw_w16__avx512"; NULL
 * if out of range. Row 0 is "ref". */
const char *gsconv_variant_name(int i);
/* ISA of variant i. */
gsconv_isa gsconv_variant_isa(int i);
/* Index of a variant by name, or -1. */
int gsconv_variant_find(const char *name);
/*
 * Can variant i run problem p on this machine (CPU ISA after the GSCONV_MAX_ISA cap)?
 * GSCONV_OK if so; else GSCONV_ERR_NOT_APPLICABLE and a one-line reason in why
 * ("needs avx512", "3x3 stride 1 only", ...). why may be NULL.
 */
gsconv_status gsconv_variant_applicable(int i, const gsconv_problem *p, char *why,
                                        size_t why_len);

/* ---------------------------------------------------------------- plans */

typedef enum gsconv_rigor {
    GSCONV_ESTIMATE = 0,  /* pick by cost model, no timing */
    GSCONV_MEASURE = 1,   /* time the promising candidates (today: falls back to ESTIMATE) */
    GSCONV_PATIENT = 2,   /* time all candidates (today: falls back to ESTIMATE) */
    GSCONV_CACHE_ONLY = 3 /* use the cache file or fail with GSCONV_ERR_NOT_CACHED */
} gsconv_rigor;

typedef struct gsconv_plan_options {
    const char *variant;   /* force this registry variant (NULL: choose) */
    gsconv_isa max_isa;    /* cap; GSCONV_ISA_BEST = none (GSCONV_MAX_ISA also applies) */
    int threads;           /* 0: GSCONV_NUM_THREADS, else the physical core count */
    gsconv_rigor rigor;
    const char *cache_path; /* NULL: GSCONV_CACHE, else $XDG_CACHE_HOME/gsconv/wisdom.json */
} gsconv_plan_options;

typedef struct gsconv_plan gsconv_plan;

void gsconv_plan_options_default(gsconv_plan_options *o);

/* Choose a variant for p (validated here) and allocate its workspace. opt may be NULL. */
gsconv_status gsconv_plan_create(gsconv_plan **out, const gsconv_problem *p,
                                 const gsconv_plan_options *opt);
/* Weights in (k, c/g, kh, kw) order, bias (k) or NULL. Packs them; may be called
 * again to replace the weights. The caller's arrays are not kept. */
gsconv_status gsconv_plan_set_weights(gsconv_plan *plan, const float *wei, const float *bias);
/* dst = shuffle(act(conv(src, wei) + bias)), in the problem's layout. src and dst must
 * not overlap. */
gsconv_status gsconv_plan_execute(gsconv_plan *plan, const float *src, float *dst);
const char *gsconv_plan_variant(const gsconv_plan *plan);
int gsconv_plan_threads(const gsconv_plan *plan);
const gsconv_problem *gsconv_plan_problem(const gsconv_plan *plan);
void gsconv_plan_destroy(gsconv_plan *plan);

/* ---------------------------------------------------------------- reference */

/*
 * Scalar reference convolution with every field of p (accumulates in double), bias
 * may be NULL. Single-threaded; slow by design.
 */
gsconv_status gsconv_reference_conv(const gsconv_problem *p, const float *src,
                                    const float *wei, const float *bias, float *dst);

/*
 * Standalone channel shuffle of a tensor n x c x h x w (layout as given) into sg groups:
 * input channel i goes to (i % (c/sg)) * sg + i / (c/sg). src and dst must not overlap.
 * Uses the best SIMD kernel available.
 */
gsconv_status gsconv_channel_shuffle(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                                     int64_t w, int64_t sg, const float *src, float *dst);
/* The scalar reference of the same operation. */
gsconv_status gsconv_reference_shuffle(gsconv_layout layout, int64_t n, int64_t c,
                                       int64_t h, int64_t w, int64_t sg, const float *src,
                                       float *dst);

/* Physical cores (hwloc), the default thread count. */
int gsconv_physical_cores(void);

#ifdef __cplusplus
}
#endif
#endif /* GSCONV_H */
