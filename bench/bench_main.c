/*
 * gsconv-bench: time every layer of the benchmark suites with gsconv (the plan it would
 * use, optionally every applicable variant) and the peers (oneDNN, XNNPACK) through
 * Google Benchmark, check each result against the reference once, write Google
 * Benchmark JSON (compare.py reads it) plus the model totals. bench/README.md has the
 * naming scheme and the JSON layout; `gsconv bench` runs this binary.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "gbench_shim.h"
#include "results.h"
#include "suite.h"

#ifndef GSCONV_SUITES_SOURCE_DIR
#define GSCONV_SUITES_SOURCE_DIR ""
#endif
#ifndef GSCONV_SUITES_INSTALL_DIR
#define GSCONV_SUITES_INSTALL_DIR ""
#endif

/* Relative tolerance of the correctness check: max |out - ref| <= TOL * max(1, max |ref|).
 * Loose enough for Winograd and for the peers' own summation orders (observed errors are
 * around 1e-6), tight enough for any indexing bug (errors of order 1). */
#define CHECK_TOL 1e-3

static const char *const default_suites[] = {"shufflenet_v1_g3", "shufflenet_v1_g8",
                                             "resnext50_32x4d", "alexnet", "mobilenet_v1_dw"};

/* ---------------------------------------------------------------- model */

typedef struct suite {
    char name[64];   /* file stem: the first field of every benchmark name */
    char title[128]; /* "# title:" line, else the name */
    char path[1024];
} suite;

typedef struct layer {
    const suite *s;
    gsconv_problem p; /* NCHW as parsed */
    char canon[256];
    int repeat;
} layer;

typedef struct bcase {
    const layer *L;
    gsconv_layout layout;
    const bench_backend *be;
    const char *arg; /* gsconv: the variant (NULL: the planner's choice) */
    char name[512];
    double flops, bytes, roof_gflops;
    void *impl;      /* the backend instance, while its layer group runs */
    size_t group;    /* index of its (layer, layout) group */
    bool checked, failed;
    char error[512], label[192];
    bench_counter extra[BENCH_MAX_COUNTERS];
    int nextra;
} bcase;

static int g_threads = 1;
static bench_machine g_machine;
/* The cases, in groups of one layer and layout ([g_gstart[i], g_gstart[i + 1])): the
 * instances of one group exist at a time (its repetitions alternate between them). */
static bcase *g_cases;
static size_t *g_gstart, g_live = (size_t)-1; /* g_live: the group alive */

/* ---------------------------------------------------------------- layer data */

/* The data of one layer: random src and weights, the reference output; NCHW once, and
 * NHWC copies on demand. Only one layer is kept at a time (benchmarks run in order). */
typedef struct layer_data {
    const layer *L;
    float *src[2], *ref[2], *wei; /* [layout] */
} layer_data;
static layer_data g_data;

static void data_free(void)
{
    for (int i = 0; i < 2; i++) free(g_data.src[i]), free(g_data.ref[i]);
    free(g_data.wei);
    memset(&g_data, 0, sizeof g_data);
}

static void fill_random(float *v, size_t n, uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        v[i] = (float)((s >> 40) & 0xFFFF) / 32768.0f - 1.0f; /* [-1, 1) */
    }
}

/* NCHW -> NHWC */
static void to_nhwc(const float *in, float *out, int64_t n, int64_t c, int64_t hw)
{
    for (int64_t b = 0; b < n; b++)
        for (int64_t ch = 0; ch < c; ch++)
            for (int64_t i = 0; i < hw; i++) out[(b * hw + i) * c + ch] = in[(b * c + ch) * hw + i];
}

