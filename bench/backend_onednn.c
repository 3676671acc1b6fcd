/*
 * oneDNN peers (C API of oneDNN 2.x, forward inference, f32, no bias):
 *
 *   onednn:best   src/weights/dst format_tag_any: oneDNN picks its blocked layouts. The
 *                 timed loop runs the convolution (and the shuffle) on blocked tensors;
 *                 the reorders a network boundary would need (src plain -> blocked,
 *                 dst blocked -> plain) are timed separately and reported as the
 *                 counters reorder_src_ms / reorder_dst_ms.
 *   onednn:plain  src/dst in the benchmark's layout (nchw or nhwc), weights any (packed
 *                 once, like gsconv_plan_set_weights).
 *
 * With sg > 1 both add oneDNN's shuffle primitive on the convolution output (axis 1,
 * group_size = k/sg: oneDNN views the channels as (k/group_size) x group_size and
 * transposes, which is ShuffleNet's channel_shuffle(x, sg)). Threads: oneDNN's OpenMP
 * runtime, omp_set_num_threads(threads).
 */
#include <oneapi/dnnl/dnnl.h>
#include <oneapi/dnnl/dnnl_debug.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static dnnl_engine_t g_eng;
static dnnl_stream_t g_strm;

typedef struct dn_impl {
    dnnl_primitive_t conv, shuf;
    dnnl_memory_t src, wei, mid, out, scratch; /* mid: conv dst when shuffling, else NULL */
    dnnl_exec_arg_t conv_args[4], shuf_args[2];
    int nconv_args;
    dnnl_memory_desc_t plain_dst_md;
    double reorder_src_ms, reorder_dst_ms;
    char label[192];
} dn_impl;

#define DN(call, what)                                                                       \
    do {                                                                                     \
        dnnl_status_t s_ = (call);                                                           \
        if (s_ != dnnl_success) {                                                            \
            snprintf(err, errlen, "onednn: %s: %s", what, dnnl_status2str(s_));              \
            goto fail;                                                                       \
        }                                                                                    \
    } while (0)

const char *bench_onednn_version(void)
{
    static char buf[96];
    const dnnl_version_t *v = dnnl_version();
    snprintf(buf, sizeof buf, "%d.%d.%d (%s, %s)", v->major, v->minor, v->patch, v->hash,
             dnnl_runtime2str(v->cpu_runtime));
    return buf;
}

static void dn_destroy(void *p)
{
    dn_impl *d = p;
    if (!d) return;
    if (d->conv) dnnl_primitive_destroy(d->conv);
    if (d->shuf) dnnl_primitive_destroy(d->shuf);
    dnnl_memory_t *m[] = {&d->src, &d->wei, &d->mid, &d->out, &d->scratch};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (*m[i]) dnnl_memory_destroy(*m[i]);
    free(d);
}

/* One reorder from -> to, run once. */
static dnnl_status_t reorder_once(dnnl_memory_t from, dnnl_memory_t to)
{
    const dnnl_memory_desc_t *fmd, *tmd;
    dnnl_status_t s;
    if ((s = dnnl_memory_get_memory_desc(from, &fmd)) || (s = dnnl_memory_get_memory_desc(to, &tmd)))
        return s;
    dnnl_primitive_desc_t pd;
    if ((s = dnnl_reorder_primitive_desc_create(&pd, fmd, g_eng, tmd, g_eng, NULL))) return s;
    dnnl_primitive_t r;
    s = dnnl_primitive_create(&r, pd);
    dnnl_primitive_desc_destroy(pd);
    if (s) return s;
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
    s = dnnl_primitive_execute(r, g_strm, 2, args);
    if (!s) s = dnnl_stream_wait(g_strm);
    dnnl_primitive_destroy(r);
    return s;
}

/* Median milliseconds of a reorder between two descriptors (0 if they are equal): the
 * price of entering / leaving oneDNN's blocked layouts. */
static double time_reorder(const dnnl_memory_desc_t *a, const dnnl_memory_desc_t *b)
{
    if (dnnl_memory_desc_equal(a, b)) return 0.0;
    dnnl_memory_t ma = NULL, mb = NULL;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t r = NULL;
    double res = -1;
    if (dnnl_memory_create(&ma, a, g_eng, DNNL_MEMORY_ALLOCATE) ||
        dnnl_memory_create(&mb, b, g_eng, DNNL_MEMORY_ALLOCATE) ||
        dnnl_reorder_primitive_desc_create(&pd, a, g_eng, b, g_eng, NULL) ||
        dnnl_primitive_create(&r, pd))
        goto out;
    void *h;
    if (!dnnl_memory_get_data_handle(ma, &h)) memset(h, 0, dnnl_memory_desc_get_size(a));
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, ma}, {DNNL_ARG_TO, mb}};
    double t[64];
    int n = 0;
    const double start = bench_now();
    for (int i = 0; i < 3; i++) dnnl_primitive_execute(r, g_strm, 2, args), dnnl_stream_wait(g_strm);
    while (n < 64 && (n < 10 || bench_now() - start < 0.05)) {
        const double t0 = bench_now();
        dnnl_primitive_execute(r, g_strm, 2, args);
        dnnl_stream_wait(g_strm);
        t[n++] = (bench_now() - t0) * 1e3;
    }
    res = bench_median(t, n);
