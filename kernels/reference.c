/*
 * The scalar reference: grouped convolution with every problem field (stride, padding,
 * dilation, groups, batch, bias, ReLU, shuffle) in both layouts, accumulating in double;
 * and the standalone channel shuffle. Written for clarity, not speed: it is the truth
 * every optimized variant is compared with, and the "ref" registry row.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

void *gsconv_aligned_alloc(size_t bytes)
{
    void *ptr = NULL;
    size_t rounded = (bytes + 63) / 64 * 64;
    if (rounded < bytes) return NULL; /* overflow */
    if (rounded == 0) rounded = 64;
    if (posix_memalign(&ptr, 64, rounded) != 0) return NULL;
    return ptr;
}

void gsconv_aligned_free(void *ptr) { free(ptr); }

/* index of element (b, ch, y, x) of an n x C x H x W tensor in layout l */
static inline size_t at(gsconv_layout l, int64_t C, int64_t H, int64_t W, int64_t b,
                        int64_t ch, int64_t y, int64_t x)
{
    if (l == GSCONV_NCHW) return (size_t)(((b * C + ch) * H + y) * W + x);
    return (size_t)(((b * H + y) * W + x) * C + ch);
}

void gsconv_ref_conv_impl(const gsconv_problem *p, const float *src, const float *wei,
                          const float *bias, float *dst, int nthreads)
{
    const int64_t cg = p->c / p->g, kg = p->k / p->g;
    const int64_t work = p->n * p->k;
    (void)nthreads;
#pragma omp parallel for schedule(static) num_threads(nthreads > 0 ? nthreads : 1)
    for (int64_t bo = 0; bo < work; bo++) {
        const int64_t b = bo / p->k, o = bo % p->k;
        const int64_t grp = o / kg;
        const int64_t od = gsconv_shuffle_dst(o, p->k, p->sg);
        for (int64_t y = 0; y < p->oh; y++)
            for (int64_t x = 0; x < p->ow; x++) {
                double acc = bias ? (double)bias[o] : 0.0;
                for (int64_t ci = 0; ci < cg; ci++) {
                    const int64_t ch = grp * cg + ci;
                    for (int64_t i = 0; i < p->kh; i++) {
                        const int64_t iy = y * p->sh - p->ph + i * (p->dh + 1);
                        if (iy < 0 || iy >= p->h) continue;
                        for (int64_t j = 0; j < p->kw; j++) {
                            const int64_t ix = x * p->sw - p->pw + j * (p->dw + 1);
                            if (ix < 0 || ix >= p->w) continue;
                            const double s = src[at(p->layout, p->c, p->h, p->w, b, ch, iy, ix)];
                            const double wv = wei[((o * cg + ci) * p->kh + i) * p->kw + j];
                            acc += s * wv;
                        }
                    }
                }
                float r = (float)acc;
                if (p->act == GSCONV_ACT_RELU && !(r > 0.0f)) r = 0.0f;
                dst[at(p->layout, p->k, p->oh, p->ow, b, od, y, x)] = r;
            }
    }
}

void gsconv_ref_shuffle_impl(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                             int64_t w, int64_t sg, const float *src, float *dst)
{
    for (int64_t b = 0; b < n; b++)
        for (int64_t ch = 0; ch < c; ch++) {
            const int64_t to = gsconv_shuffle_dst(ch, c, sg);
            for (int64_t y = 0; y < h; y++)
                for (int64_t x = 0; x < w; x++)
                    dst[at(layout, c, h, w, b, to, y, x)] = src[at(layout, c, h, w, b, ch, y, x)];
        }
}

/* ---------------------------------------------------------------- the "ref" variant */

static bool ref_applicable(const gsconv_problem *p, char *why, size_t len)
{
    (void)p, (void)why, (void)len;
    return true;
}

static size_t ref_packed_size(const gsconv_problem *p, const gsconv_kparams *kp)
{
    (void)kp;
    return (gsconv_problem_wei_elems(p) + (size_t)p->k) * sizeof(float);
}

static void ref_pack(const gsconv_problem *p, const gsconv_kparams *kp, const float *wei,
                     const float *bias, void *packed)
{
    (void)kp;
    float *out = packed;
    const size_t nw = gsconv_problem_wei_elems(p);
    memcpy(out, wei, nw * sizeof(float));
    if (bias)
        memcpy(out + nw, bias, (size_t)p->k * sizeof(float));
    else
        memset(out + nw, 0, (size_t)p->k * sizeof(float));
}

static size_t ref_workspace_size(const gsconv_problem *p, const gsconv_kparams *kp, int nt)
{
    (void)p, (void)kp, (void)nt;
    return 0;
}

static void ref_execute(const gsconv_problem *p, const gsconv_kparams *kp, const void *packed,
                        const float *src, float *dst, void *ws, int nthreads)
{
    (void)kp, (void)ws;
    const float *wei = packed;
    gsconv_ref_conv_impl(p, src, wei, wei + gsconv_problem_wei_elems(p), dst, nthreads);
}

/* Measured: ~0.25 GFLOP/s per thread for the double-accumulating loop nest on Zen 4
 * (gsconv run g1mb1ic64ih28oc64oh28kh3ph1 --variant ref --repeat 5). */
static double ref_estimate(const gsconv_problem *p, const gsconv_kparams *kp)
{
    (void)kp;
    return gsconv_problem_flops(p) / 0.25e9;
}

const gsconv_kernel_ops gsconv_f32_gconv_ref = {
    .applicable = ref_applicable,
    .packed_size = ref_packed_size,
    .pack = ref_pack,
    .workspace_size = ref_workspace_size,
    .execute = ref_execute,
    .estimate = ref_estimate,
};

/* ---------------------------------------------------------------- public API */

gsconv_status gsconv_reference_conv(const gsconv_problem *p, const float *src,
                                    const float *wei, const float *bias, float *dst)
{
    if (!p || !src || !wei || !dst)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "reference conv: NULL argument");
    gsconv_status s = gsconv_problem_validate(p);
    if (s) return s;
    gsconv_ref_conv_impl(p, src, wei, bias, dst, 1);
    return GSCONV_OK;
}
