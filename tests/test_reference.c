/*
 * The scalar reference against hand-computed cases, and its properties: a grouped conv
 * is the per-group dense convs side by side; NCHW and NHWC agree; the fused shuffle is
 * the standalone shuffle of the unshuffled result; shuffle by sg then by c/sg is the
 * identity; ReLU and bias.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernel.h"

static uint64_t rs = 42;
static float rnd(void)
{
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return (float)((int)((rs >> 33) % 7) - 3);
}

static float *mk(size_t n)
{
    float *p = malloc((n ? n : 1) * sizeof(float));
    for (size_t i = 0; i < n; i++) p[i] = rnd();
    return p;
}

static bool same(const float *a, const float *b, size_t n)
{
    return memcmp(a, b, n * sizeof(float)) == 0;
}

static void test_hand_computed(void)
{
    /* 1x1x3x3 input 1..9, 3x3 ones kernel, pad 1: each output is the sum of its
     * 3x3 neighbourhood */
    const float src[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float wei[9];
    for (int i = 0; i < 9; i++) wei[i] = 1;
    float dst[9];
    gsconv_problem p;
    gsconv_problem_init(&p, 1, 1, 3, 3, 1, 1, 3, 3, 1, 1, 1, 1, 0, 0);
    CHECK(gsconv_reference_conv(&p, src, wei, NULL, dst) == GSCONV_OK, "%s", gsconv_last_error());
    const float want[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
    CHECK(same(dst, want, 9), "3x3 box sum: got %g %g %g / %g %g %g / %g %g %g", dst[0], dst[1],
          dst[2], dst[3], dst[4], dst[5], dst[6], dst[7], dst[8]);

    /* stride 2: outputs at (0,0), (0,2), (2,0), (2,2) of the box sums */
    gsconv_problem_init(&p, 1, 1, 3, 3, 1, 1, 3, 3, 2, 2, 1, 1, 0, 0);
    CHECK(p.oh == 2 && p.ow == 2, "stride 2 output %lldx%lld", (long long)p.oh, (long long)p.ow);
    gsconv_reference_conv(&p, src, wei, NULL, dst);
    const float want_s2[4] = {12, 16, 24, 28};
    CHECK(same(dst, want_s2, 4), "stride 2: %g %g %g %g", dst[0], dst[1], dst[2], dst[3]);

    /* dilation 1 (benchdnn: one gap) on 5x5, kernel 2x2 -> taps at (0,0) (0,2) (2,0) (2,2) */
    float s5[25];
    for (int i = 0; i < 25; i++) s5[i] = (float)i;
    const float w4[4] = {1, 10, 100, 1000};
    gsconv_problem_init(&p, 1, 1, 5, 5, 1, 1, 2, 2, 1, 1, 0, 0, 1, 1);
    CHECK(p.oh == 3 && p.ow == 3, "dilated output %lldx%lld", (long long)p.oh, (long long)p.ow);
    gsconv_reference_conv(&p, s5, w4, NULL, dst);
    /* out(0,0) = s(0,0)*1 + s(0,2)*10 + s(2,0)*100 + s(2,2)*1000 = 0 + 20 + 1000 + 12000 */
    CHECK(dst[0] == 13020, "dilated out(0,0) = %g", dst[0]);
    /* out(2,2) = s(2,2) + 10 s(2,4) + 100 s(4,2) + 1000 s(4,4) = 12 + 140 + 2200 + 24000 */
    CHECK(dst[8] == 26352, "dilated out(2,2) = %g", dst[8]);

    /* bias and ReLU: 1x1 conv with weight -1, bias 2 on input 0..3 -> relu(2 - x) */
    const float s4[4] = {0, 1, 2, 3};
    const float wm = -1, b = 2;
    gsconv_problem_init(&p, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0);
    p.act = GSCONV_ACT_RELU;
    gsconv_reference_conv(&p, s4, &wm, &b, dst);
    const float want_relu[4] = {2, 1, 0, 0};
    CHECK(same(dst, want_relu, 4), "bias+relu: %g %g %g %g", dst[0], dst[1], dst[2], dst[3]);

    /* groups: 2 groups, 1 channel each, weights 2 and 3 -> channel-wise scaling */
    const float s2[2] = {5, 7};
    const float w2[2] = {2, 3};
    gsconv_problem_init(&p, 1, 2, 1, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
    gsconv_reference_conv(&p, s2, w2, NULL, dst);
    CHECK(dst[0] == 10 && dst[1] == 21, "depthwise scaling: %g %g", dst[0], dst[1]);

    /* shuffle sg 2 of 4 output channels: conv channel o -> (o % 2) * 2 + o / 2:
     * 0->0, 1->2, 2->1, 3->3 */
    const float one = 1;
    const float w_id[4] = {10, 11, 12, 13};
    gsconv_problem_init(&p, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 0, 0, 0, 0);
    p.sg = 2;
    gsconv_reference_conv(&p, &one, w_id, NULL, dst);
    const float want_sh[4] = {10, 12, 11, 13};
    CHECK(same(dst, want_sh, 4), "shuffle: %g %g %g %g", dst[0], dst[1], dst[2], dst[3]);
}

/* grouped conv == per-group dense convs placed side by side */
static void test_groups_are_dense_convs(gsconv_layout layout)
{
    const char *desc = "g3mb2ic6ih7iw9oc9oh7ow9kh3kw3ph1pw1";
    gsconv_problem p;
    CHECK(gsconv_problem_parse(&p, desc) == GSCONV_OK, "%s", gsconv_last_error());
    p.layout = layout;
    const int64_t cg = p.c / p.g, kg = p.k / p.g;
    float *src = mk(gsconv_problem_src_elems(&p)), *wei = mk(gsconv_problem_wei_elems(&p));
    float *bias = mk((size_t)p.k), *dst = mk(gsconv_problem_dst_elems(&p));
    gsconv_reference_conv(&p, src, wei, bias, dst);
    gsconv_problem d = p;
    d.c = cg, d.k = kg, d.g = 1;
    const size_t hw = (size_t)(p.h * p.w), ohw = (size_t)(p.oh * p.ow);
    float *gs = malloc(gsconv_problem_src_elems(&d) * sizeof(float));
    float *gd = malloc(gsconv_problem_dst_elems(&d) * sizeof(float));
    bool ok = true;
    for (int64_t grp = 0; grp < p.g; grp++) {
        for (int64_t b = 0; b < p.n; b++)
            for (int64_t c = 0; c < cg; c++)
                for (size_t i = 0; i < hw; i++)
                    gs[layout == GSCONV_NCHW ? (size_t)(b * cg + c) * hw + i
                                             : ((size_t)b * hw + i) * (size_t)cg + (size_t)c] =
                        src[layout == GSCONV_NCHW
                                ? (size_t)(b * p.c + grp * cg + c) * hw + i
                                : ((size_t)b * hw + i) * (size_t)p.c + (size_t)(grp * cg + c)];
        gsconv_reference_conv(&d, gs, wei + (size_t)(grp * kg) * (size_t)(cg * p.kh * p.kw),
                              bias + grp * kg, gd);
        for (int64_t b = 0; b < p.n; b++)
            for (int64_t o = 0; o < kg; o++)
                for (size_t i = 0; i < ohw; i++) {
                    float x = gd[layout == GSCONV_NCHW ? (size_t)(b * kg + o) * ohw + i
                                                       : ((size_t)b * ohw + i) * (size_t)kg + (size_t)o];
                    float y = dst[layout == GSCONV_NCHW
                                      ? (size_t)(b * p.k + grp * kg + o) * ohw + i
                                      : ((size_t)b * ohw + i) * (size_t)p.k + (size_t)(grp * kg + o)];
                    ok = ok && x == y;
                }
    }
    CHECK(ok, "grouped conv != per-group dense convs (%s)", gsconv_layout_name(layout));
    free(src), free(wei), free(bias), free(dst), free(gs), free(gd);
}

/* NCHW and NHWC give the same numbers (exact on integers) */
static void test_layouts_agree(const char *desc)
{
    gsconv_problem p;
    CHECK(gsconv_problem_parse(&p, desc) == GSCONV_OK, "%s", gsconv_last_error());
    p.act = GSCONV_ACT_RELU;
    const size_t ns = gsconv_problem_src_elems(&p), nd = gsconv_problem_dst_elems(&p);
    float *a = mk(ns), *wei = mk(gsconv_problem_wei_elems(&p)), *bias = mk((size_t)p.k);
    float *a_t = malloc(ns * sizeof(float)), *d1 = malloc(nd * sizeof(float)),
          *d2 = malloc(nd * sizeof(float));
    for (int64_t b = 0; b < p.n; b++)
        for (int64_t c = 0; c < p.c; c++)
            for (int64_t y = 0; y < p.h; y++)
                for (int64_t x = 0; x < p.w; x++)
                    a_t[(((b * p.h + y) * p.w + x) * p.c + c)] = a[((b * p.c + c) * p.h + y) * p.w + x];
    gsconv_reference_conv(&p, a, wei, bias, d1);
    p.layout = GSCONV_NHWC;
    gsconv_reference_conv(&p, a_t, wei, bias, d2);
    bool ok = true;
    for (int64_t b = 0; b < p.n; b++)
        for (int64_t k = 0; k < p.k; k++)
            for (int64_t y = 0; y < p.oh; y++)
                for (int64_t x = 0; x < p.ow; x++)
                    ok = ok && d1[((b * p.k + k) * p.oh + y) * p.ow + x] ==
                                   d2[((b * p.oh + y) * p.ow + x) * p.k + k];
    CHECK(ok, "NCHW and NHWC disagree on %s", desc);
    free(a), free(wei), free(bias), free(a_t), free(d1), free(d2);
}

static void test_shuffle_properties(void)
{
    const int64_t n = 2, h = 3, w = 5;
    const int64_t cs[] = {6, 12, 24, 9};
    for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++) {
        const int64_t c = cs[ci];
        for (int64_t sg = 1; sg <= c; sg++) {
            if (c % sg) continue;
            for (int l = 0; l < 2; l++) {
                const gsconv_layout layout = l ? GSCONV_NHWC : GSCONV_NCHW;
                const size_t ne = (size_t)(n * c * h * w);
                float *x = mk(ne), *y = malloc(ne * sizeof(float)), *z = malloc(ne * sizeof(float));
                for (size_t i = 0; i < ne; i++) x[i] = (float)i;
                CHECK(gsconv_reference_shuffle(layout, n, c, h, w, sg, x, y) == GSCONV_OK, "%s",
                      gsconv_last_error());
                gsconv_reference_shuffle(layout, n, c, h, w, c / sg, y, z);
                CHECK(same(x, z, ne), "shuffle %lld then %lld is not the identity (c %lld, %s)",
                      (long long)sg, (long long)(c / sg), (long long)c, gsconv_layout_name(layout));
                /* the public (SIMD) shuffle agrees with the reference */
                gsconv_channel_shuffle(layout, n, c, h, w, sg, x, z);
                CHECK(same(y, z, ne), "gsconv_channel_shuffle != reference (c %lld sg %lld %s)",
                      (long long)c, (long long)sg, gsconv_layout_name(layout));
                free(x), free(y), free(z);
            }
        }
    }
    float a[4] = {0}, b[4];
    CHECK(gsconv_reference_shuffle(GSCONV_NCHW, 1, 4, 1, 1, 3, a, b) == GSCONV_ERR_BAD_SHAPE,
          "c %% sg rejected");
    CHECK(gsconv_reference_shuffle(GSCONV_NCHW, 1, 4, 1, 1, 2, NULL, b) ==
              GSCONV_ERR_INVALID_ARGUMENT,
          "NULL rejected");
    CHECK(gsconv_channel_shuffle(GSCONV_NHWC, 1, 4, 0, 1, 2, a, b) == GSCONV_ERR_BAD_SHAPE,
          "zero size rejected");
    CHECK(gsconv_channel_shuffle(GSCONV_NHWC, INT64_MAX / 2, 4, 4, 4, 2, a, b) ==
              GSCONV_ERR_OVERFLOW,
          "overflow rejected");
}

/* fused shuffle == conv without shuffle, then the standalone shuffle */
static void test_fused_shuffle(void)
{
    const char *descs[] = {"g3mb2ic12ih5oc12oh5kh3ph1sg3", "g2mb1ic4ih6oc8oh3kh3sh2ph1sg4"};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < 2; i++) {
            gsconv_problem p;
            gsconv_problem_parse(&p, descs[i]);
            p.layout = l ? GSCONV_NHWC : GSCONV_NCHW;
            const size_t nd = gsconv_problem_dst_elems(&p);
            float *src = mk(gsconv_problem_src_elems(&p)), *wei = mk(gsconv_problem_wei_elems(&p));
            float *d1 = malloc(nd * sizeof(float)), *d2 = malloc(nd * sizeof(float)),
                  *d3 = malloc(nd * sizeof(float));
            gsconv_reference_conv(&p, src, wei, NULL, d1);
            gsconv_problem q = p;
            q.sg = 1;
            gsconv_reference_conv(&q, src, wei, NULL, d2);
            gsconv_reference_shuffle(p.layout, p.n, p.k, p.oh, p.ow, p.sg, d2, d3);
            CHECK(same(d1, d3, nd), "fused shuffle != conv + shuffle for %s %s", descs[i],
                  gsconv_layout_name(p.layout));
            free(src), free(wei), free(d1), free(d2), free(d3);
        }
}

