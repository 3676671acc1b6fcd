/*
 * The gsconv backend: a plan with the default rigor (the tuner's cache entry if there
 * is one, else ESTIMATE), or with one forced registry variant.
 *
 * gsconv:unfused (layers with a shuffle only): the same layer without the shuffle, then
 * the standalone gsconv_channel_shuffle into dst — what the fused epilogue saves.
 */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

typedef struct gs_impl {
    gsconv_plan *plan;
    const float *src;
    float *dst;
    size_t dst_elems;
    char label[96];
    float *tmp;          /* unfused: the unshuffled conv output */
    gsconv_problem p;    /* unfused: the layer (with its sg) */
} gs_impl;

static void gs_destroy(void *v)
{
    gs_impl *g = v;
    if (!g) return;
    gsconv_plan_destroy(g->plan);
    free(g->dst);
    free(g->tmp);
    free(g);
}

static int gs_create(void **out, const bench_layer *L, const char *variant, int threads,
                     char *err, size_t errlen)
{
    gs_impl *g = calloc(1, sizeof *g);
    if (!g) return snprintf(err, errlen, "out of memory"), -1;
    gsconv_plan_options o;
    gsconv_plan_options_default(&o);
    o.threads = threads;
    o.variant = variant; /* NULL: the planner chooses */
    gsconv_status s = gsconv_plan_create(&g->plan, &L->p, &o);
    if (!s) s = gsconv_plan_set_weights(g->plan, L->wei, NULL);
    if (s) {
        snprintf(err, errlen, "gsconv: %s", gsconv_last_error());
        gs_destroy(g);
        return -1;
    }
    g->src = L->src;
    g->dst_elems = gsconv_problem_dst_elems(&L->p);
    g->dst = malloc(g->dst_elems * sizeof(float));
    if (!g->dst) {
        snprintf(err, errlen, "out of memory");
        gs_destroy(g);
        return -1;
    }
    snprintf(g->label, sizeof g->label, "%s", gsconv_plan_variant(g->plan));
    *out = g;
    return 0;
}

/* One execute into g->dst: the plan, or (unfused) the plan into tmp and the shuffle. */
static gsconv_status gs_exec(gs_impl *g)
{
    if (!g->tmp) return gsconv_plan_execute(g->plan, g->src, g->dst);
    const gsconv_problem *p = &g->p;
    gsconv_status s = gsconv_plan_execute(g->plan, g->src, g->tmp);
    return s ? s : gsconv_channel_shuffle(p->layout, p->n, p->k, p->oh, p->ow, p->sg, g->tmp, g->dst);
}

static void gs_run(void *v) { gs_exec(v); }

static int gs_output(void *v, float *dst, char *err, size_t errlen)
{
    gs_impl *g = v;
    for (size_t i = 0; i < g->dst_elems; i++) g->dst[i] = NAN; /* unwritten = wrong */
    if (gs_exec(g)) {
        snprintf(err, errlen, "gsconv: %s", gsconv_last_error());
        return -1;
    }
    memcpy(dst, g->dst, g->dst_elems * sizeof(float));
    return 0;
}

static const char *gs_label(void *v) { return ((gs_impl *)v)->label; }

static int un_create(void **out, const bench_layer *L, const char *variant, int threads,
                     char *err, size_t errlen)
{
    (void)variant;
    if (L->p.sg <= 1) return snprintf(err, errlen, "no shuffle in this layer"), -1;
    bench_layer conv = *L;
    conv.p.sg = 1; /* the planner's (tuned) choice for the unshuffled layer */
    if (gs_create(out, &conv, NULL, threads, err, errlen)) return -1;
    gs_impl *g = *out;
    g->p = L->p;
    g->tmp = malloc(g->dst_elems * sizeof(float));
    if (!g->tmp) {
        snprintf(err, errlen, "out of memory");
        gs_destroy(g);
        return -1;
    }
    /* the standalone shuffle takes OpenMP's thread count: the same as the conv's */
    omp_set_num_threads(threads);
    snprintf(g->label, sizeof g->label, "%s + shuffle", gsconv_plan_variant(g->plan));
    return 0;
}

const bench_backend bench_backend_gsconv_unfused = {
    .name = "gsconv:unfused",
    .create = un_create,
    .run = gs_run,
    .output = gs_output,
    .destroy = gs_destroy,
    .label = gs_label,
    .counters = NULL,
};

const bench_backend bench_backend_gsconv = {
    .name = "gsconv",
    .create = gs_create,
    .run = gs_run,
    .output = gs_output,
    .destroy = gs_destroy,
    .label = gs_label,
    .counters = NULL,
};
