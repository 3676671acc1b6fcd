/*
 * Benchmark result files: Google Benchmark JSON as written by gsconv-bench (or any
 * Google Benchmark binary), loaded into plain C structs; model totals; the statistics
 * the report needs. Used by gsconv-bench (totals at the end of a run) and by
 * `gsconv report`.
 *
 * Benchmark names written by gsconv-bench (bench/README.md):
 *
 *     <suite>/<descriptor>/<layout>/<backend>[/<suffix added by Google Benchmark>...]
 *     shufflenet_v1_g3/g3mb1ic240ih28oc60oh28kh1sg3/nhwc/gsconv:tuned/real_time
 *
 * suite = the suite file's stem, descriptor = canonical gsconv descriptor, layout =
 * nchw|nhwc, backend = gsconv:tuned | gsconv:<variant> | onednn:best | onednn:plain |
 * xnnpack. None of the four fields contains '/'.
 */
#ifndef GSCONV_RESULTS_H
#define GSCONV_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One benchmark (all repetitions of one run_name). */
typedef struct gsr_bench {
    char *name;        /* run_name, as in the file */
    bool parsed;       /* the name follows the scheme above */
    char suite[64], desc[256], layout[8], backend[96];
    double *times;     /* real time per iteration of each repetition, seconds */
    int ntimes;
    double median;     /* seconds: median of times, else the file's median aggregate;
                          NAN if neither */
    bool error;
    char *error_message; /* "" if none */
    char *label;         /* "" if none (gsconv: the variant; peers: their kernel) */
    /* counters (median over repetitions; NAN when absent) */
    double gflops, bytes_per_s, peak_frac, roofline_frac, repeat;
    double reorder_src_ms, reorder_dst_ms;
    int order;         /* position of the first entry in the file */
} gsr_bench;

typedef struct gsr_file {
    char *path;
    bool gsconv;       /* written by gsconv-bench (context has gsconv_version) */
    /* context (strings, "" if absent) */
    char host[128], date[64], executable[256];
    char version[32], commit[64], isa[32], threads[16], fingerprint[512], machine_key[32];
    char peak_source[64], bandwidth_source[64], peers[128];
    double peak_gflops, bandwidth_gbs, bw_l2_gbs, bw_l3_gbs; /* NAN if absent */
    int nsuite_titles;
    char (*suite_name)[64];
    char (*suite_title)[128];
    int *suite_layers; /* lines of the suite file (0 unknown) */
    gsr_bench *b;
    int nb;
} gsr_file;

/*
 * Load a Google Benchmark JSON file. Returns 0, or 2 with a one-line reason in err
 * ("PATH: not JSON: ... at line 3", "PATH: not a Google Benchmark result (no
 * \"benchmarks\" array)"). Free with gsr_free (also after a failure).
 */
int gsr_load(const char *path, gsr_file *out, char *err, size_t errlen);
void gsr_free(gsr_file *f);

/* Split a name by the scheme; false if it does not follow it. */
bool gsr_parse_name(const char *name, char *suite, size_t suite_len, char *desc,
                    size_t desc_len, char *layout, size_t layout_len, char *backend,
                    size_t backend_len);
/* The suite's title from the context, else the suite name itself. */
const char *gsr_suite_title(const gsr_file *f, const char *suite);
/* Lines (distinct layers) of the suite file, 0 if unknown. */
int gsr_suite_layers(const gsr_file *f, const char *suite);
/* "all convolutions" or "7 of 24 layers" (a filtered run) into buf. */
const char *gsr_coverage(const gsr_file *f, const char *suite, int layers, char *buf, size_t len);
/* Find a benchmark by suite/desc/layout/backend; NULL if absent. */
const gsr_bench *gsr_find(const gsr_file *f, const char *suite, const char *desc,
                          const char *layout, const char *backend);

/* ---------------------------------------------------------------- model totals */