static const layer_data *data_for(const layer *L, gsconv_layout layout, char *err, size_t errlen)
{
    if (g_data.L != L) {
        data_free();
        g_data.L = L;
        const gsconv_problem *p = &L->p;
        const size_t ns = gsconv_problem_src_elems(p), nw = gsconv_problem_wei_elems(p),
                     nd = gsconv_problem_dst_elems(p);
        g_data.src[0] = bench_alloc_floats(ns);
        g_data.wei = bench_alloc_floats(nw);
        g_data.ref[0] = bench_alloc_floats(nd);
        if (!g_data.src[0] || !g_data.wei || !g_data.ref[0]) goto oom;
        uint64_t h = 1469598103934665603ull;
        for (const char *c = L->canon; *c; c++) h = (h ^ (unsigned char)*c) * 1099511628211ull;
        fill_random(g_data.src[0], ns, h);
        fill_random(g_data.wei, nw, h + 1);
        if (gsconv_reference_conv(p, g_data.src[0], g_data.wei, NULL, g_data.ref[0])) {
            snprintf(err, errlen, "reference: %s", gsconv_last_error());
            data_free();
            return NULL;
        }
    }
    if (layout == GSCONV_NHWC && !g_data.src[1]) {
        const gsconv_problem *p = &L->p;
        const size_t ns = gsconv_problem_src_elems(p), nd = gsconv_problem_dst_elems(p);
        g_data.src[1] = bench_alloc_floats(ns);
        g_data.ref[1] = bench_alloc_floats(nd);
        if (!g_data.src[1] || !g_data.ref[1]) goto oom;
        to_nhwc(g_data.src[0], g_data.src[1], p->n, p->c, p->h * p->w);
        to_nhwc(g_data.ref[0], g_data.ref[1], p->n, p->k, p->oh * p->ow);
    }
    return &g_data;
oom:
    snprintf(err, errlen, "out of memory for the layer data");
    data_free();
    return NULL;
}

/* ---------------------------------------------------------------- one benchmark */

static void release_live(void)
{
    if (g_live == (size_t)-1) return;
    for (size_t i = g_gstart[g_live]; i < g_gstart[g_live + 1]; i++) {
        bcase *c = &g_cases[i];
        if (c->impl) c->be->destroy(c->impl);
        c->impl = NULL;
    }
    g_live = (size_t)-1;
}

/* Make bc's backend instance exist (the other groups' gone); check its output once. */
static bool ensure_live(bcase *bc)
{
    if (bc->failed) return false;
    if (bc->impl) return true;
    if (g_live != bc->group) release_live();
    g_live = bc->group;
    const layer_data *D = data_for(bc->L, bc->layout, bc->error, sizeof bc->error);
    if (!D) return bc->failed = true, false;
    const int li = bc->layout == GSCONV_NHWC;
    bench_layer BL = {.p = bc->L->p, .src = D->src[li], .wei = D->wei, .ref = D->ref[li]};
    BL.p.layout = bc->layout;
    void *impl = NULL;
    if (bc->be->create(&impl, &BL, bc->arg, g_threads, bc->error, sizeof bc->error))
        return bc->failed = true, false;
    if (!bc->checked) {
        bc->checked = true;
        const size_t nd = gsconv_problem_dst_elems(&BL.p);
        float *out = malloc(nd * sizeof(float));
        if (!out) {
            snprintf(bc->error, sizeof bc->error, "out of memory");
            bc->be->destroy(impl);
            return bc->failed = true, false;
        }
        for (size_t i = 0; i < nd; i++) out[i] = NAN;
        if (bc->be->output(impl, out, bc->error, sizeof bc->error)) {
            free(out);
            bc->be->destroy(impl);
            return bc->failed = true, false;
        }
        double maxref = 1, maxerr = 0;
        size_t worst = 0;
        for (size_t i = 0; i < nd; i++) {
            const double r = fabs((double)BL.ref[i]);
            if (r > maxref) maxref = r;
        }
        for (size_t i = 0; i < nd; i++) {
            const double e = fabs((double)out[i] - (double)BL.ref[i]);
            if (!(e <= maxerr)) { /* NaN counts as the worst */
                maxerr = isnan(e) ? INFINITY : e;
                worst = i;
                if (isnan(e)) break;
            }
        }
        if (!(maxerr <= CHECK_TOL * maxref)) {
            snprintf(bc->error, sizeof bc->error,
                     "wrong result: |out - reference| = %g at element %zu (got %g, want %g; "
                     "tolerance %g)",
                     maxerr, worst, (double)out[worst], (double)BL.ref[worst], CHECK_TOL * maxref);
            free(out);
            bc->be->destroy(impl);
            return bc->failed = true, false;
        }
        free(out);
        if (bc->be->label) snprintf(bc->label, sizeof bc->label, "%s", bc->be->label(impl));
        if (bc->be->counters) bc->nextra = bc->be->counters(impl, bc->extra, BENCH_MAX_COUNTERS);
    }
    /* warm up: first-touch page faults, thread pools, lazily built code */
    for (int i = 0; i < 2; i++) bc->be->run(impl);
    bc->impl = impl;
    return true;
}