static void test_errors(void)
{
    gsconv_problem p;
    gsconv_problem_init(&p, 1, 2, 3, 3, 2, 1, 3, 3, 1, 1, 1, 1, 0, 0);
    float x[18] = {0}, y[18];
    CHECK(gsconv_reference_conv(NULL, x, x, NULL, y) == GSCONV_ERR_INVALID_ARGUMENT, "NULL p");
    CHECK(gsconv_reference_conv(&p, NULL, x, NULL, y) == GSCONV_ERR_INVALID_ARGUMENT, "NULL src");
    p.g = 3;
    CHECK(gsconv_reference_conv(&p, x, x, NULL, y) == GSCONV_ERR_BAD_SHAPE &&
              strstr(gsconv_last_error(), "multiple of g"),
          "invalid shape: %s", gsconv_last_error());
}

int main(void)
{
    test_hand_computed();
    test_groups_are_dense_convs(GSCONV_NCHW);
    test_groups_are_dense_convs(GSCONV_NHWC);
    test_layouts_agree("g2mb2ic4ih7iw6oc6oh4ow3kh3kw2sh2sw2ph1pw0dh0dw1");
    test_layouts_agree("g1mb1ic3ih5oc2oh5kh3ph1");
    test_shuffle_properties();
    test_fused_shuffle();
    test_errors();
    return check_summary("test_reference");
}
