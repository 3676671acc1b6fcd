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
 * [dh [dw]] [sg]. When every w-field equals its h counterpart (square problems) only
 * the h-fields appear: sh when != 1, dh when != 0, ph when != 0 or when parsing without
 * it would compute another padding. When some w-field differs, all spatial fields are
 * printed explicitly (iw ow kw sh sw ph pw dh dw). sg appears when != 1.
 * parse(format(p)) == p, and format(parse(format(p))) == format(p).
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
    GSCONV_MEASURE = 1,   /* time the promising candidates, store the pick in the cache */
    GSCONV_PATIENT = 2,   /* time all candidates, store the pick in the cache */
    GSCONV_CACHE_ONLY = 3 /* use the cache file or fail with GSCONV_ERR_NOT_CACHED */
} gsconv_rigor;

typedef struct gsconv_plan_options {
    const char *variant;   /* force this registry variant (NULL: choose) */
    gsconv_isa max_isa;    /* cap; GSCONV_ISA_BEST = none (GSCONV_MAX_ISA also applies) */
    int threads;           /* 0: GSCONV_NUM_THREADS, else the physical core count */
    gsconv_rigor rigor;
    const char *cache_path; /* NULL: GSCONV_CACHE, else $XDG_CACHE_HOME/gsconv/wisdom.json */
    /* Accuracy (see "Accuracy constraint" below); ignored when a variant is forced. */
    int no_winograd;        /* 1: never choose a Winograd variant (also GSCONV_NO_WINOGRAD=1) */
    double max_rel_error;   /* largest expected relative error a chosen variant may have;
                               0: GSCONV_MAX_REL_ERROR, else GSCONV_DEFAULT_MAX_REL_ERROR */
} gsconv_plan_options;

/*
 * Accuracy constraint. Direct and GEMM variants compute the same products as the
 * reference (only the summation order differs); Winograd variants also round in their
 * transforms, and each states the factor F(p) of its error bound,
 *   |y - exact| <= F(p) * 2^-24 * (sum_j |w_j x_j| + |bias|)
 * (measured and documented per tile: kernels/wino.inc, docs/winograd.md, README).
 * F(p) * 2^-24 is the variant's expected relative error; plans and the tuner choose only
 * variants whose expected relative error is at most max_rel_error, and no Winograd
 * variant at all with no_winograd. Cache entries that break the constraint are treated
 * as misses; a plan tuned under a non-default constraint does not store its pick (so it
 * cannot replace the entry other plans use). max_rel_error must be > 0 and finite.
 */
#define GSCONV_DEFAULT_MAX_REL_ERROR 1e-3

typedef struct gsconv_plan gsconv_plan;

void gsconv_plan_options_default(gsconv_plan_options *o);

/*
 * Choose a variant for p (validated here) and allocate its workspace. opt may be NULL.
 * Unless a variant is forced, the cache file is consulted first: this machine's entry
 * for (shape, layout, activation, thread budget = the resolved thread count) of at
 * least the requested rigor gives variant, parameters and thread count (<= budget). On
 * a miss: ESTIMATE uses the cost model, MEASURE/PATIENT tune now and store the pick,
 * CACHE_ONLY fails with GSCONV_ERR_NOT_CACHED. docs/tuner.md has the details.
 */
gsconv_status gsconv_plan_create(gsconv_plan **out, const gsconv_problem *p,
                                 const gsconv_plan_options *opt);
/* Weights in (k, c/g, kh, kw) order, bias (k) or NULL. Packs them; may be called
 * again to replace the weights. The caller's arrays are not kept. */
gsconv_status gsconv_plan_set_weights(gsconv_plan *plan, const float *wei, const float *bias);
/* dst = shuffle(act(conv(src, wei) + bias)), in the problem's layout. src and dst must
 * not overlap. Any float alignment works; 64-byte aligned tensors (aligned_alloc(64, .),
 * as frameworks allocate them, and as the tuner and the benchmarks time) are faster:
 * malloc's 16-byte alignment makes 64-byte vector loads straddle cache lines (NHWC
 * depthwise g32 112x112 on Zen 4: 0.152 ms against 0.095 ms). */
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

/* ---------------------------------------------------------------- CPU probe */

/* ISA feature bits of gsconv_cpu_info.flags (what CPUID / AT_HWCAP say; the usable ISA
 * after the OS check and the GSCONV_MAX_ISA cap is gsconv_cpu_info.isa). */
