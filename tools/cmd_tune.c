/*
 * gsconv tune: tune shapes (descriptors or suite files) and store the picks in the cache.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd_tuner.h"
#include "gsconv.h"
#include "suite.h"

static void tune_usage(FILE *f)
{
    fputs("usage: gsconv tune (SUITE | DESC)... [--layout nchw|nhwc|both]\n"
          "                   [--activation none|relu] [--threads N]\n"
          "                   [--rigor estimate|measure|patient] [--cache FILE]\n"
          "                   [--time-limit S] [--no-bind] [--no-winograd]\n"
          "                   [--max-rel-error X] [--json]\n"
          "\n"
          "Choose variant, parameters and thread count for each distinct shape and store\n"
          "the choice in the cache file, where plans find it. A SUITE is a file with one\n"
          "DESC per line, optionally followed by a repeat count ('#' starts a comment), or\n"
          "a suite name as gsconv bench takes it (shufflenet_v1_g3: looked up in\n"
          "$GSCONV_SUITES_DIR, the source tree's bench/suites, share/gsconv/suites).\n"
          "\n"
          "options:\n"
          "  --layout L       nchw (default), nhwc, or both\n"
          "  --activation A   none (default) or relu\n"
          "  --threads N      thread budget: candidates use 1..N threads (default: physical\n"
          "                   cores, or GSCONV_NUM_THREADS); plans with N threads use the pick\n"
          "  --rigor R        estimate (cost model only), measure (default: time the\n"
          "                   promising candidates), patient (time all of them)\n"
          "  --cache FILE     cache file (default: $GSCONV_CACHE, else\n"
          "                   $XDG_CACHE_HOME/gsconv/wisdom.json, else ~/.cache/gsconv/...)\n"
          "  --time-limit S   seconds of timing per shape (default 2); the two best-\n"
          "                   estimated candidates always get 3 samples each\n"
          "  --no-bind        do not bind the timing threads to cores (default: bound with\n"
          "                   hwloc, thread i on the i-th core from the last one allowed)\n"
          "  --no-winograd    leave the Winograd variants out (as GSCONV_NO_WINOGRAD=1)\n"
          "  --max-rel-error X  only variants whose expected relative error is at most X\n"
          "                   (default: GSCONV_MAX_REL_ERROR, else 1e-3). The picks are\n"
          "                   stored like any other: tune under the constraint your\n"
          "                   plans use\n"
          "  --json           results as JSON on stdout instead of the table\n"
          "  -h, --help       this help\n"
          "\n"
          "Progress goes to stderr (a bar on a terminal, one line per shape otherwise).\n"
          "exit status: 0 ok, 1 a result could not be stored, 2 bad usage or input\n",
          f);
}

typedef struct job {
    gsconv_problem p;
    char canon[256];
    gsconv_tune_result r;
    gsconv_status st;
} job;

typedef struct progress {
    int tty;
    int done, total;
    const char *label;
} progress;

static double now_s(void);

static void draw(progress *pg, int sub, int subtotal)
{
    if (!pg->tty) return;
    static double last;
    const double t = now_s();
    if (sub && t - last < 0.05) return; /* at most ~20 redraws a second */
    last = t;
    const int width = 30;
    double frac = pg->total ? (pg->done + (subtotal ? (double)sub / subtotal : 0)) / pg->total : 1;
    if (frac > 1) frac = 1;
    const int fill = (int)(frac * width);
    fprintf(stderr, "\r\033[K[");
    for (int i = 0; i < width; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %d/%d %.60s", pg->done + (pg->done < pg->total), pg->total, pg->label);
    fflush(stderr);
}

