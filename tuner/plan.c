/*
 * Plans: choose a registry variant for a problem (forced, or by rigor), own its packed
 * weights and workspace, execute, and report the dispatch decision (GSCONV_VERBOSE=1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tuner.h"

struct gsconv_plan {
    gsconv_kinstance ki;
    bool verbose;
};

void gsconv_plan_options_default(gsconv_plan_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_isa = GSCONV_ISA_BEST;
    o->rigor = GSCONV_ESTIMATE;
}

static bool env_flag(const char *name)
{
    const char *v = getenv(name);
    return v && *v && strcmp(v, "0") != 0;
}

/* Thread count: option, else GSCONV_NUM_THREADS, else physical cores. */
static gsconv_status resolve_threads(int requested, int *out)
{
    if (requested < 0)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "threads must be >= 0 (0 = default), got %d",
                                requested);
    if (requested > 0) {
        *out = requested;
        return GSCONV_OK;
    }
    const char *env = getenv("GSCONV_NUM_THREADS");
    if (env && *env) {
        char *end;
        long t = strtol(env, &end, 10);
        if (*end || t < 1 || t > 4096)
            return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT,
                                    "GSCONV_NUM_THREADS='%s' is not a thread count in 1..4096", env);
        *out = (int)t;
        return GSCONV_OK;
    }
    *out = gsconv_physical_cores();
    return GSCONV_OK;
}

gsconv_status gsconv_plan_create(gsconv_plan **out, const gsconv_problem *p,
                                 const gsconv_plan_options *opt_in)
{
    if (!out || !p) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "plan: NULL argument");
    *out = NULL;
    gsconv_plan_options opt;
    if (opt_in)
        opt = *opt_in;
    else
        gsconv_plan_options_default(&opt);
    if (opt.rigor < GSCONV_ESTIMATE || opt.rigor > GSCONV_CACHE_ONLY)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "plan: unknown rigor %d", (int)opt.rigor);
    gsconv_status s = gsconv_problem_validate(p);
    if (s) return s;
    int nthreads = 1;
    if ((s = resolve_threads(opt.threads, &nthreads))) return s;
    const gsconv_isa isa = gsconv_isa_cap(gsconv_isa_available(), opt.max_isa);
    gsconv_accuracy acc;
    if (!opt.variant && (s = gsconv_accuracy_resolve(opt.no_winograd, opt.max_rel_error, &acc)))
        return s;

    const gsconv_variant *chosen = NULL;
    gsconv_kparams kp;
    int run_threads = nthreads;
    const char *how = "forced";
    char why[256];
    if (opt.variant) {
        int i = gsconv_variant_find(opt.variant);
        if (i < 0)
            return gsconv_set_error(GSCONV_ERR_UNKNOWN_VARIANT,
                                    "unknown variant '%s' (gsconv variants DESC lists them)",
                                    opt.variant);
        if (!gsconv_registry_applicable(&gsconv_registry[i], p, isa, why, sizeof why))
            return gsconv_set_error(GSCONV_ERR_NOT_APPLICABLE, "variant %s cannot run this problem: %s",
                                    opt.variant, why);
        chosen = &gsconv_registry[i];
        gsconv_kparams_default(chosen, &kp);
    } else {
        /* 1. the cache file: this machine's entry for (shape, layout, activation, thread
         *    budget), if its rigor is at least the one asked for and its variant exists,
         *    is allowed under the ISA cap and the accuracy constraint, applies and knows its
         *    parameters. */
        char path[4096];
        const bool have_path = gsconv_cache_resolve(opt.cache_path, path, sizeof path);
        gsconv_cache_entry e;
        bool found = false;
        if (have_path) gsconv_cache_lookup(path, p, nthreads, &e, &found);
        if (found && (opt.rigor == GSCONV_CACHE_ONLY || e.rigor >= opt.rigor) &&
            e.pick.threads <= nthreads) {
            const int i = gsconv_variant_find(e.pick.variant);
            if (i >= 0 && gsconv_registry_applicable(&gsconv_registry[i], p, isa, NULL, 0) &&
                gsconv_accuracy_allows(&acc, &gsconv_registry[i], p, NULL, 0) &&
                gsconv_params_parse(&gsconv_registry[i], e.pick.params, &kp)) {
                chosen = &gsconv_registry[i];
                run_threads = e.pick.threads;
                how = "cache";
            }
        }
        if (!chosen && opt.rigor == GSCONV_CACHE_ONLY) {
            char desc[256];
            gsconv_problem_format(p, desc, sizeof desc);
            return gsconv_set_error(GSCONV_ERR_NOT_CACHED,
                                    "rigor cache-only: no usable cache entry for %s layout %s "
                                    "activation %s threads %d in %s (gsconv tune stores one)",
                                    desc, gsconv_layout_name(p->layout),
                                    gsconv_activation_name(p->act), nthreads,
                                    have_path ? path : "(no cache path: set GSCONV_CACHE or HOME)");
        }
        if (!chosen && opt.rigor == GSCONV_ESTIMATE) {
            /* 2. ESTIMATE: the cost model's best candidate (tuner/tune.c). */
            gsconv_candidate *all;
            int n;
            if ((s = gsconv_candidates(p, isa, nthreads, &acc, have_path ? path : NULL, &all, &n)))
                return s;
            if (n == 0) {
                free(all);
                return gsconv_set_error(GSCONV_ERR_INTERNAL, "no applicable variant");
            }
            chosen = all[0].v;
            kp = all[0].kp;
            run_threads = all[0].threads;
            free(all);
            how = "estimate";
        }
        if (!chosen) {
            /* 3. MEASURE / PATIENT: tune now and store the pick. */
            gsconv_tune_options to;
            gsconv_tune_options_default(&to);
            to.rigor = opt.rigor;
            to.threads = nthreads;
            to.max_isa = opt.max_isa;
            to.cache_path = have_path ? path : NULL;
            to.no_winograd = !acc.winograd;
            to.max_rel_error = acc.max_rel_error;
            /* a pick made under a stricter constraint is not stored: it would replace the
             * entry that plans with the default constraint use */
            to.store = have_path && gsconv_accuracy_is_default(&acc);
            gsconv_tune_result tr;
            if ((s = gsconv_tune(p, &to, &tr))) return s;
            const int i = gsconv_variant_find(tr.best.variant);
            if (i < 0) return gsconv_set_error(GSCONV_ERR_INTERNAL, "tuner picked an unknown variant");
            chosen = &gsconv_registry[i];
            if (!gsconv_params_parse(chosen, tr.best.params, &kp)) gsconv_kparams_default(chosen, &kp);
            run_threads = tr.best.threads;
            how = opt.rigor == GSCONV_PATIENT ? "patient" : "measure";
        }
    }

    gsconv_plan *plan = calloc(1, sizeof *plan);
    if (!plan) return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "plan: out of memory");
    if ((s = gsconv_kinstance_init(&plan->ki, chosen, p, &kp, run_threads))) {
        free(plan);
        return s;
    }
    plan->verbose = env_flag("GSCONV_VERBOSE");
    if (plan->verbose) {
        char desc[256];
        gsconv_problem_format(p, desc, sizeof desc);
        char params[128];
        gsconv_params_format(chosen, &kp, params, sizeof params);
        fprintf(stderr,
                "gsconv: plan variant=%s params=%s desc=%s layout=%s threads=%d/%d isa=%s "
                "rigor=%s from=%s\n",
                chosen->name, params[0] ? params : "-", desc, gsconv_layout_name(p->layout),
                run_threads, nthreads, gsconv_isa_name(isa), gsconv_rigor_name(opt.rigor), how);
    }
    *out = plan;
    return GSCONV_OK;
}

