/*
 * The gsconv backend: a plan with the default rigor (the tuner's cache entry if there
 * is one, else ESTIMATE), or with one forced registry variant.
 *
 * gsconv:unfused (layers with a shuffle only): the same layer without the shuffle, then
 * the standalone gsconv_channel_shuffle into dst — what the fused epilogue saves.
 *
 * shuffle:gsconv and shuffle:copy (layers with a shuffle only): the standalone shuffle
 * alone, and a memcpy of the same bytes, its bandwidth yardstick. Both produce the
 * layer's output, so the usual check applies: the shuffle reads the layer's unshuffled
 * output (the reference output shuffled back once, at create: a shuffle by sg is undone
 * by one by k/sg), the copy reads a copy of the reference output.
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
    g->dst = bench_alloc_floats(g->dst_elems);
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
    g->tmp = bench_alloc_floats(g->dst_elems);
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

/* ---------------------------------------------------------------- shuffle alone, copy */

typedef struct sh_impl {
    gsconv_problem p;
    float *in, *dst; /* in: unshuffled output (shuffle) or the output itself (copy) */
    size_t elems;
    bool copy;
    char label[96];
} sh_impl;

static void sh_destroy(void *v)
{
    sh_impl *s = v;
    if (!s) return;
    free(s->in);
    free(s->dst);
    free(s);
}

static int sh_create_common(void **out, const bench_layer *L, bool copy, int threads, char *err,
                            size_t errlen)
{
    const gsconv_problem *p = &L->p;
    if (p->sg <= 1) return snprintf(err, errlen, "no shuffle in this layer"), -1;
    sh_impl *s = calloc(1, sizeof *s);
    if (!s) return snprintf(err, errlen, "out of memory"), -1;
    s->p = *p;
    s->copy = copy;
    s->elems = gsconv_problem_dst_elems(p);
    s->in = bench_alloc_floats(s->elems);
    s->dst = bench_alloc_floats(s->elems);
    if (!s->in || !s->dst) {
        sh_destroy(s);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    if (copy) {
        memcpy(s->in, L->ref, s->elems * sizeof(float));
        snprintf(s->label, sizeof s->label, "memcpy");
    } else {
        /* the unshuffled output: the reference output shuffled back (sg then k/sg is
         * the identity) */
        if (gsconv_reference_shuffle(p->layout, p->n, p->k, p->oh, p->ow, p->k / p->sg, L->ref,
                                     s->in)) {
            snprintf(err, errlen, "gsconv: %s", gsconv_last_error());
            sh_destroy(s);
            return -1;
        }
        snprintf(s->label, sizeof s->label, "gsconv_channel_shuffle");
        omp_set_num_threads(threads); /* the shuffle takes OpenMP's thread count */
    }
    *out = s;
    return 0;
}

static int sh_create(void **out, const bench_layer *L, const char *arg, int threads, char *err,
                     size_t errlen)
{
    (void)arg;
    return sh_create_common(out, L, false, threads, err, errlen);
}

static int cp_create(void **out, const bench_layer *L, const char *arg, int threads, char *err,
                     size_t errlen)
{
    (void)arg;
    return sh_create_common(out, L, true, threads, err, errlen);
}

static gsconv_status sh_exec(sh_impl *s)
{
    if (s->copy) {
        memcpy(s->dst, s->in, s->elems * sizeof(float));
        return GSCONV_OK;
    }
    const gsconv_problem *p = &s->p;
    return gsconv_channel_shuffle(p->layout, p->n, p->k, p->oh, p->ow, p->sg, s->in, s->dst);
}

static void sh_run(void *v)
{
    sh_exec(v);
    /* the copy's result is never read: keep the compiler from dropping it */
    __asm__ volatile("" : : "r"(((sh_impl *)v)->dst) : "memory");
}

static int sh_output(void *v, float *dst, char *err, size_t errlen)
{
    sh_impl *s = v;
    for (size_t i = 0; i < s->elems; i++) s->dst[i] = NAN;
    if (sh_exec(s)) return snprintf(err, errlen, "gsconv: %s", gsconv_last_error()), -1;
    memcpy(dst, s->dst, s->elems * sizeof(float));
    return 0;
}

static const char *sh_label(void *v) { return ((sh_impl *)v)->label; }

const bench_backend bench_backend_shuffle = {
    .name = "shuffle:gsconv",
    .create = sh_create,
    .run = sh_run,
    .output = sh_output,
    .destroy = sh_destroy,
    .label = sh_label,
    .counters = NULL,
};

const bench_backend bench_backend_copy = {
    .name = "shuffle:copy",
    .create = cp_create,
    .run = sh_run,
    .output = sh_output,
    .destroy = sh_destroy,
    .label = sh_label,
    .counters = NULL,
};