static void bench_fn(gsb_state *st, void *user)
{
    bcase *bc = user;
    if (!ensure_live(bc)) {
        gsb_skip_with_error(st, bc->error);
        return;
    }
    gsb_set_label(st, bc->label);
    const double t0 = bench_now();
    while (gsb_keep_running(st)) bc->be->run(bc->impl);
    const double elapsed = bench_now() - t0;
    const int64_t it = gsb_iterations(st);
    if (bc->flops > 0) gsb_set_counter(st, "GFLOP/s", bc->flops * 1e-9, GSB_COUNTER_PER_ITERATION_RATE);
    gsb_set_counter(st, "bytes/s", bc->bytes, GSB_COUNTER_PER_ITERATION_RATE);
    const double gflops = it > 0 && elapsed > 0 ? bc->flops * (double)it / elapsed * 1e-9 : 0;
    if (g_machine.peak_gflops > 0 && bc->flops > 0)
        gsb_set_counter(st, "peak_frac", gflops / g_machine.peak_gflops, GSB_COUNTER_PLAIN);
    if (bc->roof_gflops > 0) {
        gsb_set_counter(st, "roofline_frac", gflops / bc->roof_gflops, GSB_COUNTER_PLAIN);
        gsb_set_counter(st, "roofline_gflops", bc->roof_gflops, GSB_COUNTER_PLAIN);
    }
    gsb_set_counter(st, "repeat", bc->L->repeat, GSB_COUNTER_PLAIN);
    for (int i = 0; i < bc->nextra; i++)
        gsb_set_counter(st, bc->extra[i].name, bc->extra[i].value, GSB_COUNTER_PLAIN);
}

/* ---------------------------------------------------------------- suites */

/* SUITE: a path, or a name looked up in $GSCONV_SUITES_DIR, the source tree's
 * bench/suites and the installed share/gsconv/suites. */
static bool resolve_suite(const char *arg, char *path, size_t len)
{
    const char *dirs[] = {GSCONV_SUITES_SOURCE_DIR, GSCONV_SUITES_INSTALL_DIR};
    return gsconv_suite_resolve(arg, dirs, 2, path, len);
}

static void suite_title(suite *s)
{
    snprintf(s->title, sizeof s->title, "%s", s->name);
    FILE *f = fopen(s->path, "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        const char *t = line;
        while (*t == ' ' || *t == '\t') t++;
        if (strncmp(t, "# title:", 8)) continue;
        t += 8;
        while (*t == ' ') t++;
        snprintf(s->title, sizeof s->title, "%s", t);
        s->title[strcspn(s->title, "\r\n")] = 0;
        break;
    }
    fclose(f);
}

/* ---------------------------------------------------------------- arguments */

static void usage(FILE *o)
{
    fprintf(o,
            "usage: gsconv-bench [SUITE|DESC ...] [options] [--benchmark_* ...]\n"
            "\n"
            "Times every layer of the suites (default: %s %s %s %s %s) with gsconv\n"
            "and, with --peers, oneDNN and XNNPACK; checks each result against the\n"
            "reference once; writes Google Benchmark JSON and prints the model totals.\n"
            "SUITE is a file or a name in bench/suites; DESC a single descriptor.\n"
            "\n"
            "  --layout nchw|nhwc|both  layouts to time (default both)\n"
            "  --threads N              threads for gsconv and the peers (default: as plans)\n"
            "  --variants tuned|all|LIST  gsconv:tuned (the plan's choice; default), every\n"
            "                           applicable variant but ref, or names (comma list);\n"
            "                           with tuned, layers with a shuffle also time\n"
            "                           gsconv:unfused (conv, then the standalone shuffle),\n"
            "                           shuffle:gsconv (the shuffle alone), shuffle:copy\n"
            "                           (memcpy of the same bytes)\n"
            "  --peers                  also time the peers found at configure time\n"
            "  --repetitions N          times each benchmark runs (>= 9 lets `gsconv report`\n"
            "                           test significance); a layer's benchmarks take\n"
            "                           turns (gsconv, peers, gsconv, ...), so that a slow\n"
            "                           spell of the machine hits them alike\n"
            "  --min-time S             seconds per repetition (--benchmark_min_time)\n"
            "  --filter REGEX           only matching benchmarks (--benchmark_filter)\n"
            "  --out FILE               JSON output (default results/HOST-DATE-COMMIT.json,\n"
            "                           under $GSCONV_RESULTS_DIR or ./results), written to\n"
            "                           FILE.partial-PID during the run and renamed at its end\n"
            "  --peak-gflops X          FMA peak for the thread count (default: cpu probe)\n"
            "  --bandwidth-gbs X        bytes/s for the roofline (default: cpu probe)\n"
            "  --list                   print the benchmark names and exit\n"
            "Other --benchmark_* flags go to Google Benchmark.\n",
            default_suites[0], default_suites[1], default_suites[2], default_suites[3],
            default_suites[4]);
}

