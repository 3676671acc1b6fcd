/*
 * results/: the statistics behind `gsconv report` (median, geometric mean, Mann-Whitney
 * U against SciPy's values), the benchmark name scheme, loading and model totals.
 *
 * usage: test_results DATA_DIR (tests/data)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "results.h"

static bool near(double a, double b, double rel) { return fabs(a - b) <= rel * fabs(b); }

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
        return 2;
    }
    /* median / geomean */
    const double v[] = {3, 1, 2, 5};
    CHECK(gsr_median(v, 3) == 2 && gsr_median(v, 4) == 2.5, "median");
    CHECK(isnan(gsr_median(v, 0)), "median of nothing is NAN");
    const double g[] = {1, 4, -1, NAN};
    CHECK(near(gsr_geomean(g, 4), 2.0, 1e-12), "geomean skips non-positive and NAN");

    /* Mann-Whitney U, two-sided, normal approximation with tie and continuity correction:
     * scipy.stats.mannwhitneyu(a, b, alternative='two-sided', method='asymptotic',
     * use_continuity=True).pvalue, SciPy 1.10.1 */
    const double a1[] = {1, 2, 3, 4, 5, 6, 7, 8, 9}, b1[] = {10, 11, 12, 13, 14, 15, 16, 17, 18};
    CHECK(near(gsr_mann_whitney_p(a1, 9, b1, 9), 0.00041229480206169127, 1e-9),
          "separated samples: p = %.17g", gsr_mann_whitney_p(a1, 9, b1, 9));
    CHECK(near(gsr_mann_whitney_p(b1, 9, a1, 9), 0.00041229480206169127, 1e-9), "symmetric");
    const double a2[] = {1, 2, 2, 3, 3, 3, 4, 5, 9, 9}, b2[] = {2, 3, 3, 4, 6, 6, 7, 8, 9, 10, 11};
    CHECK(near(gsr_mann_whitney_p(a2, 10, b2, 11), 0.10191894439692384, 1e-9),
          "ties: p = %.17g", gsr_mann_whitney_p(a2, 10, b2, 11));
    const double c5[] = {5, 5, 5, 5, 5, 5, 5, 5, 5};
    CHECK(gsr_mann_whitney_p(c5, 9, c5, 9) == 1.0, "all tied: p = 1");

    /* names */
    char s[64], d[256], l[8], b[96];
    CHECK(gsr_parse_name("shufflenet_v1_g3/g3mb1ic240ih28oc60oh28kh1sg3/nhwc/gsconv:tuned/real_time",
                         s, sizeof s, d, sizeof d, l, sizeof l, b, sizeof b) &&
              !strcmp(s, "shufflenet_v1_g3") && !strcmp(d, "g3mb1ic240ih28oc60oh28kh1sg3") &&
              !strcmp(l, "nhwc") && !strcmp(b, "gsconv:tuned"),
          "parse a gsconv-bench name");
    CHECK(gsr_parse_name("smoke/g2mb1ic8ih8oc8oh8kh3ph1/nchw/xnnpack", s, sizeof s, d, sizeof d, l,
                         sizeof l, b, sizeof b) && !strcmp(b, "xnnpack"),
          "a name without Google Benchmark's suffix");
    CHECK(!gsr_parse_name("BM_memcpy/8", s, sizeof s, d, sizeof d, l, sizeof l, b, sizeof b),
          "a foreign name does not parse");
    CHECK(!gsr_parse_name("a/b/nwhc/c", s, sizeof s, d, sizeof d, l, sizeof l, b, sizeof b),
          "the layout field must be nchw or nhwc");

    /* loading: repetitions, medians, counters, context; totals */
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/report_base.json", argv[1]);
    gsr_file f;
    const int rc = gsr_load(path, &f, err, sizeof err);
    CHECK(rc == 0, "load %s: %s", path, err);
    if (rc == 0) {
        CHECK(f.gsconv && f.nb == 4, "4 benchmarks from gsconv-bench, got %d", f.nb);
        CHECK(f.b[0].ntimes == 10 && near(f.b[0].median, 120e-6, 0.02), "10 repetitions, median ~120 us");
        CHECK(f.b[0].repeat == 3 && f.b[0].peak_frac == 0.5, "counters");
        CHECK(!strcmp(gsr_suite_title(&f, "resnext50_32x4d"), "ResNeXt-50 32x4d"), "suite title");
        CHECK(near(f.peak_gflops, 117, 1e-9), "peak from the context");
        gsr_total *t;
        int nt;
        CHECK(gsr_totals(&f, &t, &nt) == 0 && nt == 3, "3 totals (suite x layout x backend)");
        if (nt == 3) {
            CHECK(!strcmp(t[0].backend, "gsconv:tuned") && t[0].layers == 2 && t[0].measured == 2,
                  "shufflenet gsconv: 2 of 2 layers");
            CHECK(near(t[0].seconds, 3 * (120e-6 + 30e-6), 0.02), "total = sum of median x repeat: %g",
                  t[0].seconds);
            CHECK(t[1].measured == 1 && t[1].layers == 2, "the peer measured 1 of 2 layers: incomplete");
        }
        free(t);
    }
    gsr_free(&f);
    snprintf(path, sizeof path, "%s/report_malformed.json", argv[1]);
    CHECK(gsr_load(path, &f, err, sizeof err) == 2 && strstr(err, "not valid JSON"), "malformed: %s", err);
    gsr_free(&f);
    snprintf(path, sizeof path, "%s/report_foreign.json", argv[1]);
    CHECK(gsr_load(path, &f, err, sizeof err) == 2 && strstr(err, "not a Google Benchmark result"),
          "foreign: %s", err);
    gsr_free(&f);
    return check_summary("test_results");
}