gsconv_status gsconv_plan_set_weights(gsconv_plan *plan, const float *wei, const float *bias)
{
    if (!plan) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "plan is NULL");
    return gsconv_kinstance_set_weights(&plan->ki, wei, bias);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

gsconv_status gsconv_plan_execute(gsconv_plan *plan, const float *src, float *dst)
{
    if (!plan || !src || !dst)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "execute: NULL argument");
    if (!plan->ki.has_weights)
        return gsconv_set_error(GSCONV_ERR_NO_WEIGHTS, "execute: gsconv_plan_set_weights was not called");
    if (!plan->verbose) {
        gsconv_kinstance_execute(&plan->ki, src, dst);
        return GSCONV_OK;
    }
    const double t0 = now_ms();
    gsconv_kinstance_execute(&plan->ki, src, dst);
    const double ms = now_ms() - t0;
    char desc[256];
    gsconv_problem_format(&plan->ki.p, desc, sizeof desc);
    fprintf(stderr, "gsconv: exec variant=%s desc=%s layout=%s threads=%d time=%.4f ms\n",
            plan->ki.v->name, desc, gsconv_layout_name(plan->ki.p.layout), plan->ki.nthreads, ms);
    return GSCONV_OK;
}

const char *gsconv_plan_variant(const gsconv_plan *plan) { return plan ? plan->ki.v->name : NULL; }
int gsconv_plan_threads(const gsconv_plan *plan) { return plan ? plan->ki.nthreads : 0; }
const gsconv_problem *gsconv_plan_problem(const gsconv_plan *plan)
{
    return plan ? &plan->ki.p : NULL;
}

void gsconv_plan_destroy(gsconv_plan *plan)
{
    if (!plan) return;
    gsconv_kinstance_free(&plan->ki);
    free(plan);
}