static int bad(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "gsconv-bench: ");
    fprintf(stderr, fmt, a, b ? b : "");
    fprintf(stderr, "\n");
    return 2;
}

static bool parse_pos_int(const char *s, int *out)
{
    char *end;
    errno = 0;
    const long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < 1 || v > 100000) return false;
    *out = (int)v;
    return true;
}

static bool parse_pos_double(const char *s, double *out)
{
    char *end;
    const double v = strtod(s, &end);
    if (*end || end == s || !(v > 0) || !isfinite(v)) return false;
    *out = v;
    return true;
}

static void default_out(char *buf, size_t len, const char *commit)
{
    const char *dir = getenv("GSCONV_RESULTS_DIR");
    if (!dir || !*dir) dir = "results";
    char host[128] = "host";
    gethostname(host, sizeof host - 1);
    for (char *c = host; *c; c++)
        if (*c == '/' || *c == ' ') *c = '_';
    char date[32];
    const time_t now = time(NULL);
    struct tm tmv;
    localtime_r(&now, &tmv);
    strftime(date, sizeof date, "%Y%m%d-%H%M%S", &tmv);
    mkdir(dir, 0777); /* EEXIST is fine; a real failure shows when the file is written */
    snprintf(buf, len, "%s/%s-%s-%s.json", dir, host, date, commit);
}