static void on_progress(void *user, int done, int total)
{
    draw(user, done, total);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A JSON number, or null when it is not finite. */
static void jnum(double v, const char *fmt)
{
    if (isfinite(v))
        printf(fmt, v);
    else
        printf("null");
}

static int add_job(job **jobs, int *n, int *cap, const gsconv_problem *p)
{
    char canon[256];
    gsconv_problem_format(p, canon, sizeof canon);
    for (int i = 0; i < *n; i++)
        if ((*jobs)[i].p.layout == p->layout && (*jobs)[i].p.act == p->act &&
            strcmp((*jobs)[i].canon, canon) == 0)
            return 0; /* tuned once, whatever the repeat count */
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        job *nj = realloc(*jobs, (size_t)*cap * sizeof *nj);
        if (!nj) return -1;
        *jobs = nj;
    }
    job *j = &(*jobs)[(*n)++];
    memset(j, 0, sizeof *j);
    j->p = *p;
    snprintf(j->canon, sizeof j->canon, "%s", canon);
    return 0;
}

int gsconv_cmd_tune(int argc, char **argv)
{
    static const struct option lo[] = {
        {"layout", required_argument, NULL, 'L'},
        {"activation", required_argument, NULL, 'A'},
        {"threads", required_argument, NULL, 't'},
        {"rigor", required_argument, NULL, 'r'},
        {"cache", required_argument, NULL, 'c'},
        {"time-limit", required_argument, NULL, 'T'},
        {"no-bind", no_argument, NULL, 'B'},
        {"no-winograd", no_argument, NULL, 'W'},
        {"max-rel-error", required_argument, NULL, 'E'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "tune", *layout_s = "nchw", *act_s = "none", *cache = NULL;
    int threads = 0, json = 0, bind = 1, no_wino = 0, c;
    double limit = 2.0, max_rel = 0;
    gsconv_rigor rigor = GSCONV_MEASURE;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'L': layout_s = optarg; break;
        case 'A': act_s = optarg; break;
        case 't':
            errno = 0;
            threads = (int)strtol(optarg, &end, 10);
            if (errno || *end || !*optarg || threads < 1 || threads > 4096)
                return tusage(cmd, "--threads must be an integer in 1..4096, got '%s'", optarg);
            break;
        case 'r':
            if (gsconv_rigor_parse(optarg, &rigor) != GSCONV_OK || rigor == GSCONV_CACHE_ONLY)
                return tusage(cmd, "--rigor must be estimate, measure or patient, got '%s'", optarg);
            break;
        case 'c': cache = optarg; break;
        case 'T':
            errno = 0;
            limit = strtod(optarg, &end);
            if (errno || *end || !*optarg || !(limit > 0) || limit > 86400)
                return tusage(cmd, "--time-limit must be seconds in (0, 86400], got '%s'", optarg);
            break;
        case 'B': bind = 0; break;
        case 'W': no_wino = 1; break;
        case 'E':
            errno = 0;
            max_rel = strtod(optarg, &end);
            if (errno || *end || !*optarg || !isfinite(max_rel) || !(max_rel > 0))
                return tusage(cmd, "--max-rel-error must be a number > 0, got '%s'", optarg);
            break;
        case 'j': json = 1; break;
        case 'h': tune_usage(stdout); return TEXIT_OK;
        default: return toption_error(cmd, c, argv);
        }
    }
    if (optind >= argc) return tusage(cmd, "missing SUITE or DESC");
    int layouts[2], nl = 0;
    if (strcmp(layout_s, "nchw") == 0) layouts[nl++] = GSCONV_NCHW;
    else if (strcmp(layout_s, "nhwc") == 0) layouts[nl++] = GSCONV_NHWC;
    else if (strcmp(layout_s, "both") == 0) layouts[nl++] = GSCONV_NCHW, layouts[nl++] = GSCONV_NHWC;
    else return tusage(cmd, "--layout must be nchw, nhwc or both, got '%s'", layout_s);
    gsconv_activation act;
    if (strcmp(act_s, "none") == 0) act = GSCONV_ACT_NONE;
    else if (strcmp(act_s, "relu") == 0) act = GSCONV_ACT_RELU;
    else return tusage(cmd, "--activation must be none or relu, got '%s'", act_s);

    /* ---- the shapes */
    job *jobs = NULL;
    int nj = 0, cap = 0;
    for (int a = optind; a < argc; a++) {
        const char *arg = argv[a];
        struct stat st;
        gsconv_problem p;
        char suite_path[4096];
        const char *suite_dirs[] = {GSCONV_SUITES_SOURCE_DIR, GSCONV_SUITES_INSTALL_DIR};
        const bool is_file = stat(arg, &st) == 0 && !S_ISDIR(st.st_mode);
        const bool is_desc = !is_file && gsconv_problem_parse(&p, arg) == GSCONV_OK;
        if (is_file || (!is_desc && gsconv_suite_resolve(arg, suite_dirs, 2, suite_path, sizeof suite_path))) {
            gsconv_suite_entry *e;
            int n;
            char err[1024];
            if (gsconv_suite_load(is_file ? arg : suite_path, &e, &n, err, sizeof err)) {
                fprintf(stderr, "gsconv: tune: %s\n", err);
                free(jobs);
                return TEXIT_USAGE;
            }
            for (int i = 0; i < n; i++)
                for (int l = 0; l < nl; l++) {
                    p = e[i].prob;
                    p.layout = (gsconv_layout)layouts[l];
                    p.act = act;
                    if (add_job(&jobs, &nj, &cap, &p)) {
                        gsconv_suite_free(e);
                        free(jobs);
                        fprintf(stderr, "gsconv: tune: out of memory\n");
                        return TEXIT_USAGE;
                    }
                }
            gsconv_suite_free(e);
        } else if (is_desc) {
            for (int l = 0; l < nl; l++) {
                p.layout = (gsconv_layout)layouts[l];
                p.act = act;
                if (add_job(&jobs, &nj, &cap, &p)) {
                    free(jobs);
                    fprintf(stderr, "gsconv: tune: out of memory\n");
                    return TEXIT_USAGE;
                }
            }
        } else {
            gsconv_problem_parse(&p, arg); /* for its message */
            fprintf(stderr, "gsconv: tune: '%s' is neither a readable suite file, a suite name (in "
                            "$GSCONV_SUITES_DIR, %s or %s) nor a descriptor: %s\n",
                    arg, GSCONV_SUITES_SOURCE_DIR, GSCONV_SUITES_INSTALL_DIR, gsconv_last_error());
            free(jobs);
            return TEXIT_USAGE;
        }
    }

    /* ---- tune */
    progress pg = {isatty(2), 0, nj, ""};
    gsconv_tune_options o;
    gsconv_tune_options_default(&o);
    o.rigor = rigor;
    o.threads = threads;
    o.time_limit = limit;
    o.cache_path = cache;
    o.store = 1;
    o.bind = bind;
    o.no_winograd = no_wino;
    o.max_rel_error = max_rel;
    o.progress = pg.tty ? on_progress : NULL;
    o.user = &pg;
    int store_failed = 0, failed = 0;
    const double t0 = now_s();
    for (int i = 0; i < nj; i++) {
        job *j = &jobs[i];
        char label[300];
        snprintf(label, sizeof label, "%s %s", j->canon, gsconv_layout_name(j->p.layout));
        pg.done = i;
        pg.label = label;
        draw(&pg, 0, 1);
        j->st = gsconv_tune(&j->p, &o, &j->r);
        if (j->st) {
            failed++;
            if (pg.tty) fprintf(stderr, "\r\033[K");
            fprintf(stderr, "gsconv: tune: %s: %s\n", label, gsconv_last_error());
            continue;
        }
        if (j->r.store_status) store_failed = 1;
        if (!pg.tty)
            fprintf(stderr, "tune %d/%d %s: %s%s%s t%d %.4f ms %.2f GFLOP/s (%d timed, %.2f s)\n", i + 1,
                    nj, label, j->r.best.variant, j->r.best.params[0] ? " " : "", j->r.best.params,
                    j->r.best.threads, j->r.best.ms, j->r.best.gflops, j->r.timed, j->r.seconds);
    }
    const double total = now_s() - t0;
    if (pg.tty) {
        pg.done = nj;
        pg.label = "done";
        draw(&pg, 0, 1);
        fputc('\n', stderr);
    }

    /* ---- report */
    char path[4096];
    if (gsconv_cache_path(cache, path, sizeof path) < 0) snprintf(path, sizeof path, "(none)");
    if (json) {
        printf("{\n  \"rigor\": \"%s\",\n  \"cache\": ", gsconv_rigor_name(rigor));
        tjson_str(stdout, path);
        printf(",\n  \"seconds\": %.3f,\n  \"results\": [", total);
        int first = 1;
        for (int i = 0; i < nj; i++) {
            const job *j = &jobs[i];
            if (j->st) continue;
            const gsconv_tune_result *r = &j->r;
            printf("%s\n    {\"shape\": \"%s\", \"layout\": \"%s\", \"activation\": \"%s\", ", first ? "" : ",",
                   j->canon, gsconv_layout_name(j->p.layout), gsconv_activation_name(j->p.act));
            first = 0;
            printf("\"variant\": \"%s\", \"params\": \"%s\", \"threads\": %d, \"ms\": ", r->best.variant,
                   r->best.params, r->best.threads);
            jnum(r->best.ms, "%.6f");
            printf(", \"gflops\": ");
            jnum(r->best.gflops, "%.3f");
            if (r->runner_up.variant[0]) {
                printf(", \"runner_up\": {\"variant\": \"%s\", \"params\": \"%s\", \"threads\": %d, \"ms\": ",
                       r->runner_up.variant, r->runner_up.params, r->runner_up.threads);
                jnum(r->runner_up.ms, "%.6f");
                printf("}, ");
            } else {
                printf(", \"runner_up\": null, ");
            }
            printf("\"estimate_pick\": {\"variant\": \"%s\", \"params\": \"%s\", \"threads\": %d, \"ms\": ",
                   r->estimate.variant, r->estimate.params, r->estimate.threads);
            if (r->estimate.ms >= 0) jnum(r->estimate.ms, "%.6f");
            else printf("null");
            printf("}, ");
            printf("\"candidates\": %d, \"timed\": %d, \"runs\": %d, \"seconds\": %.3f, \"binding\": \"%s\", "
                   "\"stored\": %s}",
                   r->candidates, r->timed, r->runs, r->seconds, r->binding, r->store_status ? "false" : "true");
        }
        printf("\n  ]\n}\n");
    } else {
        printf("%-40s %-4s %-24s %-18s %3s %9s %8s  %-46s %6s\n", "shape", "lay", "variant", "params",
               "thr", "ms", "GFLOP/s", "runner-up: params, threads, ms", "vs est");
        for (int i = 0; i < nj; i++) {
            const job *j = &jobs[i];
            if (j->st) continue;
            const gsconv_tune_result *r = &j->r;
            char ru[256] = "-", sp[32] = "-";
            if (r->runner_up.variant[0])
                snprintf(ru, sizeof ru, "%s%s%s t%d %.4f", r->runner_up.variant,
                         r->runner_up.params[0] ? ":" : "", r->runner_up.params, r->runner_up.threads,
                         r->runner_up.ms);
            if (rigor != GSCONV_ESTIMATE && r->estimate.ms > 0 && r->best.ms > 0)
                snprintf(sp, sizeof sp, "%.2fx", r->estimate.ms / r->best.ms);
            printf("%-40s %-4s %-24s %-18s %3d %9.4f %8.2f  %-46s %6s\n", j->canon,
                   gsconv_layout_name(j->p.layout), r->best.variant,
                   r->best.params[0] ? r->best.params : "-", r->best.threads, r->best.ms, r->best.gflops,
                   ru, sp);
        }
        printf("%d shape(s), rigor %s, %.1f s; cache %s%s\n", nj - failed, gsconv_rigor_name(rigor),
               total, path, store_failed ? " (NOT stored: see the errors above)" : "");
    }
    free(jobs);
    if (failed) return TEXIT_USAGE;
    return store_failed ? TEXIT_CHECK : TEXIT_OK;
}