#define GSCONV_CPU_SSE42 (1u << 0)
#define GSCONV_CPU_AVX (1u << 1)
#define GSCONV_CPU_AVX2 (1u << 2)
#define GSCONV_CPU_FMA3 (1u << 3)
#define GSCONV_CPU_AVX512F (1u << 4)
#define GSCONV_CPU_AVX512BW (1u << 5)
#define GSCONV_CPU_AVX512VL (1u << 6)
#define GSCONV_CPU_AVX512DQ (1u << 7)
#define GSCONV_CPU_AVX512VNNI (1u << 8)
#define GSCONV_CPU_AVX512BF16 (1u << 9)
#define GSCONV_CPU_NEON (1u << 16)  /* aarch64 AdvSIMD */
#define GSCONV_CPU_FPHP (1u << 17)  /* aarch64 fp16 arithmetic */
#define GSCONV_CPU_SVE (1u << 18)   /* aarch64 SVE */

#define GSCONV_MAX_CACHES 8

/* One cache level as hwloc reports it (libcpuid fills in when hwloc knows nothing). */
typedef struct gsconv_cpu_cache {
    int level;              /* 1, 2, 3, 4 */
    char type;              /* 'd' data, 'i' instruction, 'u' unified */
    int64_t size;           /* bytes, one instance */
    int line;               /* line size in bytes (0 unknown) */
    int cores_sharing;      /* physical cores that share one instance */
    int instances;          /* how many instances in the machine */
} gsconv_cpu_cache;

typedef struct gsconv_cpu_info {
    char arch[16];          /* "x86_64", "aarch64" */
    char vendor[32];        /* "AuthenticAMD", "GenuineIntel"; "" if unknown */
    char brand[64];         /* brand string / hwloc CPUModel */
    int family, model, stepping; /* x86: extended family/model (e.g. 25/17/1); arm: 0 */
    unsigned flags;         /* GSCONV_CPU_* */
    gsconv_isa isa;         /* best usable ISA, after the OS check and GSCONV_MAX_ISA */
    int packages, cores, pus, numa_nodes; /* hwloc; cores = physical cores */
    int ncaches;
    gsconv_cpu_cache caches[GSCONV_MAX_CACHES]; /* by level, data before instruction */
    /* Measured on request (gsconv_cpu_measure_peak), 0 until then: */
    double peak_gflops;     /* fp32 FMA GFLOP/s of one core, one thread (best ISA loop) */
    double copy_gbs;        /* memcpy bandwidth from memory, one thread: GB/s of bytes
                               copied (read + written counted once), buffer > 2x last cache */
    double copy_gbs_l2;     /* the same with the buffers in L2 (half its size) */
    double copy_gbs_l3;     /* ... in the last cache beyond L2 (0 if there is none) */
    double peak_gflops_256; /* peak_gflops with vectors of at most 256 bits (the AVX2
                               loop on x86; = peak_gflops elsewhere): half of it on cores
                               with two 512-bit FMA pipes, equal on Zen 4 */
    /* Machine fingerprint (docs/tuner.md): the text that identifies this machine and
     * build in the cache file, and its FNV-1a 64 hash as 16 hex digits (the key). */
    char fingerprint[512];
    char machine_key[17];
} gsconv_cpu_info;

/*
 * Probe the CPU (hwloc + libcpuid on x86, hwloc + getauxval on aarch64). The static
 * part is probed once per process; peak_gflops / copy_gbs are filled from the cache
 * file if a previous gsconv_cpu_measure_peak stored them for this fingerprint.
 */
gsconv_status gsconv_cpu_probe(gsconv_cpu_info *out);
/*
 * Measure peak_gflops and copy_gbs (about 0.3 s), store them in the cache file under
 * this machine's fingerprint and in *info. If remeasure is 0 and the cache already has
 * them, use those. cache_path NULL: the default path (see gsconv_cache_path).
 */
gsconv_status gsconv_cpu_measure_peak(gsconv_cpu_info *info, const char *cache_path,
                                      int remeasure);
/* "sse4.2 avx avx2 fma3 avx512f ..." for a flags word (snprintf-style return). */
int gsconv_cpu_flags_format(unsigned flags, char *buf, size_t len);
/* Configuration signature: "fnv1a64:<16 hex>" over every registry name in order and
 * the build options (compiler, build type, architecture). Part of the fingerprint. */
const char *gsconv_config_signature(void);
/* The build options the signature hashes, e.g. "gcc 12.2.0;Release;x86_64". */
const char *gsconv_build_options(void);

/* ---------------------------------------------------------------- tuner and cache */

