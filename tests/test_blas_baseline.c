/*
 * The BLAS-backed im2col baseline (bench/blas_baseline.c) against the scalar reference:
 * both layouts, groups, padding/stride/dilation, bias, ReLU, shuffle. Small-integer data,
 * so any summation order is exact and the comparison is bit for bit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blas_baseline.h"
#include "check.h"

static const char *const shapes[] = {
    "g1mb1ic16ih9oc24oh9kh1",           /* 1x1: src is the matrix */
    "g3mb2ic24ih11oc48oh11kh3ph1sg3",   /* grouped 3x3, batch 2, shuffle */
    "g2mb1ic8ih12oc12oh12kh5ph2",       /* AlexNet-like 5x5 */
    "g1mb1ic3ih23oc8oh12kh3sh2ph1",     /* stride 2 */
    "g1mb1ic6ih16oc4oh16kh3ph2dh1",     /* dilation */
    "g8mb1ic64ih7oc32oh7kh1sg8",        /* ShuffleNet pointwise with shuffle */
    "g4mb1ic4ih9oc8oh9kh1",             /* c/g = 1 */
};

static uint64_t state = 0x2545F4914F6CDD1Dull;
static float small_int(int range)
{
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    return (float)((int)(state % (uint64_t)(2 * range + 1)) - range);
}

int main(void)
{
    for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++)
        for (int li = 0; li < 2; li++) {
            gsconv_problem p;
            CHECK(gsconv_problem_parse(&p, shapes[si]) == GSCONV_OK, "parse %s", shapes[si]);
            p.layout = li ? GSCONV_NHWC : GSCONV_NCHW;
            p.act = si % 2 ? GSCONV_ACT_RELU : GSCONV_ACT_NONE;
            const size_t ns = gsconv_problem_src_elems(&p), nw = gsconv_problem_wei_elems(&p),
                         nd = gsconv_problem_dst_elems(&p);
            float *src = malloc(ns * 4), *wei = malloc(nw * 4), *bias = malloc((size_t)p.k * 4);
            float *ref = malloc(nd * 4), *out = malloc(nd * 4);
            for (size_t i = 0; i < ns; i++) src[i] = small_int(2);
            for (size_t i = 0; i < nw; i++) wei[i] = small_int(2);
            for (int64_t i = 0; i < p.k; i++) bias[i] = small_int(3);
            const float *b = si % 3 == 2 ? NULL : bias;
            CHECK(gsconv_reference_conv(&p, src, wei, b, ref) == GSCONV_OK, "reference %s", shapes[si]);
            for (size_t i = 0; i < nd; i++) out[i] = __builtin_nanf("");
            CHECK(gsconv_bench_blas_conv(&p, src, wei, b, out) == 0, "blas %s: %s", shapes[si],
                  gsconv_last_error());
            size_t bad = 0;
            for (size_t i = 0; i < nd; i++) bad += !(out[i] == ref[i]);
            CHECK(bad == 0, "blas baseline %s %s: %zu of %zu outputs differ from the reference",
                  shapes[si], gsconv_layout_name(p.layout), bad, nd);
            free(src), free(wei), free(bias), free(ref), free(out);
        }
    gsconv_problem bad;
    CHECK(gsconv_problem_parse(&bad, "g1mb1ic4ih5oc4oh5kh1") == GSCONV_OK, "parse");
    bad.k = 3, bad.g = 2; /* invalid: k not a multiple of g */
    float x[1] = {0};
    CHECK(gsconv_bench_blas_conv(&bad, x, x, NULL, x) == -1, "an invalid problem is refused");
    return check_summary("test_blas_baseline");
}