static int append_arg(char ***v, int *n, const char *fmt, const char *a)
{
    char **nv = realloc(*v, sizeof *nv * (size_t)(*n + 2));
    if (!nv) return -1;
    *v = nv;
    const int len = snprintf(NULL, 0, fmt, a);
    nv[*n] = malloc((size_t)len + 1);
    if (!nv[*n]) return -1;
    snprintf(nv[*n], (size_t)len + 1, fmt, a);
    nv[++*n] = NULL;
    return 0;
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    enum {
        O_LAYOUT = 256, O_THREADS, O_VARIANTS, O_PEERS, O_REPS, O_MINTIME, O_FILTER, O_OUT,
        O_PEAK, O_BW, O_LIST, O_HELP
    };
    static const struct option lo[] = {
        {"layout", required_argument, NULL, O_LAYOUT},
        {"threads", required_argument, NULL, O_THREADS},
        {"variants", required_argument, NULL, O_VARIANTS},
        {"peers", no_argument, NULL, O_PEERS},
        {"repetitions", required_argument, NULL, O_REPS},
        {"min-time", required_argument, NULL, O_MINTIME},
        {"filter", required_argument, NULL, O_FILTER},
        {"out", required_argument, NULL, O_OUT},
        {"peak-gflops", required_argument, NULL, O_PEAK},
        {"bandwidth-gbs", required_argument, NULL, O_BW},
        {"list", no_argument, NULL, O_LIST},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0}};

    /* Split off Google Benchmark's flags first; getopt sees only ours. */
    char **gb = NULL, **own = NULL;
    int ngb = 0, nown = 0;
    if (append_arg(&gb, &ngb, "%s", argv[0]) || append_arg(&own, &nown, "%s", argv[0])) return 2;
    const char *gb_out = NULL, *gb_out_format = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strncmp(argv[i], "--benchmark_", 12) || !strncmp(argv[i], "--v=", 4)) {
            if (append_arg(&gb, &ngb, "%s", argv[i])) return 2;
            if (!strncmp(argv[i], "--benchmark_out=", 16)) gb_out = argv[i] + 16;
            if (!strncmp(argv[i], "--benchmark_out_format=", 23)) gb_out_format = argv[i] + 23;
        } else if (append_arg(&own, &nown, "%s", argv[i])) {
            return 2;
        }
    }

    bool layouts[2] = {true, true}, peers = false, list = false;
    int reps = 1;
    const char *variants = "tuned", *out = NULL;
    int threads = 0;
    double peak_flag = 0, bw_flag = 0;
    int c;
    opterr = 0;
    while ((c = getopt_long(nown, own, "", lo, NULL)) != -1) {
        switch (c) {
        case O_LAYOUT:
            if (!strcmp(optarg, "nchw")) layouts[0] = true, layouts[1] = false;
            else if (!strcmp(optarg, "nhwc")) layouts[0] = false, layouts[1] = true;
            else if (!strcmp(optarg, "both")) layouts[0] = layouts[1] = true;
            else return bad("--layout: '%s' is not nchw, nhwc or both", optarg, NULL);
            break;
        case O_THREADS:
            if (!parse_pos_int(optarg, &threads)) return bad("--threads: '%s' is not a count >= 1", optarg, NULL);
            break;
        case O_VARIANTS: variants = optarg; break;
        case O_PEERS: peers = true; break;
        case O_REPS: {
            int n;
            if (!parse_pos_int(optarg, &n)) return bad("--repetitions: '%s' is not a count >= 1", optarg, NULL);
            reps = n;
            break;
        }
        case O_MINTIME: {
            double s;
            if (!parse_pos_double(optarg, &s)) return bad("--min-time: '%s' is not seconds > 0", optarg, NULL);
            if (append_arg(&gb, &ngb, "--benchmark_min_time=%s", optarg)) return 2;
            break;
        }
        case O_FILTER:
            if (append_arg(&gb, &ngb, "--benchmark_filter=%s", optarg)) return 2;
            break;
        case O_OUT: out = optarg; break;
        case O_PEAK:
            if (!parse_pos_double(optarg, &peak_flag)) return bad("--peak-gflops: '%s' is not > 0", optarg, NULL);
            break;
        case O_BW:
            if (!parse_pos_double(optarg, &bw_flag)) return bad("--bandwidth-gbs: '%s' is not > 0", optarg, NULL);
            break;
        case O_LIST: list = true; break;
        case O_HELP: usage(stdout); return 0;
        default:
            return bad("unknown or incomplete option '%s' (see --help)", own[optind - 1], NULL);
        }
    }
    if (out && gb_out) return bad("give either --out or --benchmark_out, not both%s", "", NULL);
    if (threads == 0) {
        const char *env = getenv("GSCONV_NUM_THREADS");
        if (!(env && *env && parse_pos_int(env, &threads))) threads = gsconv_physical_cores();
        if (threads < 1) threads = 1;
    }
    g_threads = threads;

    /* ---- suites and layers */
    const int nargs = nown - optind;
    const int nsuites_max = nargs > 0 ? nargs : (int)(sizeof default_suites / sizeof default_suites[0]);
    suite *suites = calloc((size_t)nsuites_max, sizeof *suites);
    layer *layers = NULL;
    int nsuites = 0, nlayers = 0;
    if (!suites) return 2;
    for (int a = 0; a < nsuites_max; a++) {
        const char *arg = nargs > 0 ? own[optind + a] : default_suites[a];
        suite *s = &suites[nsuites];
        gsconv_suite_entry *e = NULL;
        int ne = 0;
        char err[512];
        if (resolve_suite(arg, s->path, sizeof s->path)) {
            if (gsconv_suite_load(s->path, &e, &ne, err, sizeof err)) {
                fprintf(stderr, "gsconv-bench: %s\n", err);
                return 2;
            }
            const char *base = strrchr(s->path, '/');
            base = base ? base + 1 : s->path;
            snprintf(s->name, sizeof s->name, "%.*s", (int)strcspn(base, "."), base);
            suite_title(s);
        } else {
            gsconv_problem p;
            if (gsconv_problem_parse(&p, arg) != GSCONV_OK)
                return bad("'%s' is neither a suite (file or name in bench/suites) nor a "
                           "descriptor: %s", arg, gsconv_last_error());
            if (gsconv_suite_parse(arg, "command line", &e, &ne, err, sizeof err)) {
                fprintf(stderr, "gsconv-bench: %s\n", err);
                return 2;
            }
            snprintf(s->name, sizeof s->name, "adhoc");
            snprintf(s->title, sizeof s->title, "command line shapes");
            snprintf(s->path, sizeof s->path, "-");
            for (int k = 0; k < nsuites; k++)
                if (!strcmp(suites[k].name, "adhoc")) s = &suites[k];
        }
        if (s == &suites[nsuites]) {
            for (int k = 0; k < nsuites; k++)
                if (!strcmp(suites[k].name, s->name))
                    return bad("suite '%s' given twice%s", s->name, NULL);
            nsuites++;
        }
        layer *nl = realloc(layers, sizeof *nl * (size_t)(nlayers + ne + 1));
        if (!nl) return 2;
        layers = nl;
        for (int i = 0; i < ne; i++) {
            int k = 0;
            while (k < nlayers && !(layers[k].s == s && !strcmp(layers[k].canon, e[i].canon))) k++;
            if (k < nlayers) {
                fprintf(stderr, "gsconv-bench: %s:%d: %s repeats an earlier line; counting it there\n",
                        s->path, e[i].line, e[i].canon);
                layers[k].repeat += e[i].repeat;
                continue;
            }
            layers[nlayers++] = (layer){.s = s, .p = e[i].prob, .repeat = e[i].repeat};
            snprintf(layers[nlayers - 1].canon, sizeof layers[nlayers - 1].canon, "%s", e[i].canon);
        }
        gsconv_suite_free(e);
    }

    /* ---- machine facts and context */
    bench_machine_probe(&g_machine, threads, peak_flag, bw_flag);
    char outbuf[1200], partial[4200] = "";
    if (!out && !gb_out) {
        default_out(outbuf, sizeof outbuf, g_machine.commit);
        out = outbuf;
    }
    if (out) {
        /* Google Benchmark writes its JSON as the run goes: into a new file beside OUT,
         * renamed over it at the end, so that an interrupted or killed run leaves the
         * file that was there untouched (and its partial output under its own name) */
        if (snprintf(partial, sizeof partial, "%s.partial-%ld", out, (long)getpid()) >= (int)sizeof partial)
            return bad("--out %s: path too long%s", out, "");
        if (append_arg(&gb, &ngb, "--benchmark_out=%s", partial) ||
            append_arg(&gb, &ngb, "--benchmark_out_format=%s", "json"))
            return 2;
        gb_out = partial;
        gb_out_format = "json";
    }
    char **gb_all = malloc(sizeof *gb_all * (size_t)(ngb + 1));
    if (!gb_all) return 2;
    memcpy(gb_all, gb, sizeof *gb_all * (size_t)(ngb + 1));
    const int ngb_all = ngb;
    gsb_init(&ngb, gb); /* removes the flags it knows from gb */
    if (gsb_report_unrecognized(ngb, gb)) return 2;

    char buf[256];
    gsb_add_context("gsconv_version", GSCONV_VERSION_STRING);
    gsb_add_context("gsconv_commit", g_machine.commit);
    gsb_add_context("gsconv_isa", g_machine.isa);
    snprintf(buf, sizeof buf, "%d", threads);
    gsb_add_context("gsconv_threads", buf);
    gsb_add_context("gsconv_fingerprint", g_machine.fingerprint);
    gsb_add_context("gsconv_machine_key", g_machine.machine_key);
    if (g_machine.peak_gflops > 0) {
        snprintf(buf, sizeof buf, "%.3f", g_machine.peak_gflops);
        gsb_add_context("gsconv_peak_gflops", buf);
    }
    gsb_add_context("gsconv_peak_source", g_machine.peak_source);
    if (g_machine.bandwidth_gbs > 0) {
        snprintf(buf, sizeof buf, "%.3f", g_machine.bandwidth_gbs);
        gsb_add_context("gsconv_bandwidth_gbs", buf);
        snprintf(buf, sizeof buf, "%.3f", g_machine.bw_l2_gbs);
        gsb_add_context("gsconv_bw_l2_gbs", buf);
        snprintf(buf, sizeof buf, "%.3f", g_machine.bw_l3_gbs);
        gsb_add_context("gsconv_bw_l3_gbs", buf);
        snprintf(buf, sizeof buf, "%.0f", g_machine.l2_bytes);
        gsb_add_context("gsconv_l2_bytes", buf);
        snprintf(buf, sizeof buf, "%.0f", g_machine.l3_bytes);
        gsb_add_context("gsconv_l3_bytes", buf);
    }
    gsb_add_context("gsconv_bandwidth_source", g_machine.bandwidth_source);
    gsb_add_context("gsconv_variants", variants);
    gsb_add_context("gsconv_layouts", layouts[0] && layouts[1] ? "nchw,nhwc" : layouts[0] ? "nchw" : "nhwc");
    {
        char peers_list[128] = "";
#ifdef GSCONV_WITH_ONEDNN
        if (peers) {
            strcat(peers_list, "onednn");
            gsb_add_context("gsconv_onednn_version", bench_onednn_version());
        }
#endif
#ifdef GSCONV_WITH_XNNPACK
        if (peers) {
            strcat(peers_list, peers_list[0] ? ",xnnpack" : "xnnpack");
            gsb_add_context("gsconv_xnnpack_version", bench_xnnpack_version());
        }
#endif
        if (peers && !peers_list[0])
            fprintf(stderr, "gsconv-bench: --peers: this build has no peers (configure with "
                            "GSCONV_WITH_ONEDNN / GSCONV_WITH_XNNPACK)\n");
        gsb_add_context("gsconv_peers", peers_list);
    }
    for (int i = 0; i < nsuites; i++) {
        char key[128];
        snprintf(key, sizeof key, "gsconv_suite_title:%s", suites[i].name);
        gsb_add_context(key, suites[i].title);
        snprintf(key, sizeof key, "gsconv_suite_file:%s", suites[i].name);
        gsb_add_context(key, suites[i].path);
        int lines = 0;
        for (int l = 0; l < nlayers; l++) lines += layers[l].s == &suites[i];
        snprintf(key, sizeof key, "gsconv_suite_layers:%s", suites[i].name);
        snprintf(buf, sizeof buf, "%d", lines);
        gsb_add_context(key, buf);
    }

    /* ---- the benchmarks: per layer, per layout, gsconv then the peers (interleaved, so
     * drift hits every backend alike) */
    const bench_backend *peer_list[4];
    int npeers = 0;
