/*
 * The BLAS-backed im2col baseline (see blas_baseline.h). Straightforward on purpose:
 * whole-matrix im2col, one sgemm per group, separate epilogue passes.
 */
#include "blas_baseline.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

/* kk -> (ci, i, j) in the weights' order; value of src for output pixel (oy, ox), or 0 */
static float tap(const gsconv_problem *p, const float *src, int64_t b, int64_t ch, int64_t i,
                 int64_t j, int64_t oy, int64_t ox)
{
    const int64_t iy = oy * p->sh - p->ph + i * (p->dh + 1);
    const int64_t ix = ox * p->sw - p->pw + j * (p->dw + 1);
    if (iy < 0 || iy >= p->h || ix < 0 || ix >= p->w) return 0.0f;
    if (p->layout == GSCONV_NCHW) return src[((b * p->c + ch) * p->h + iy) * p->w + ix];
    return src[((b * p->h + iy) * p->w + ix) * p->c + ch];
}

int gsconv_bench_blas_conv(const gsconv_problem *p, const float *src, const float *wei,
                           const float *bias, float *dst)
{
    if (!p || !src || !wei || !dst) return -1;
    if (gsconv_problem_validate(p) != GSCONV_OK) return -1;
    const int64_t cg = p->c / p->g, kg = p->k / p->g, S = p->kh * p->kw, K = cg * S;
    const int64_t P = p->oh * p->ow;
    const int direct = p->kh == 1 && p->kw == 1 && p->sh == 1 && p->sw == 1 && p->ph == 0 &&
                       p->pw == 0 && p->oh == p->h && p->ow == p->w;
    const int nchw = p->layout == GSCONV_NCHW;
    const size_t nd = gsconv_problem_dst_elems(p);
    float *col = direct ? NULL : malloc((size_t)(K * P) * sizeof(float));
    float *out = p->sg > 1 ? malloc(nd * sizeof(float)) : dst; /* conv order, then shuffled */
    if ((!direct && !col) || !out) {
        free(col);
        if (out != dst) free(out);
        return -1;
    }
    for (int64_t b = 0; b < p->n; b++)
        for (int64_t gi = 0; gi < p->g; gi++) {
            const float *wg = wei + gi * kg * K; /* kg x K, row-major */
            if (nchw) {
                /* C (kg x P) = W (kg x K) * B (K x P) */
                const float *bm;
                int64_t ldb;
                if (direct) {
                    bm = src + (b * p->c + gi * cg) * P;
                    ldb = P;
                } else {
                    for (int64_t kk = 0; kk < K; kk++) {
                        const int64_t ci = kk / S, i = (kk % S) / p->kw, j = kk % p->kw;
                        for (int64_t q = 0; q < P; q++)
                            col[kk * P + q] = tap(p, src, b, gi * cg + ci, i, j, q / p->ow, q % p->ow);
                    }
                    bm = col;
                    ldb = P;
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)kg, (int)P, (int)K, 1.0f,
                            wg, (int)K, bm, (int)ldb, 0.0f, out + (b * p->k + gi * kg) * P, (int)P);
            } else {
                /* C (P x kg, ldc k) = A (P x K) * W^T (K x kg) */
                const float *am;
                int64_t lda;
                if (direct) {
                    am = src + b * P * p->c + gi * cg;
                    lda = p->c;
                } else {
                    for (int64_t q = 0; q < P; q++)
                        for (int64_t kk = 0; kk < K; kk++) {
                            const int64_t ci = kk / S, i = (kk % S) / p->kw, j = kk % p->kw;
                            col[q * K + kk] = tap(p, src, b, gi * cg + ci, i, j, q / p->ow, q % p->ow);
                        }
                    am = col;
                    lda = K;
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)P, (int)kg, (int)K, 1.0f, am,
                            (int)lda, wg, (int)K, 0.0f, out + b * P * p->k + gi * kg, (int)p->k);
            }
        }
    /* epilogue passes: bias, ReLU */
    if (bias || p->act == GSCONV_ACT_RELU)
        for (size_t e = 0; e < nd; e++) {
            const int64_t o = nchw ? (int64_t)(e / (size_t)P) % p->k : (int64_t)(e % (size_t)p->k);
            float v = out[e] + (bias ? bias[o] : 0.0f);
            if (p->act == GSCONV_ACT_RELU && !(v > 0.0f)) v = 0.0f;
            out[e] = v;
        }
    int rc = 0;
    if (p->sg > 1) {
        rc = gsconv_channel_shuffle(p->layout, p->n, p->k, p->oh, p->ow, p->sg, out, dst) == GSCONV_OK ? 0 : -1;
        free(out);
    }
    free(col);
    return rc;
}
