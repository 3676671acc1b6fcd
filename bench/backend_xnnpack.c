/*
 * XNNPACK peer: xnn_create_convolution2d_nhwc_f32 (weights (k, kh, kw, c/g) per group,
 * zero bias, no clamp) and, with sg > 1, its channel-shuffle operator
 * (groups = sg, group_channels = k/sg) on the convolution output. NHWC only: an NCHW
 * benchmark is skipped with a message. Threads: a pthreadpool of `threads` threads
 * (none for 1).
 */
#include <math.h>
#include <pthreadpool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xnnpack.h>

#include "bench.h"

typedef struct xn_impl {
    xnn_operator_t conv, shuf;
    pthreadpool_t tp;
    float *src, *wei, *bias, *mid, *out;
    size_t dst_elems;
    char label[96];
} xn_impl;

const char *bench_xnnpack_version(void)
{
    return "Debian libxnnpack 0.0~git20220216.ae108ef (API as of that commit)";
}

static float *alloc_f(size_t n)
{
    /* XNNPACK may read up to XNN_EXTRA_BYTES past the end of its inputs */
    const size_t bytes = ((n * sizeof(float) + XNN_EXTRA_BYTES + 63) / 64) * 64;
    float *p = aligned_alloc(64, bytes);
    if (p) memset(p, 0, bytes);
    return p;
}

static void xn_destroy(void *v)
{
    xn_impl *x = v;
    if (!x) return;
    if (x->conv) xnn_delete_operator(x->conv);
    if (x->shuf) xnn_delete_operator(x->shuf);
    if (x->tp) pthreadpool_destroy(x->tp);
    free(x->src);
    free(x->wei);
    free(x->bias);
    free(x->mid);
    free(x->out);
    free(x);
}

static int xn_create(void **out, const bench_layer *L, const char *arg, int threads, char *err,
                     size_t errlen)
{
    (void)arg;
    const gsconv_problem *p = &L->p;
    if (p->layout != GSCONV_NHWC) {
        snprintf(err, errlen, "xnnpack: NHWC only (its convolution has no NCHW layout for this)");
        return -1;
    }
    static bool initialized;
    if (!initialized) {
        if (xnn_initialize(NULL) != xnn_status_success) {
            snprintf(err, errlen, "xnnpack: xnn_initialize failed");
            return -1;
        }
        initialized = true;
    }
    xn_impl *x = calloc(1, sizeof *x);
    if (!x) return snprintf(err, errlen, "out of memory"), -1;
    const size_t cg = (size_t)(p->c / p->g), kg = (size_t)(p->k / p->g);
    const size_t nsrc = gsconv_problem_src_elems(p), nwei = gsconv_problem_wei_elems(p);
    x->dst_elems = gsconv_problem_dst_elems(p);
    x->src = alloc_f(nsrc);
    x->wei = alloc_f(nwei);
    x->bias = alloc_f((size_t)p->k);
    x->mid = alloc_f(x->dst_elems);
    x->out = p->sg > 1 ? alloc_f(x->dst_elems) : NULL;
    if (!x->src || !x->wei || !x->bias || !x->mid || (p->sg > 1 && !x->out)) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    memcpy(x->src, L->src, nsrc * sizeof(float));
    /* (k, c/g, kh, kw) -> (k, kh, kw, c/g) */
    for (int64_t k = 0; k < p->k; k++)
        for (size_t ic = 0; ic < cg; ic++)
            for (int64_t i = 0; i < p->kh; i++)
                for (int64_t j = 0; j < p->kw; j++)
                    x->wei[(((size_t)k * p->kh + i) * p->kw + j) * cg + ic] =
                        L->wei[(((size_t)k * cg + ic) * p->kh + i) * p->kw + j];
    if (threads > 1) x->tp = pthreadpool_create((size_t)threads);
    int64_t pb = (p->oh - 1) * p->sh + (p->kh - 1) * (p->dh + 1) + 1 - p->h - p->ph;
    int64_t pr = (p->ow - 1) * p->sw + (p->kw - 1) * (p->dw + 1) + 1 - p->w - p->pw;
    if (pb < 0) pb = 0;
    if (pr < 0) pr = 0;
    enum xnn_status st = xnn_create_convolution2d_nhwc_f32(
        (uint32_t)p->ph, (uint32_t)pr, (uint32_t)pb, (uint32_t)p->pw, (uint32_t)p->kh,
        (uint32_t)p->kw, (uint32_t)p->sh, (uint32_t)p->sw, (uint32_t)(p->dh + 1),
        (uint32_t)(p->dw + 1), (uint32_t)p->g, cg, kg, (size_t)p->c, (size_t)p->k, x->wei, x->bias,
        -INFINITY, INFINITY, 0, &x->conv);
    if (st != xnn_status_success) {
        snprintf(err, errlen, "xnnpack: cannot create the convolution (status %d)", (int)st);
        goto fail;
    }
    st = xnn_setup_convolution2d_nhwc_f32(x->conv, (size_t)p->n, (size_t)p->h, (size_t)p->w, x->src,
                                          x->mid, x->tp);
    if (st != xnn_status_success) {
        snprintf(err, errlen, "xnnpack: cannot set up the convolution (status %d)", (int)st);
        goto fail;
    }
    if (p->sg > 1) {
        st = xnn_create_channel_shuffle_nc_x32((size_t)p->sg, (size_t)(p->k / p->sg), (size_t)p->k,
                                               (size_t)p->k, 0, &x->shuf);
        if (st == xnn_status_success)
            st = xnn_setup_channel_shuffle_nc_x32(x->shuf, (size_t)(p->n * p->oh * p->ow), x->mid,
                                                  x->out, x->tp);
        if (st != xnn_status_success) {
            snprintf(err, errlen, "xnnpack: cannot create the channel shuffle (status %d)", (int)st);
            goto fail;
        }
    }
    snprintf(x->label, sizeof x->label, "%s%s", p->c == p->g && p->k == p->g ? "dwconv" : "conv",
             x->shuf ? " + channel shuffle" : "");
    *out = x;
    return 0;
fail:
    xn_destroy(x);
    return -1;
}

static void xn_run(void *v)
{
    xn_impl *x = v;
    xnn_run_operator(x->conv, x->tp);
    if (x->shuf) xnn_run_operator(x->shuf, x->tp);
}

static int xn_output(void *v, float *dst, char *err, size_t errlen)
{
    xn_impl *x = v;
    float *res = x->shuf ? x->out : x->mid;
    for (size_t i = 0; i < x->dst_elems; i++) res[i] = NAN; /* unwritten = wrong */
    enum xnn_status st = xnn_run_operator(x->conv, x->tp);
    if (st == xnn_status_success && x->shuf) st = xnn_run_operator(x->shuf, x->tp);
    if (st != xnn_status_success) {
        snprintf(err, errlen, "xnnpack: run failed (status %d)", (int)st);
        return -1;
    }
    memcpy(dst, res, x->dst_elems * sizeof(float));
    return 0;
}

static const char *xn_label(void *v) { return ((xn_impl *)v)->label; }

const bench_backend bench_backend_xnnpack = {
    .name = "xnnpack",
    .create = xn_create,
    .run = xn_run,
    .output = xn_output,
    .destroy = xn_destroy,
    .label = xn_label,
    .counters = NULL,
};