/* Per (suite, layout, backend): sum over the suite's layers of median x repeat. */
typedef struct gsr_total {
    char suite[64], layout[8], backend[96];
    double seconds;  /* over the measured layers */
    int layers;      /* distinct layers of the suite in this layout (any backend) */
    int measured;    /* layers this backend measured without error */
} gsr_total;

/* Totals in first-appearance order (malloc'ed array, *n entries). 0 or -1 (no memory). */
int gsr_totals(const gsr_file *f, gsr_total **out, int *n);
/* "gsconv" for gsconv:*, "oneDNN" / "oneDNN (plain)" / "XNNPACK" for the peers. */
const char *gsr_backend_pretty(const char *backend, char *buf, size_t len);

/* Backends that time only the layers with a shuffle (gsconv:unfused, shuffle:gsconv,
 * shuffle:copy): left out of the model totals, summed by gsr_shuffle_totals instead. */
bool gsr_backend_shuffle_only(const char *backend);

/* Over a suite's layers with sg > 1 in one layout, the sums of median x repeat (ms) of
 * gsconv:tuned (the fused shuffle), gsconv:unfused, shuffle:gsconv and shuffle:copy;
 * complete[i] false when some layer lacks backend i. False if no shuffle-only backend
 * was timed. */
typedef struct gsr_shuffle_sums {
    int layers;
    double ms[4];
    bool complete[4];
} gsr_shuffle_sums;
bool gsr_shuffle_totals(const gsr_file *f, const char *suite, const char *layout, gsr_shuffle_sums *out);

/*
 * Print one line per (suite, layout):
 *   "ShuffleNet v1 g=3 (nhwc), all convolutions: gsconv 1.234 ms, oneDNN 2.345 ms, ..."
 * ("7 of 24 layers" instead of "all convolutions" when a filter left some out).
 * Totals a backend could not complete say "n/a (k/n layers)".
 */
void gsr_print_totals(const gsr_file *f, void *stdio_file);
/*
 * Add {"gsconv_model_totals": [...]} at the top level of the JSON file at path
 * (Google Benchmark's own keys stay as they are; compare.py ignores the addition),
 * written atomically. 0 or 2 with a message in err.
 */
int gsr_store_totals(const char *path, char *err, size_t errlen);

/* ---------------------------------------------------------------- statistics */

double gsr_median(const double *v, int n); /* NAN for n == 0; v is not modified */
/* Geometric mean of positive finite values (others skipped); NAN if none. */
double gsr_geomean(const double *v, int n);
/*
 * Two-sided Mann-Whitney U test: normal approximation with tie correction and a
 * continuity correction of 0.5. Returns the p-value (1 when every value ties).
 */
double gsr_mann_whitney_p(const double *a, int na, const double *b, int nb);

/* ---------------------------------------------------------------- reports (report.c) */

typedef struct gsr_report_options {
    double threshold; /* a change smaller than this fraction is "no change" (0.05) */
    double alpha;     /* significance level of the Mann-Whitney test (0.05) */
    int min_reps;     /* repetitions per side needed for a verdict (9) */
} gsr_report_options;

void gsr_report_options_default(gsr_report_options *o);

/*
 * Compare two result files. *md and *html (each may be NULL = not wanted) get
 * malloc'ed documents: Markdown, and a self-contained HTML page with inline SVG.
 * *summary gets a short malloc'ed text for the terminal when the Markdown goes to a
 * file (may be NULL). Returns the number of regressions (statistically significant
 * slow-downs beyond the threshold, and benchmarks that fail in new but not in base),
 * or -1 when out of memory.
 */
int gsr_report_compare(const gsr_file *base, const gsr_file *neu, const gsr_report_options *o,
                       char **md, char **html, char **summary);
/*
 * The report of one gsconv-bench run: per layer gsconv against each peer, model totals,
 * fraction of peak and roofline, the variant the plan chose. 0, or -1 when out of memory.
 */
int gsr_report_run(const gsr_file *run, char **md, char **html);

/* Write data to path atomically (temp file in the same directory + rename). 0 or -1
 * (errno set). */
int gsr_write_atomic(const char *path, const char *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