out:
    if (r) dnnl_primitive_destroy(r);
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (ma) dnnl_memory_destroy(ma);
    if (mb) dnnl_memory_destroy(mb);
    return res;
}

static int dn_create_any(void **out, const bench_layer *L, bool best, int threads, char *err,
                         size_t errlen)
{
    const gsconv_problem *p = &L->p;
    dn_impl *d = calloc(1, sizeof *d);
    dnnl_primitive_desc_t cpd = NULL, spd = NULL;
    dnnl_memory_t user_src = NULL, user_wei = NULL;
    if (!d) return snprintf(err, errlen, "out of memory"), -1;
    omp_set_num_threads(threads);
    if (!g_eng) {
        DN(dnnl_engine_create(&g_eng, dnnl_cpu, 0), "engine");
        DN(dnnl_stream_create(&g_strm, g_eng, dnnl_stream_default_flags), "stream");
    }
    const dnnl_format_tag_t plain = p->layout == GSCONV_NHWC ? dnnl_nhwc : dnnl_nchw;
    const dnnl_format_tag_t act = best ? dnnl_format_tag_any : plain;
    dnnl_dims_t sdims = {p->n, p->c, p->h, p->w}, ddims = {p->n, p->k, p->oh, p->ow};
    dnnl_dims_t wdims_g = {p->g, p->k / p->g, p->c / p->g, p->kh, p->kw};
    dnnl_dims_t wdims_1 = {p->k, p->c, p->kh, p->kw};
    const int wnd = p->g > 1 ? 5 : 4;
    dnnl_memory_desc_t src_md, wei_md, dst_md, src_plain_md, wei_plain_md;
    DN(dnnl_memory_desc_init_by_tag(&src_md, 4, sdims, dnnl_f32, act), "src md");
    DN(dnnl_memory_desc_init_by_tag(&dst_md, 4, ddims, dnnl_f32, act), "dst md");
    DN(dnnl_memory_desc_init_by_tag(&wei_md, wnd, p->g > 1 ? wdims_g : wdims_1, dnnl_f32,
                                    dnnl_format_tag_any), "weights md");
    DN(dnnl_memory_desc_init_by_tag(&src_plain_md, 4, sdims, dnnl_f32, plain), "src md");
    DN(dnnl_memory_desc_init_by_tag(&d->plain_dst_md, 4, ddims, dnnl_f32, plain), "dst md");
    DN(dnnl_memory_desc_init_by_tag(&wei_plain_md, wnd, p->g > 1 ? wdims_g : wdims_1, dnnl_f32,
                                    p->g > 1 ? dnnl_goihw : dnnl_oihw), "weights md");
    /* right/bottom padding implied by oh/ow; negative = rows the conv never reads */
    int64_t pr_h = (p->oh - 1) * p->sh + (p->kh - 1) * (p->dh + 1) + 1 - p->h - p->ph;
    int64_t pr_w = (p->ow - 1) * p->sw + (p->kw - 1) * (p->dw + 1) + 1 - p->w - p->pw;
    if (pr_h < 0) pr_h = 0;
    if (pr_w < 0) pr_w = 0;
    dnnl_dims_t strides = {p->sh, p->sw}, dil = {p->dh, p->dw}, pl = {p->ph, p->pw}, pr = {pr_h, pr_w};
    dnnl_convolution_desc_t cd;
    DN(dnnl_dilated_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_auto,
                                                  &src_md, &wei_md, NULL, &dst_md, strides, dil,
                                                  pl, pr),
       "convolution descriptor");
    DN(dnnl_primitive_desc_create(&cpd, &cd, NULL, g_eng, NULL), "convolution");
    const char *impl = "";
    dnnl_primitive_desc_query(cpd, dnnl_query_impl_info_str, 0, &impl);
    const dnnl_memory_desc_t *psrc = dnnl_primitive_desc_query_md(cpd, dnnl_query_src_md, 0);
    const dnnl_memory_desc_t *pwei = dnnl_primitive_desc_query_md(cpd, dnnl_query_weights_md, 0);
    const dnnl_memory_desc_t *pdst = dnnl_primitive_desc_query_md(cpd, dnnl_query_dst_md, 0);
    const dnnl_memory_desc_t *pscr = dnnl_primitive_desc_query_md(cpd, dnnl_query_scratchpad_md, 0);
    DN(dnnl_primitive_create(&d->conv, cpd), "convolution primitive");
    DN(dnnl_memory_create(&d->src, psrc, g_eng, DNNL_MEMORY_ALLOCATE), "src memory");
    DN(dnnl_memory_create(&d->wei, pwei, g_eng, DNNL_MEMORY_ALLOCATE), "weights memory");
    DN(dnnl_memory_create(&d->out, pdst, g_eng, DNNL_MEMORY_ALLOCATE), "dst memory");
    if (pscr && dnnl_memory_desc_get_size(pscr))
        DN(dnnl_memory_create(&d->scratch, pscr, g_eng, DNNL_MEMORY_ALLOCATE), "scratchpad");
    DN(dnnl_memory_create(&user_src, &src_plain_md, g_eng, (void *)L->src), "src");
    DN(dnnl_memory_create(&user_wei, &wei_plain_md, g_eng, (void *)L->wei), "weights");
    DN(reorder_once(user_src, d->src), "src reorder");
    DN(reorder_once(user_wei, d->wei), "weights reorder");

    if (p->sg > 1) {
        /* conv -> mid, shuffle mid -> out (same descriptor) */
        d->mid = d->out;
        d->out = NULL;
        dnnl_shuffle_desc_t sd;
        DN(dnnl_shuffle_forward_desc_init(&sd, dnnl_forward_inference, pdst, 1, p->k / p->sg),
           "shuffle descriptor");
        DN(dnnl_primitive_desc_create(&spd, &sd, NULL, g_eng, NULL), "shuffle");
        DN(dnnl_primitive_create(&d->shuf, spd), "shuffle primitive");
        DN(dnnl_memory_create(&d->out, pdst, g_eng, DNNL_MEMORY_ALLOCATE), "shuffle memory");
        d->shuf_args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->mid};
        d->shuf_args[1] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->out};
    }
    d->conv_args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, d->src};
    d->conv_args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, d->wei};
    d->conv_args[2] = (dnnl_exec_arg_t){DNNL_ARG_DST, d->mid ? d->mid : d->out};
    d->nconv_args = 3;
    if (d->scratch) d->conv_args[d->nconv_args++] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, d->scratch};

    if (best) {
        d->reorder_src_ms = time_reorder(&src_plain_md, psrc);
        d->reorder_dst_ms = time_reorder(pdst, &d->plain_dst_md);
    }
    snprintf(d->label, sizeof d->label, "%s%s", impl, d->shuf ? " + shuffle" : "");
    dnnl_memory_destroy(user_src);
    dnnl_memory_destroy(user_wei);
    dnnl_primitive_desc_destroy(cpd);
    if (spd) dnnl_primitive_desc_destroy(spd);
    *out = d;
    return 0;