/*
 * The cache file ("wisdom"), docs/tuner.md: explicit path, else $GSCONV_CACHE, else
 * $XDG_CACHE_HOME/gsconv/wisdom.json, else $HOME/.cache/gsconv/wisdom.json. Writes
 * the path into buf (snprintf-style return; -1 if there is no HOME either).
 */
int gsconv_cache_path(const char *explicit_path, char *buf, size_t len);

const char *gsconv_rigor_name(gsconv_rigor r); /* "estimate" "measure" "patient" "cache-only" */
gsconv_status gsconv_rigor_parse(const char *s, gsconv_rigor *out);

/* The most tunable parameters a variant declares. */
#define GSCONV_TUNE_MAX_PARAMS 5

/* One timed (or estimated) candidate: variant x parameter values x thread count. */
typedef struct gsconv_tune_pick {
    char variant[64];       /* registry name; "" if none */
    char params[128];       /* "name=value,name=value" ("" if the variant has none) */
    int param_values[GSCONV_TUNE_MAX_PARAMS]; /* by position, as the variant declares them */
    int threads;
    double ms;              /* measured median (MEASURE/PATIENT) or estimate (ESTIMATE) */
    double gflops;          /* useful GFLOP/s at ms */
} gsconv_tune_pick;

typedef struct gsconv_tune_options {
    gsconv_rigor rigor;     /* ESTIMATE, MEASURE or PATIENT */
    int threads;            /* thread budget: candidates use 1..threads (0: as plans) */
    gsconv_isa max_isa;     /* GSCONV_ISA_BEST: none */
    double time_limit;      /* seconds of timing per shape (0: 2 s) */
    const char *cache_path; /* where to store (NULL: default) */
    int store;              /* write the result into the cache file */
    int bind;               /* bind the OpenMP threads to physical cores with hwloc */
    int no_winograd;        /* as gsconv_plan_options (also GSCONV_NO_WINOGRAD=1) */
    double max_rel_error;   /* as gsconv_plan_options (0: GSCONV_MAX_REL_ERROR or default) */
    /* Progress callback after each timing round (may be NULL). */
    void (*progress)(void *user, int done, int total);
    void *user;
} gsconv_tune_options;

typedef struct gsconv_tune_result {
    gsconv_tune_pick best;      /* the choice */
    gsconv_tune_pick runner_up; /* second best measured ("" variant if none) */
    gsconv_tune_pick estimate;  /* what ESTIMATE picks, with its measured ms if timed
                                   (ms < 0: not measured) */
    gsconv_rigor rigor;
    int candidates;         /* applicable candidates */
    int timed;              /* candidates that were timed */
    int runs;               /* executes timed in total */
    double seconds;         /* wall time of the tuning */
    char binding[32];       /* "hwloc-cores", "omp:<OMP_PROC_BIND>" or "none" */
    gsconv_status store_status; /* GSCONV_OK or why the cache write failed (message on stderr) */
} gsconv_tune_result;

void gsconv_tune_options_default(gsconv_tune_options *o);
/*
 * Choose variant, parameters and thread count for p (its layout and activation count)
 * by o->rigor, and store the choice in the cache file if o->store. Random data.
 */
gsconv_status gsconv_tune(const gsconv_problem *p, const gsconv_tune_options *o,
                          gsconv_tune_result *r);

/* One cache entry as listed (all machines). */
typedef struct gsconv_cache_entry {
    char machine_key[17];
    int this_machine;       /* machine_key is this machine's (and this build's) */
    char shape[256];        /* canonical descriptor */
    gsconv_layout layout;
    gsconv_activation act;
    int thread_budget;      /* the plan's thread count the entry answers */
    gsconv_tune_pick pick;
    gsconv_rigor rigor;
    char binding[32];       /* how the timed threads were bound (see gsconv_tune_result) */
    char date[32];          /* ISO 8601 UTC */
} gsconv_cache_entry;

/* All entries of a cache file (malloc'ed, free with free()). A missing file: 0 entries.
 * A bad file: GSCONV_ERR_IO with the reason. */
gsconv_status gsconv_cache_list(const char *path, gsconv_cache_entry **out, int *n);
/* Merge cache files into out (which may be one of them): same key, the higher rigor
 * wins, then the newer date. Locked, atomic write. */
gsconv_status gsconv_cache_merge(const char *const *inputs, int ninputs, const char *out);
/* Remove all entries (this_machine_only = 0) or this machine's only; *removed counts them. */
gsconv_status gsconv_cache_clear(const char *path, int this_machine_only, int *removed);

#ifdef __cplusplus
}
#endif
#endif /* GSCONV_H */
