/*
 * gsconv report: the report of one gsconv-bench run, or the comparison of two result
 * files with a regression verdict (exit 1). The documents come from results/report.c.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_results.h"
#include "results.h"

static void report_usage(FILE *o)
{
    fprintf(o,
            "usage: gsconv report RUN.json [--md FILE] [--html FILE]\n"
            "       gsconv report BASE.json NEW.json [--md FILE] [--html FILE]\n"
            "                     [--threshold PCT] [--alpha A] [--min-reps N]\n"
            "\n"
            "One file: gsconv against each peer per layer, model totals, fraction of peak\n"
            "and roofline, the variant the plan chose.\n"
            "Two files: per benchmark new/base of the median time, a two-sided Mann-Whitney\n"
            "U test on the repetitions, geometric means per suite, a verdict per row.\n"
            "Exit 1 when a change is a regression: slower by more than --threshold percent\n"
            "(default 5) with p < --alpha (default 0.05), each side having at least\n"
            "--min-reps repetitions (default 9; fewer: 'too few repetitions', no verdict),\n"
            "or a benchmark that fails in NEW only. Exit 2: bad usage or input.\n"
            "\n"
            "Markdown goes to stdout unless --md FILE; --html FILE writes one self-contained\n"
            "page (inline SVG charts). Files are written atomically.\n");
}

static int rusage(const char *fmt, const char *a)
{
    fprintf(stderr, "gsconv: report: ");
    fprintf(stderr, fmt, a);
    fprintf(stderr, " (try 'gsconv report --help')\n");
    return 2;
}

static int write_doc(const char *path, const char *doc)
{
    if (gsr_write_atomic(path, doc, strlen(doc)) != 0) {
        fprintf(stderr, "gsconv: report: cannot write %s: %s\n", path, strerror(errno));
        return 2;
    }
    return 0;
}

int gsconv_cmd_report(int argc, char **argv)
{
    enum { O_MD = 256, O_HTML, O_THRESHOLD, O_ALPHA, O_MINREPS, O_HELP };
    static const struct option lo[] = {{"md", required_argument, NULL, O_MD},
                                       {"html", required_argument, NULL, O_HTML},
                                       {"threshold", required_argument, NULL, O_THRESHOLD},
                                       {"alpha", required_argument, NULL, O_ALPHA},
                                       {"min-reps", required_argument, NULL, O_MINREPS},
                                       {"help", no_argument, NULL, O_HELP},
                                       {NULL, 0, NULL, 0}};
    const char *md_path = NULL, *html_path = NULL;
    gsr_report_options o;
    gsr_report_options_default(&o);
    int c;
    optind = 0; /* glibc: start over (main already ran getopt) */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", lo, NULL)) != -1) {
        char *end;
        switch (c) {
        case O_MD: md_path = optarg; break;
        case O_HTML: html_path = optarg; break;
        case O_THRESHOLD:
            o.threshold = strtod(optarg, &end) / 100;
            if (*end || end == optarg || !(o.threshold >= 0) || !isfinite(o.threshold))
                return rusage("--threshold: '%s' is not a percentage >= 0", optarg);
            break;
        case O_ALPHA:
            o.alpha = strtod(optarg, &end);
            if (*end || end == optarg || !(o.alpha > 0 && o.alpha < 1))
                return rusage("--alpha: '%s' is not in (0, 1)", optarg);
            break;
        case O_MINREPS: {
            const long v = strtol(optarg, &end, 10);
            if (*end || end == optarg || v < 2 || v > 100000)
                return rusage("--min-reps: '%s' is not a count >= 2", optarg);
            o.min_reps = (int)v;
            break;
        }
        case O_HELP: report_usage(stdout); return 0;
        case ':': return rusage("option '%s' needs a value", argv[optind - 1]);
        default: return rusage("unknown option '%s'", argv[optind - 1]);
        }
    }
    const int nfiles = argc - optind;
    if (nfiles < 1 || nfiles > 2)
        return rusage("expects RUN.json, or BASE.json NEW.json (got %s)",
                      nfiles < 1 ? "no file" : "more than two");

    gsr_file f[2];
    memset(f, 0, sizeof f);
    char err[1024];
    int rc = 0;
    for (int i = 0; i < nfiles; i++) {
        if (gsr_load(argv[optind + i], &f[i], err, sizeof err)) {
            fprintf(stderr, "gsconv: report: %s\n", err);
            rc = 2;
            goto out;
        }
    }
    char *md = NULL, *html = NULL, *summary = NULL;
    if (nfiles == 1) {
        if (!f[0].gsconv) {
            fprintf(stderr, "gsconv: report: %s: not a gsconv-bench result (its context has no "
                            "gsconv_version); compare two files instead\n", f[0].path);
            rc = 2;
            goto out;
        }
        if (gsr_report_run(&f[0], &md, html_path ? &html : NULL)) {
            fprintf(stderr, "gsconv: report: out of memory\n");
            rc = 2;
            goto out;
        }
    } else {
        const int nreg = gsr_report_compare(&f[0], &f[1], &o, &md, html_path ? &html : NULL, &summary);
        if (nreg < 0) {
            fprintf(stderr, "gsconv: report: out of memory\n");
            rc = 2;
            goto out;
        }
        rc = nreg > 0 ? 1 : 0;
    }
    if (md_path) {
        const int w = write_doc(md_path, md);
        if (w) rc = w;
        else if (summary) fputs(summary, stdout);
        printf("Markdown report: %s\n", md_path);
    } else {
        fputs(md, stdout);
    }
    if (html_path) {
        const int w = write_doc(html_path, html);
        if (w) rc = w;
        else printf("HTML report: %s\n", html_path);
    }
    free(md), free(html), free(summary);
out:
    gsr_free(&f[0]);
    gsr_free(&f[1]);
    return rc;
}