fail:
    if (user_src) dnnl_memory_destroy(user_src);
    if (user_wei) dnnl_memory_destroy(user_wei);
    if (cpd) dnnl_primitive_desc_destroy(cpd);
    if (spd) dnnl_primitive_desc_destroy(spd);
    dn_destroy(d);
    return -1;
}

static int dn_create_best(void **out, const bench_layer *L, const char *arg, int threads,
                          char *err, size_t errlen)
{
    (void)arg;
    return dn_create_any(out, L, true, threads, err, errlen);
}

static int dn_create_plain(void **out, const bench_layer *L, const char *arg, int threads,
                           char *err, size_t errlen)
{
    (void)arg;
    return dn_create_any(out, L, false, threads, err, errlen);
}

static void dn_run(void *p)
{
    dn_impl *d = p;
    dnnl_primitive_execute(d->conv, g_strm, d->nconv_args, d->conv_args);
    if (d->shuf) dnnl_primitive_execute(d->shuf, g_strm, 2, d->shuf_args);
    dnnl_stream_wait(g_strm);
}

static int dn_output(void *p, float *dst, char *err, size_t errlen)
{
    dn_impl *d = p;
    dnnl_memory_t user = NULL;
    dnnl_status_t s = dnnl_primitive_execute(d->conv, g_strm, d->nconv_args, d->conv_args);
    if (!s && d->shuf) s = dnnl_primitive_execute(d->shuf, g_strm, 2, d->shuf_args);
    if (!s) s = dnnl_stream_wait(g_strm);
    if (!s) s = dnnl_memory_create(&user, &d->plain_dst_md, g_eng, dst);
    if (!s) s = reorder_once(d->out, user);
    if (user) dnnl_memory_destroy(user);
    if (s) {
        snprintf(err, errlen, "onednn: execute: %s", dnnl_status2str(s));
        return -1;
    }
    return 0;
}

static const char *dn_label(void *p) { return ((dn_impl *)p)->label; }

static int dn_counters(void *p, bench_counter *c, int max)
{
    dn_impl *d = p;
    if (max < 2) return 0;
    c[0] = (bench_counter){"reorder_src_ms", d->reorder_src_ms};
    c[1] = (bench_counter){"reorder_dst_ms", d->reorder_dst_ms};
    return 2;
}

const bench_backend bench_backend_onednn_best = {
    .name = "onednn:best",
    .create = dn_create_best,
    .run = dn_run,
    .output = dn_output,
    .destroy = dn_destroy,
    .label = dn_label,
    .counters = dn_counters,
};

const bench_backend bench_backend_onednn_plain = {
    .name = "onednn:plain",
    .create = dn_create_plain,
    .run = dn_run,
    .output = dn_output,
    .destroy = dn_destroy,
    .label = dn_label,
    .counters = NULL,
};