#ifdef GSCONV_WITH_ONEDNN
    if (peers) peer_list[npeers++] = &bench_backend_onednn_best, peer_list[npeers++] = &bench_backend_onednn_plain;
#endif
#ifdef GSCONV_WITH_XNNPACK
    if (peers) peer_list[npeers++] = &bench_backend_xnnpack;
#endif
    const int nvar = gsconv_variant_count();
    const size_t max_cases = (size_t)nlayers * 2 * (size_t)(4 + nvar + npeers);
    bcase *cases = calloc(max_cases ? max_cases : 1, sizeof *cases);
    size_t *gstart = calloc((size_t)nlayers * 2 + 1, sizeof *gstart), ngroups = 0;
    if (!cases || !gstart) return 2;
    size_t ncases = 0;
    const bool all = !strcmp(variants, "all");
    const bool want_tuned = all || !strcmp(variants, "tuned") || strstr(variants, "tuned") != NULL;
    if (!all && strcmp(variants, "tuned")) {
        /* a comma list: every name must exist */
        char tmp[1024];
        snprintf(tmp, sizeof tmp, "%s", variants);
        for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ","))
            if (strcmp(tok, "tuned") && gsconv_variant_find(tok) < 0)
                return bad("--variants: unknown variant '%s' (gsconv variants DESC lists them)", tok, NULL);
    }
    for (int li = 0; li < nlayers; li++) {
        const layer *L = &layers[li];
        for (int lay = 0; lay < 2; lay++) {
            if (!layouts[lay]) continue;
            gstart[ngroups++] = ncases;
            gsconv_problem p = L->p;
            p.layout = lay ? GSCONV_NHWC : GSCONV_NCHW;
            const double flops = gsconv_problem_flops(&p);
            const double bytes = 4.0 * (double)(gsconv_problem_src_elems(&p) + gsconv_problem_wei_elems(&p) +
                                                gsconv_problem_dst_elems(&p));
            const double roof = bench_roofline_gflops(&g_machine, flops, bytes);
#define ADD_CASE(BE, ARG, TAG)                                                                      \
    do {                                                                                            \
        bcase *bc = &cases[ncases++];                                                               \
        *bc = (bcase){.L = L, .layout = p.layout, .be = (BE), .arg = (ARG), .flops = flops,         \
                      .bytes = bytes, .roof_gflops = roof, .group = ngroups - 1};                   \
        snprintf(bc->name, sizeof bc->name, "%s/%s/%s/%s", L->s->name, L->canon,                    \
                 gsconv_layout_name(p.layout), (TAG));                                              \
    } while (0)
            if (want_tuned) ADD_CASE(&bench_backend_gsconv, NULL, "gsconv:tuned");
            /* what the fused shuffle saves: the same layer unshuffled + the standalone one */
            if (want_tuned && p.sg > 1) ADD_CASE(&bench_backend_gsconv_unfused, NULL, "gsconv:unfused");
            /* the standalone shuffle against a copy of the same bytes */
            if (want_tuned && p.sg > 1) {
                /* no flops; bytes = dst read + dst written */
                ADD_CASE(&bench_backend_shuffle, NULL, "shuffle:gsconv");
                cases[ncases - 1].flops = cases[ncases - 1].roof_gflops = 0;
                cases[ncases - 1].bytes = 8.0 * (double)gsconv_problem_dst_elems(&p);
                ADD_CASE(&bench_backend_copy, NULL, "shuffle:copy");
                cases[ncases - 1].flops = cases[ncases - 1].roof_gflops = 0;
                cases[ncases - 1].bytes = 8.0 * (double)gsconv_problem_dst_elems(&p);
            }
            for (int v = 0; v < nvar; v++) {
                const char *vn = gsconv_variant_name(v);
                bool take;
                if (all) {
                    take = strcmp(vn, "ref") != 0;
                } else {
                    take = false;
                    char tmp[1024];
                    snprintf(tmp, sizeof tmp, "%s", variants);
                    for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ","))
                        if (!strcmp(tok, vn)) take = true;
                }
                if (!take || gsconv_variant_applicable(v, &p, NULL, 0) != GSCONV_OK) continue;
                char tag[96];
                snprintf(tag, sizeof tag, "gsconv:%s", vn);
                ADD_CASE(&bench_backend_gsconv, vn, tag);
            }
            for (int k = 0; k < npeers; k++) ADD_CASE(peer_list[k], NULL, peer_list[k]->name);
