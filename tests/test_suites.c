/*
 * The benchmark suites (the .txt files of bench/suites): every file parses with the shared suite
 * reader, every line is one canonical descriptor (what gsconv_problem_format prints, so
 * benchmark names, cache keys and suite lines agree), no shape appears twice in a file,
 * and each model has the layer count and multiply-accumulate total of the literature.
 *
 * usage: test_suites SUITES_DIR
 */
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gsconv.h"
#include "suite.h"

/* Convolutions per model (repeat counts summed) and conv MACs in millions:
 *   ShuffleNet v1 1x g=3 / g=8: 1 stem + 16 units x 3; ~137 M (paper: 140 MFLOPs with FC)
 *   ResNeXt-50 32x4d: 1 stem + 16 blocks x 3 + 4 downsample; 4228 M (torchvision 4.23 G)
 *   AlexNet (Caffe, grouped): 5 convs, 666 M; MobileNet v1 1.0: 13 depthwise, 17.4 M */
static const struct {
    const char *name;
    int convs;
    double mmac_lo, mmac_hi;
} expect[] = {
    {"shufflenet_v1_g3", 49, 135, 139},  {"shufflenet_v1_g8", 49, 135, 139},
    {"resnext50_32x4d", 53, 4200, 4260}, {"alexnet", 5, 660, 670},
    {"mobilenet_v1_dw", 13, 17, 18},     {"smoke", -1, 0, 1},
};

/* Layers the issue spells out, which must be present as written. */
static const struct {
    const char *suite, *desc;
} must[] = {
    {"shufflenet_v1_g3", "g1mb1ic3ih224oc24oh112kh3sh2ph1"},
    {"shufflenet_v1_g3", "g1mb1ic24ih56oc60oh56kh1sg3"},
    {"shufflenet_v1_g3", "g60mb1ic60ih56oc60oh28kh3sh2ph1"},
    {"shufflenet_v1_g3", "g3mb1ic60ih28oc216oh28kh1"},
    {"shufflenet_v1_g3", "g3mb1ic240ih28oc60oh28kh1sg3"},
    {"shufflenet_v1_g3", "g60mb1ic60ih28oc60oh28kh3ph1"},
    {"shufflenet_v1_g3", "g3mb1ic60ih28oc240oh28kh1"},
    {"shufflenet_v1_g3", "g3mb1ic240ih28oc120oh28kh1sg3"},
    {"shufflenet_v1_g3", "g120mb1ic120ih28oc120oh14kh3sh2ph1"},
    {"shufflenet_v1_g3", "g3mb1ic120ih14oc240oh14kh1"},
    {"resnext50_32x4d", "g32mb1ic128ih56oc128oh56kh3ph1"},
    {"resnext50_32x4d", "g32mb1ic256ih56oc256oh28kh3sh2ph1"},
    {"resnext50_32x4d", "g32mb1ic256ih28oc256oh28kh3ph1"},
    {"resnext50_32x4d", "g32mb1ic512ih28oc512oh14kh3sh2ph1"},
    {"resnext50_32x4d", "g32mb1ic512ih14oc512oh14kh3ph1"},
    {"resnext50_32x4d", "g32mb1ic1024ih14oc1024oh7kh3sh2ph1"},
    {"resnext50_32x4d", "g32mb1ic1024ih7oc1024oh7kh3ph1"},
    {"resnext50_32x4d", "g1mb1ic3ih224oc64oh112kh7sh2ph3"},
    {"resnext50_32x4d", "g1mb1ic256ih56oc512oh28kh1sh2"},
    {"alexnet", "g2mb1ic96ih27oc256oh27kh5ph2"},
    {"alexnet", "g2mb1ic384ih13oc256oh13kh3ph1"},
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SUITES_DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    CHECK(d != NULL, "cannot open %s", argv[1]);
    if (!d) return check_summary("test_suites");
    char *names[64];
    int nnames = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nnames < 64) {
        const size_t l = strlen(de->d_name);
        if (l > 4 && !strcmp(de->d_name + l - 4, ".txt")) names[nnames++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nnames, sizeof *names, cmp_str);
    CHECK(nnames >= 6, "expected at least 6 suites in %s, found %d", argv[1], nnames);
    int seen[sizeof expect / sizeof expect[0]] = {0};
    for (int f = 0; f < nnames; f++) {
        char path[4096], stem[256];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[f]);
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(names[f]) - 4), names[f]);
        gsconv_suite_entry *e = NULL;
        int n = 0;
        char err[512];
        const int rc = gsconv_suite_load(path, &e, &n, err, sizeof err);
        CHECK(rc == 0, "%s does not load: %s", path, err);
        if (rc) continue;
        CHECK(n > 0, "%s has no layers", path);
        /* a "# title:" line for the reports */
        FILE *fp = fopen(path, "r");
        char line[512];
        bool title = false;
        while (fp && fgets(line, sizeof line, fp))
            if (!strncmp(line, "# title: ", 9)) title = true;
        if (fp) fclose(fp);
        CHECK(title, "%s has no '# title: ...' line", path);
        double macs = 0;
        int convs = 0;
        for (int i = 0; i < n; i++) {
            CHECK(!strcmp(e[i].desc, e[i].canon), "%s:%d: '%s' is not canonical (want '%s')", path,
                  e[i].line, e[i].desc, e[i].canon);
            gsconv_problem p;
            CHECK(gsconv_problem_parse(&p, e[i].desc) == GSCONV_OK &&
                      gsconv_problem_validate(&p) == GSCONV_OK,
                  "%s:%d: %s does not validate", path, e[i].line, e[i].desc);
            CHECK(e[i].repeat >= 1, "%s:%d: repeat %d", path, e[i].line, e[i].repeat);
            CHECK(e[i].prob.n == 1 || !strcmp(stem, "smoke"), "%s:%d: batch %lld, want 1", path,
                  e[i].line, (long long)e[i].prob.n);
            for (int j = 0; j < i; j++)
                CHECK(strcmp(e[i].canon, e[j].canon), "%s:%d: %s repeats line %d (merge the counts)",
                      path, e[i].line, e[i].canon, e[j].line);
            macs += gsconv_problem_flops(&e[i].prob) / 2 * e[i].repeat;
            convs += e[i].repeat;
        }
        for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++) {
            if (strcmp(expect[k].name, stem)) continue;
            seen[k] = 1;
            if (expect[k].convs >= 0)
                CHECK(convs == expect[k].convs, "%s: %d convolutions, want %d", path, convs,
                      expect[k].convs);
            CHECK(macs / 1e6 >= expect[k].mmac_lo && macs / 1e6 <= expect[k].mmac_hi,
                  "%s: %.1f M multiply-adds, want %g..%g", path, macs / 1e6, expect[k].mmac_lo,
                  expect[k].mmac_hi);
        }
        for (size_t k = 0; k < sizeof must / sizeof must[0]; k++) {
            if (strcmp(must[k].suite, stem)) continue;
            bool found = false;
            for (int i = 0; i < n; i++) found |= !strcmp(e[i].canon, must[k].desc);
            CHECK(found, "%s: missing %s", path, must[k].desc);
        }
        printf("%-20s %2d lines, %3d convolutions, %8.1f M multiply-adds\n", stem, n, convs, macs / 1e6);
        gsconv_suite_free(e);
    }
    for (size_t k = 0; k < sizeof expect / sizeof expect[0]; k++)
        CHECK(seen[k], "suite %s.txt is missing", expect[k].name);
    for (int f = 0; f < nnames; f++) free(names[f]);
    return check_summary("test_suites");
}
