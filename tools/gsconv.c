/*
 * gsconv — the command line front end of the library. Thin by design: it parses
 * arguments, reads and writes .npy files, and calls the public API (include/gsconv.h);
 * it lists no kernels and derives no shapes itself.
 *
 * Exit status everywhere: 0 ok, 1 a check failed, 2 bad usage or bad input.
 *
 * Subcommands are rows of `commands[]` below; a new one is a function plus a row.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gsconv.h"
#include "npy.h"
#include "cmd_tuner.h" /* info, tune, cache */
#include "cmd_results.h" /* bench, report */

enum { EXIT_OK = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

#define MAX_THREADS 4096
#define MAX_REPEAT 1000000
#define DEFAULT_TOL 1e-5

/* ---------------------------------------------------------------- messages */

/* Print s with control characters escaped, so that every message stays one line even
 * when it quotes user input. */
static void put_clean(FILE *f, const char *s)
{
    for (; *s; s++) {
        const unsigned char ch = (unsigned char)*s;
        if (ch < 0x20 || ch == 0x7f)
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
}

static void vmessage(const char *cmd, const char *hint, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    fputs("gsconv: ", stderr);
    if (cmd) fprintf(stderr, "%s: ", cmd);
    put_clean(stderr, buf);
    if (hint) fprintf(stderr, " (try 'gsconv%s%s --help')", cmd ? " " : "", cmd ? cmd : "");
    fputc('\n', stderr);
}

/* Bad usage: one line with a hint to --help; returns EXIT_USAGE. cmd may be NULL. */
static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, "", fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

/* Bad input (descriptor, file, variant, memory): one line; returns EXIT_USAGE. */
static int input_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int input_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(NULL, NULL, fmt, ap);
    va_end(ap);
    return EXIT_USAGE;
}

/* getopt_long returned '?' or ':' (opterr is 0, optstring starts with ':'). */
static int option_error(const char *cmd, int c, char **argv, const struct option *lo)
{
    if (c == ':') {
        for (; lo->name; lo++)
            if (lo->val == optopt && !lo->flag)
                return usage_error(cmd, "option '--%s' needs a value", lo->name);
        return usage_error(cmd, "option '-%c' needs a value", optopt);
    }
    if (optopt && optopt < 256 && optopt != '?')
        return usage_error(cmd, "unknown option '-%c'", optopt);
    const char *arg = argv[optind - 1];
    if (strncmp(arg, "--", 2) == 0) {
        /* getopt_long accepts unique prefixes; say so when a prefix was not unique */
        const size_t l = strcspn(arg + 2, "=");
        int matches = 0;
        for (const struct option *p = lo; p->name; p++)
            if (l && strncmp(p->name, arg + 2, l) == 0) matches++;
        if (matches > 1) return usage_error(cmd, "ambiguous option '%.*s'", (int)l + 2, arg);
    }
    return usage_error(cmd, "unknown option '%s'", arg);
}

/* ---------------------------------------------------------------- value parsing */

static bool parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9'))) return false;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static bool parse_layout(const char *s, gsconv_layout *out)
{
    if (strcmp(s, "nchw") == 0) return *out = GSCONV_NCHW, true;
    if (strcmp(s, "nhwc") == 0) return *out = GSCONV_NHWC, true;
    return false;
}

static bool parse_activation(const char *s, gsconv_activation *out)
{
    if (strcmp(s, "none") == 0) return *out = GSCONV_ACT_NONE, true;
    if (strcmp(s, "relu") == 0) return *out = GSCONV_ACT_RELU, true;
    return false;
}

/* Parse DESC and set the layout; on failure prints the library's message. */
static int load_problem(const char *desc, gsconv_layout layout, gsconv_activation act,
                        gsconv_problem *p)
{
    if (gsconv_problem_parse(p, desc) != GSCONV_OK) return input_error("%s", gsconv_last_error());
    p->layout = layout;
    p->act = act;
    if (gsconv_problem_validate(p) != GSCONV_OK) return input_error("%s", gsconv_last_error());
    return EXIT_OK;
}

/* ---------------------------------------------------------------- variants */

static void variants_usage(FILE *f)
{
    fputs("usage: gsconv variants DESC [--layout nchw|nhwc]\n"
          "\n"
          "List every variant of the registry, one line each, in registry order:\n"
          "  <name> applicable\n"
          "  <name> no: <reason>\n"
          "for the convolution DESC (a benchdnn descriptor plus sg<N>, e.g.\n"
          "g3mb1ic240ih28oc240oh28kh1sg3) on this machine (GSCONV_MAX_ISA caps the ISA).\n"
          "\n"
          "options:\n"
          "  --layout nchw|nhwc  activation layout (default nchw)\n"
          "  -h, --help          this help\n",
          f);
}

static int cmd_variants(int argc, char **argv)
{
    static const struct option lo[] = {
        {"layout", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "variants", *layout_s = "nchw";
    bool help = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (c) {
        case 'L': layout_s = optarg; break;
        case 'h': help = true; break;
        default: return option_error(cmd, c, argv, lo);
        }
    }
    if (help) {
        variants_usage(stdout);
        return EXIT_OK;
    }
    if (optind >= argc) return usage_error(cmd, "missing DESC");
    if (argc - optind > 1) return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    gsconv_layout layout;
    if (!parse_layout(layout_s, &layout))
        return usage_error(cmd, "--layout must be nchw or nhwc, got '%s'", layout_s);
    gsconv_problem p;
    int r = load_problem(argv[optind], layout, GSCONV_ACT_NONE, &p);
    if (r) return r;
    const int n = gsconv_variant_count();
    for (int i = 0; i < n; i++) {
        char why[256] = "";
        if (gsconv_variant_applicable(i, &p, why, sizeof why) == GSCONV_OK) {
            printf("%s applicable\n", gsconv_variant_name(i));
        } else {
            printf("%s no: ", gsconv_variant_name(i));
            put_clean(stdout, why[0] ? why : "not applicable");
            putchar('\n');
        }
    }
    return EXIT_OK;
}

/* ---------------------------------------------------------------- run */

static void run_usage(FILE *f)
{
    fprintf(f,
            "usage: gsconv run DESC [--layout nchw|nhwc] [--activation none|relu]\n"
            "                  [--variant NAME] [--threads N] [--seed S]\n"
            "                  [--src X.npy --wei W.npy [--bias B.npy]] [--out Y.npy]\n"
            "                  [--check [--tol X]] [--repeat N] [--json]\n"
            "\n"
            "Run the convolution DESC (benchdnn descriptor plus sg<N>) through a plan of the\n"
            "library: dst = shuffle(act(conv(src, wei) + bias)).\n"
            "\n"
            "options:\n"
            "  --layout nchw|nhwc      layout of src and dst (default nchw)\n"
            "  --activation none|relu  (default none)\n"
            "  --variant NAME          force a registry variant (see gsconv variants DESC);\n"
            "                          default: the planner chooses\n"
            "  --no-winograd           never choose a Winograd variant (as\n"
            "                          GSCONV_NO_WINOGRAD=1)\n"
            "  --max-rel-error X       choose only variants whose expected relative error\n"
            "                          is at most X (default: GSCONV_MAX_REL_ERROR, else\n"
            "                          1e-3; see the README's Winograd accuracy table)\n"
            "  --threads N             threads, 1 <= N <= %d (default: GSCONV_NUM_THREADS,\n"
            "                          else the physical core count)\n"
            "  --seed S                seed of the random inputs, S >= 0 (default 1)\n"
            "  --src X.npy             input, float32 '<f4', shape (n, c, h, w) for nchw or\n"
            "                          (n, h, w, c) for nhwc; needs --wei\n"
            "  --wei W.npy             weights, shape (k, c/g, kh, kw); needs --src\n"
            "  --bias B.npy            bias, shape (k,); needs --src and --wei\n"
            "  --out Y.npy             write dst, shape (n, k, oh, ow) for nchw or\n"
            "                          (n, oh, ow, k) for nhwc, shuffle applied; written\n"
            "                          atomically (temp file + rename), and not at all when\n"
            "                          the run fails or --check fails\n"
            "  --check                 compare with the scalar reference\n"
            "                          (gsconv_reference_conv) on the same inputs; prints\n"
            "                          max abs err = max|dst - ref| and\n"
            "                          max rel err = max|dst - ref| / max|ref|\n"
            "                          (both over the whole tensor); fails (exit 1) when\n"
            "                          max rel err > tol\n"
            "  --tol X                 tolerance of --check (needs --check; default %g)\n"
            "  --repeat N              1 warm-up run, then N timed runs; prints the median\n"
            "                          and min time and GFLOP/s (useful flops / median);\n"
            "                          default: one run, timed\n"
            "  --json                  print one JSON object instead of the text lines\n"
            "  -h, --help              this help\n"
            "\n"
            "Without --src/--wei the inputs are random, uniform in [-1, 1), from a splitmix64\n"
            "generator seeded with --seed, drawn in the order src, wei, bias; a random bias\n"
            "is then always present. With --src/--wei there is no bias unless --bias is\n"
            "given. .npy files must be NumPy format 1.0, 2.0 or 3.0 with dtype '<f4' and\n"
            "C order.\n"
            "\n"
            "exit status: 0 ok, 1 check failed, 2 bad usage or bad input\n",
            MAX_THREADS, DEFAULT_TOL);
}

typedef struct run_opts {
    const char *desc, *layout, *act, *variant, *threads, *seed, *src, *wei, *bias, *out, *tol,
        *repeat, *max_rel_error;
    bool no_winograd;
    bool check, json, help;
} run_opts;

typedef struct run_result {
    double median_ms, min_ms, gflops;
    int repeat, warmup;
    double max_abs, max_rel, tol;
    bool checked, check_ok;
} run_result;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1): 24 random bits, exact in float. */
static void fill_random(float *x, size_t n, uint64_t *state)
{
    for (size_t i = 0; i < n; i++)
        x[i] = (float)(splitmix64(state) >> 40) * (1.0f / 8388608.0f) - 1.0f;
}

static float *alloc_floats(size_t n, const char *what)
{
    if (n > SIZE_MAX / sizeof(float)) {
        input_error("cannot allocate %zu floats for %s: the byte size overflows", n, what);
        return NULL;
    }
    /* 64-byte aligned, as the tuner times and frameworks allocate: malloc's 16-byte
     * alignment makes vector loads straddle cache lines (NHWC depthwise g32 112x112:
     * 0.152 ms from malloc'ed buffers, 0.095 aligned) */
    if (n > SIZE_MAX / sizeof(float) - 64) {
        input_error("cannot allocate %zu floats for %s: the byte size overflows", n, what);
        return NULL;
    }
    float *x = aligned_alloc(64, ((n ? n : 1) * sizeof(float) + 63) / 64 * 64);
    if (!x) input_error("cannot allocate %zu bytes for %s: out of memory", n * sizeof(float), what);
    return x;
}

/* Read one input file and check its shape. */
static int load_npy(const char *opt, const char *path, const char *what, int ndim,
                    const int64_t *shape, const char *suffix, npy_array *a)
{
    char err[512];
    if (npy_read_f32(path, a, err, sizeof err))
        return input_error("--%s %s: %s", opt, path, err);
    if (!npy_shape_equal(a, ndim, shape)) {
        char got[NPY_MAX_DIMS * 22 + 4], want[128];
        npy_format_shape(got, sizeof got, a->ndim, a->shape);
        npy_format_shape(want, sizeof want, ndim, shape);
        npy_free(a);
        return input_error("--%s %s: %s shape %s does not match %s%s", opt, path, what, got,
                           want, suffix);
    }
    return EXIT_OK;
}

static void json_string(const char *s)
{
    if (!s) {
        fputs("null", stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        const unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch < 0x20)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

static void json_number(double x)
{
    if (isfinite(x))
        printf("%.9g", x);
    else
        fputs("null", stdout);
}

static void print_json(const run_opts *o, const gsconv_plan *plan, const char *desc,
                       const run_result *r, uint64_t seed)
{
    const gsconv_problem *p = gsconv_plan_problem(plan);
    fputs("{\"variant\": ", stdout);
    json_string(gsconv_plan_variant(plan));
    fputs(", \"desc\": ", stdout);
    json_string(desc);
    fputs(", \"layout\": ", stdout);
    json_string(gsconv_layout_name(p->layout));
    fputs(", \"activation\": ", stdout);
    json_string(gsconv_activation_name(p->act));
    printf(", \"threads\": %d, \"isa\": ", gsconv_plan_threads(plan));
    json_string(gsconv_isa_name(gsconv_isa_available()));
    fputs(", \"inputs\": ", stdout);
    json_string(o->src ? "npy" : "random");
    if (!o->src) printf(", \"seed\": %" PRIu64, seed);
    printf(", \"repeat\": %d, \"warmup\": %d, \"median_ms\": ", r->repeat, r->warmup);
    json_number(r->median_ms);
    fputs(", \"min_ms\": ", stdout);
    json_number(r->min_ms);
    fputs(", \"gflops\": ", stdout);
    json_number(r->gflops);
    fputs(", \"flops\": ", stdout);
    json_number(gsconv_problem_flops(p));
    if (r->checked) {
        fputs(", \"max_abs_err\": ", stdout);
        json_number(r->max_abs);
        fputs(", \"max_rel_err\": ", stdout);
        json_number(r->max_rel);
        fputs(", \"tol\": ", stdout);
        json_number(r->tol);
        printf(", \"check_ok\": %s", r->check_ok ? "true" : "false");
    }
    if (o->out) {
        fputs(", \"out\": ", stdout);
        json_string(r->checked && !r->check_ok ? NULL : o->out);
    }
    fputs("}\n", stdout);
}

static void check_result(const gsconv_problem *p, const float *dst, const float *ref,
                         run_result *r)
{
    const size_t n = gsconv_problem_dst_elems(p);
    double max_abs = 0, max_ref = 0;
    for (size_t i = 0; i < n; i++) {
        const double a = dst[i], b = ref[i];
        double d;
        if (a == b || (isnan(a) && isnan(b)))
            d = 0;
        else
            d = fabs(a - b);
        if (isnan(d)) d = INFINITY;
        if (d > max_abs) max_abs = d;
        if (fabs(b) > max_ref) max_ref = fabs(b);
    }
    r->max_abs = max_abs;
    r->max_rel = max_abs == 0 ? 0 : max_ref > 0 ? max_abs / max_ref : INFINITY;
    r->checked = true;
    r->check_ok = r->max_rel <= r->tol; /* false for NaN */
}

static int cmd_run(int argc, char **argv)
{
    enum { O_LAYOUT = 256, O_ACT, O_VARIANT, O_THREADS, O_SEED, O_SRC, O_WEI, O_BIAS, O_OUT,
           O_CHECK, O_TOL, O_REPEAT, O_JSON, O_NO_WINO, O_MAX_REL };
    static const struct option lo[] = {
        {"layout", required_argument, NULL, O_LAYOUT},
        {"activation", required_argument, NULL, O_ACT},
        {"variant", required_argument, NULL, O_VARIANT},
        {"threads", required_argument, NULL, O_THREADS},
        {"seed", required_argument, NULL, O_SEED},
        {"src", required_argument, NULL, O_SRC},
        {"wei", required_argument, NULL, O_WEI},
        {"bias", required_argument, NULL, O_BIAS},
        {"out", required_argument, NULL, O_OUT},
        {"check", no_argument, NULL, O_CHECK},
        {"tol", required_argument, NULL, O_TOL},
        {"repeat", required_argument, NULL, O_REPEAT},
        {"json", no_argument, NULL, O_JSON},
        {"no-winograd", no_argument, NULL, O_NO_WINO},
        {"max-rel-error", required_argument, NULL, O_MAX_REL},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "run";
    run_opts o = {.layout = "nchw", .act = "none"};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (c) {
        case O_LAYOUT: o.layout = optarg; break;
        case O_ACT: o.act = optarg; break;
        case O_VARIANT: o.variant = optarg; break;
        case O_THREADS: o.threads = optarg; break;
        case O_SEED: o.seed = optarg; break;
        case O_SRC: o.src = optarg; break;
        case O_WEI: o.wei = optarg; break;
        case O_BIAS: o.bias = optarg; break;
        case O_OUT: o.out = optarg; break;
        case O_CHECK: o.check = true; break;
        case O_TOL: o.tol = optarg; break;
        case O_REPEAT: o.repeat = optarg; break;
        case O_JSON: o.json = true; break;
        case O_NO_WINO: o.no_winograd = true; break;
        case O_MAX_REL: o.max_rel_error = optarg; break;
        case 'h': o.help = true; break;
        default: return option_error(cmd, c, argv, lo);
        }
    }
    if (o.help) {
        run_usage(stdout);
        return EXIT_OK;
    }
    if (optind >= argc) return usage_error(cmd, "missing DESC");
    if (argc - optind > 1) return usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
    o.desc = argv[optind];

    /* ---- validate option values */
    gsconv_layout layout;
    gsconv_activation act;
    int64_t threads = 0, seed = 1, repeat = 0;
    double tol = DEFAULT_TOL;
    if (!parse_layout(o.layout, &layout))
        return usage_error(cmd, "--layout must be nchw or nhwc, got '%s'", o.layout);
    if (!parse_activation(o.act, &act))
        return usage_error(cmd, "--activation must be none or relu, got '%s'", o.act);
    if (o.threads && !parse_i64(o.threads, 1, MAX_THREADS, &threads))
        return usage_error(cmd, "--threads must be an integer in 1..%d, got '%s'", MAX_THREADS,
                           o.threads);
    if (o.seed && !parse_i64(o.seed, 0, INT64_MAX, &seed))
        return usage_error(cmd, "--seed must be an integer in 0..%" PRId64 ", got '%s'",
                           INT64_MAX, o.seed);
    if (o.repeat && !parse_i64(o.repeat, 1, MAX_REPEAT, &repeat))
        return usage_error(cmd, "--repeat must be an integer in 1..%d, got '%s'", MAX_REPEAT,
                           o.repeat);
    if (o.tol) {
        char *end;
        errno = 0;
        tol = strtod(o.tol, &end);
        if (!*o.tol || *end || errno || !isfinite(tol) || tol < 0)
            return usage_error(cmd, "--tol must be a finite number >= 0, got '%s'", o.tol);
        if (!o.check) return usage_error(cmd, "--tol needs --check");
    }
    double max_rel_error = 0;
    if (o.max_rel_error) {
        char *end;
        errno = 0;
        max_rel_error = strtod(o.max_rel_error, &end);
        if (!*o.max_rel_error || *end || errno || !isfinite(max_rel_error) || max_rel_error <= 0)
            return usage_error(cmd, "--max-rel-error must be a number > 0, got '%s'",
                               o.max_rel_error);
    }
    if (o.variant && (o.no_winograd || o.max_rel_error))
        return usage_error(cmd, "--variant forces a variant: --no-winograd and --max-rel-error "
                                "do not apply");
    if (o.src && !o.wei) return usage_error(cmd, "--src needs --wei");
    if (o.wei && !o.src) return usage_error(cmd, "--wei needs --src");
    if (o.bias && !o.src) return usage_error(cmd, "--bias needs --src and --wei");

    gsconv_problem prob;
    int rc = load_problem(o.desc, layout, act, &prob);
    if (rc) return rc;
    char desc[256];
    gsconv_problem_format(&prob, desc, sizeof desc);

    /* ---- everything below releases through `done` */
    gsconv_plan *plan = NULL;
    npy_array a_src = {0}, a_wei = {0}, a_bias = {0};
    float *src = NULL, *wei = NULL, *bias = NULL, *dst = NULL, *ref = NULL;
    double *times = NULL;
    npy_writer writer = {NULL, NULL, -1};
    bool writer_open = false;
    run_result res = {.tol = tol};
    char err[512];
    rc = EXIT_USAGE;

    gsconv_plan_options opt;
    gsconv_plan_options_default(&opt);
    opt.variant = o.variant;
    opt.threads = (int)threads;
    opt.no_winograd = o.no_winograd;
    opt.max_rel_error = max_rel_error;
    if (gsconv_plan_create(&plan, &prob, &opt) != GSCONV_OK) {
        input_error("%s", gsconv_last_error());
        goto done;
    }

    const int64_t n = prob.n, ch = prob.c, h = prob.h, w = prob.w, k = prob.k;
    const int64_t oh = prob.oh, ow = prob.ow;
    const bool nhwc = layout == GSCONV_NHWC;
    const int64_t src_shape[4] = {n, nhwc ? h : ch, nhwc ? w : h, nhwc ? ch : w};
    const int64_t dst_shape[4] = {n, nhwc ? oh : k, nhwc ? ow : oh, nhwc ? k : ow};
    const int64_t wei_shape[4] = {k, ch / prob.g, prob.kh, prob.kw};
    const size_t src_n = gsconv_problem_src_elems(&prob), wei_n = gsconv_problem_wei_elems(&prob);
    const size_t dst_n = gsconv_problem_dst_elems(&prob);
    const char *for_layout = nhwc ? " for layout nhwc" : " for layout nchw";

    if (o.src) {
        if (load_npy("src", o.src, "src", 4, src_shape, for_layout, &a_src)) goto done;
        if (load_npy("wei", o.wei, "wei", 4, wei_shape, " (k, c/g, kh, kw)", &a_wei)) goto done;
        if (o.bias && load_npy("bias", o.bias, "bias", 1, &k, " (k,)", &a_bias)) goto done;
        src = a_src.data, wei = a_wei.data, bias = o.bias ? a_bias.data : NULL;
    } else {
        uint64_t state = (uint64_t)seed;
        if (!(src = alloc_floats(src_n, "src")) || !(wei = alloc_floats(wei_n, "wei")) ||
            !(bias = alloc_floats((size_t)k, "bias")))
            goto done;
        fill_random(src, src_n, &state);
        fill_random(wei, wei_n, &state);
        fill_random(bias, (size_t)k, &state);
    }
    if (!(dst = alloc_floats(dst_n, "dst"))) goto done;
    if (o.check && !(ref = alloc_floats(dst_n, "the reference dst"))) goto done;
    res.repeat = o.repeat ? (int)repeat : 1;
    res.warmup = o.repeat ? 1 : 0;
    if (!(times = malloc((size_t)res.repeat * sizeof *times))) {
        input_error("out of memory");
        goto done;
    }

    /* a bad output path fails here, before the work */
    if (o.out) {
        if (npy_writer_open(&writer, o.out, err, sizeof err)) {
            input_error("--out %s: %s", o.out, err);
            goto done;
        }
        writer_open = true;
    }

    if (gsconv_plan_set_weights(plan, wei, bias) != GSCONV_OK) {
        input_error("%s", gsconv_last_error());
        goto done;
    }
    for (int i = -res.warmup; i < res.repeat; i++) {
        const double t0 = now_ms();
        if (gsconv_plan_execute(plan, src, dst) != GSCONV_OK) {
            input_error("%s", gsconv_last_error());
            goto done;
        }
        const double t = now_ms() - t0;
        if (i >= 0) times[i] = t;
    }
    qsort(times, (size_t)res.repeat, sizeof *times, cmp_double);
    res.min_ms = times[0];
    res.median_ms = res.repeat % 2 ? times[res.repeat / 2]
                                   : 0.5 * (times[res.repeat / 2 - 1] + times[res.repeat / 2]);
    res.gflops = res.median_ms > 0 ? gsconv_problem_flops(&prob) / (res.median_ms * 1e6) : NAN;

    /* Test hook (tests/test_cli.sh): GSCONV_TEST_PERTURB_DST=X adds X to the first
     * element of dst after the run, so that the failure path of --check can be tested
     * end to end without a broken kernel. */
    const char *perturb = getenv("GSCONV_TEST_PERTURB_DST");
    if (perturb && *perturb && dst_n) {
        char *end;
        const double x = strtod(perturb, &end);
        if (*end || !isfinite(x)) {
            input_error("GSCONV_TEST_PERTURB_DST='%s' is not a finite number", perturb);
            goto done;
        }
        dst[0] += (float)x;
    }

    if (o.check) {
        if (gsconv_reference_conv(&prob, src, wei, bias, ref) != GSCONV_OK) {
            input_error("%s", gsconv_last_error());
            goto done;
        }
        check_result(&prob, dst, ref, &res);
    }

    if (writer_open && (!res.checked || res.check_ok)) {
        writer_open = false; /* commit closes it, also on failure */
        if (npy_writer_commit(&writer, 4, dst_shape, dst, 1, err, sizeof err)) {
            input_error("--out %s: %s", o.out, err);
            goto done;
        }
    }

    if (o.json) {
        print_json(&o, plan, desc, &res, (uint64_t)seed);
    } else {
        printf("variant=%s desc=%s layout=%s activation=%s threads=%d isa=%s\n",
               gsconv_plan_variant(plan), desc, gsconv_layout_name(layout),
               gsconv_activation_name(act), gsconv_plan_threads(plan),
               gsconv_isa_name(gsconv_isa_available()));
        printf("time: median %.4f ms, min %.4f ms, %.3f GFLOP/s (%s%d timed run%s)\n",
               res.median_ms, res.min_ms, res.gflops, res.warmup ? "1 warm-up + " : "",
               res.repeat, res.repeat == 1 ? "" : "s");
        if (res.checked)
            printf("check %s: max abs err %.3g, max rel err %.3g (max|dst-ref| / max|ref|), "
                   "tol %.3g\n",
                   res.check_ok ? "ok" : "FAILED", res.max_abs, res.max_rel, res.tol);
        if (o.out && (!res.checked || res.check_ok))
            printf("wrote %s\n", o.out);
    }
    if (res.checked && !res.check_ok) {
        if (o.json)
            fprintf(stderr, "gsconv: check FAILED: max rel err %.3g > tol %.3g\n", res.max_rel,
                    res.tol);
        if (o.out) fprintf(stderr, "gsconv: --out %s not written (check failed)\n", o.out);
        rc = EXIT_CHECK;
    } else {
        rc = EXIT_OK;
    }

done:
    if (writer_open) npy_writer_abort(&writer);
    gsconv_plan_destroy(plan);
    if (o.src) {
        npy_free(&a_src);
        npy_free(&a_wei);
        npy_free(&a_bias);
    } else {
        free(src);
        free(wei);
        free(bias);
    }
    free(dst);
    free(ref);
    free(times);
    return rc;
}

/* ---------------------------------------------------------------- top level */

typedef struct command {
    const char *name;
    const char *summary;
    int (*main)(int argc, char **argv); /* argv[0] is the command name */
} command;

/* One row per subcommand; `gsconv --help` lists them in this order. */
static const command commands[] = {
    {"variants", "list every registry variant and whether it can run DESC", cmd_variants},
    {"run", "run one convolution (random or .npy data); check, time, save", cmd_run},
    {"info", "CPU probe, fingerprint, measured peak and the registry", gsconv_cmd_info},
    {"tune", "tune shapes or suite files and store the picks in the cache", gsconv_cmd_tune},
    {"cache", "the tuning cache file: path, list, show, merge, clear", gsconv_cmd_cache},
    {"bench", "time the benchmark suites against the peers (runs gsconv-bench)", gsconv_cmd_bench},
    {"report", "report of a benchmark run, or compare two with a regression verdict", gsconv_cmd_report},
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))

static void top_usage(FILE *f)
{
    fputs("usage: gsconv [-h|--help] [--version] COMMAND [ARGS...]\n"
          "\n"
          "Fast fp32 grouped and channel-shuffled grouped convolution.\n"
          "\n"
          "commands:\n",
          f);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n"
          "'gsconv COMMAND --help' shows the options of a command.\n"
          "DESC is a benchdnn convolution descriptor plus sg<N> for a channel shuffle,\n"
          "e.g. g32mb1ic128ih56oc128oh56kh3ph1 or g3mb1ic240ih28oc240oh28kh1sg3.\n"
          "\n"
          "environment: GSCONV_NUM_THREADS, GSCONV_MAX_ISA=scalar|avx2|avx512,\n"
          "             GSCONV_VERBOSE=1 (print the dispatch decision)\n"
          "exit status: 0 ok, 1 check failed, 2 bad usage or bad input\n",
          f);
}

int main(int argc, char **argv)
{
    static const struct option lo[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    /* '+': stop at the command name; its options belong to it */
    while ((c = getopt_long(argc, argv, "+:h", lo, NULL)) != -1) {
        switch (c) {
        case 'h': top_usage(stdout); return EXIT_OK;
        case 'V': printf("gsconv %s\n", GSCONV_VERSION_STRING); return EXIT_OK;
        default: return option_error(NULL, c, argv, lo);
        }
    }
    if (optind >= argc) return usage_error(NULL, "missing command");
    const char *name = argv[optind];
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0) {
            const int rc = commands[i].main(argc - optind, argv + optind);
            if (fflush(stdout) != 0) return input_error("cannot write the output: %s", strerror(errno));
            return rc;
        }
    return usage_error(NULL, "unknown command '%s'", name);
}