#undef ADD_CASE
        }
    }
    if (list) {
        for (size_t i = 0; i < ncases; i++) printf("%s\n", cases[i].name);
        return 0;
    }
    gstart[ngroups] = ncases;
    g_cases = cases, g_gstart = gstart;
    /* Repetitions: each benchmark registered reps times, a layer's benchmarks in turn
     * (gsconv, the peers, gsconv, ...), so that a slow spell of a shared machine hits
     * every backend of the layer alike instead of the few consecutive repetitions of one
     * (Google Benchmark's own repetitions run back to back). The instances of the layer
     * stay alive meanwhile. */
    for (size_t gi = 0; gi < ngroups; gi++)
        for (int r = 0; r < reps; r++)
            for (size_t i = gstart[gi]; i < gstart[gi + 1]; i++) {
                gsb_bench *b = gsb_register(cases[i].name, bench_fn, &cases[i]);
                if (!b) return bad("cannot register %s%s", cases[i].name, NULL);
                gsb_bench_use_real_time(b);
                gsb_bench_unit(b, GSB_MICROSECOND);
            }
    fprintf(stderr, "gsconv-bench: %zu benchmarks x %d repetition%s, %d thread%s, peak %s GFLOP/s (%s), output %s\n",
            ncases, reps, reps > 1 ? "s" : "", threads, threads > 1 ? "s" : "",
            g_machine.peak_gflops > 0 ? (snprintf(buf, sizeof buf, "%.1f", g_machine.peak_gflops), buf) : "unknown",
            g_machine.peak_source, out ? out : gb_out ? gb_out : "(none)");
    gsb_run_specified();
    release_live();
    data_free();
    gsb_shutdown();

    /* ---- correctness failures of gsconv are errors; a peer that cannot run is not */
    int rc = 0;
    for (size_t i = 0; i < ncases; i++) {
        if (!cases[i].failed) continue;
        const bool ours = cases[i].be == &bench_backend_gsconv || cases[i].be == &bench_backend_gsconv_unfused ||
                          cases[i].be == &bench_backend_shuffle;
        fprintf(stderr, "gsconv-bench: %s %s: %s\n", ours ? "FAILED" : "skipped", cases[i].name,
                cases[i].error);
        if (ours) rc = 1;
    }

    /* ---- model totals, into the JSON and on stdout */
    bool listing = false;
    for (int i = 0; i < argc; i++)
        if (!strncmp(argv[i], "--benchmark_list_tests", 22) && strcmp(argv[i], "--benchmark_list_tests=false"))
            listing = true;
    if (listing) {
        /* Google Benchmark only listed the names */
        if (partial[0]) unlink(partial);
    } else if (gb_out && (!gb_out_format || !strcmp(gb_out_format, "json"))) {
        char err[1200];
        gsr_file f;
        const int bad_totals = gsr_store_totals(gb_out, err, sizeof err) || gsr_load(gb_out, &f, err, sizeof err);
        /* the run is over: its results take OUT's name (with or without the totals) */
        if (partial[0] && (chmod(partial, 0644) != 0 || rename(partial, out) != 0)) {
            fprintf(stderr, "gsconv-bench: cannot rename %s to %s: %s\n", partial, out, strerror(errno));
            if (!bad_totals) gsr_free(&f);
            return rc ? rc : 1;
        }
        if (bad_totals) {
            fprintf(stderr, "gsconv-bench: model totals: %s\n", err);
            return rc ? rc : 1;
        }
        printf("\nModel totals (sum of layer medians x repeat counts, %d thread%s):\n", threads,
               threads > 1 ? "s" : "");
        gsr_print_totals(&f, stdout);
        printf("Results: %s\n", out ? out : gb_out);
        gsr_free(&f);
    } else {
        fprintf(stderr, "gsconv-bench: no JSON output, no model totals\n");
    }
    for (int i = 0; i < ngb_all; i++) free(gb_all[i]);
    free(gb_all);
    for (int i = 0; i < nown; i++) free(own[i]);
    free(gb);
    free(own);
    free(cases);
    free(gstart);
    free(layers);
    free(suites);
    return rc;
}
