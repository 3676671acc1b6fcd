/*
 * Winograd accuracy (docs/winograd.md). For every wino_* registry variant this machine
 * runs, and every test shape (c/g from 1 to 192), the error against the double-precision
 * reference is measured on
 *   normal  random normal data and weights (and bias), and
 *   wide    the same times 2^U(-8,8) per element: a large dynamic range, the worst case
 *           (reported, and checked against its documented figure too),
 * as eta = max over outputs of |y - ref| / (2^-24 * (sum_j |w_j x_j| + |bias|)), the
 * normwise error in units of fp32 rounding, and rel = max |y - ref| / max |ref|.
 * Checks:
 *  - eta(normal) <= the variant's error_factor(p), the bound the sweep holds it to;
 *  - eta and rel match the figures documented for the tile (within a factor 1.3 up,
 *    and not below half: the documentation stays true when the code changes);
 *  - NHWC gives bit for bit the NCHW result (same arithmetic whatever the layout);
 *  - GSCONV_NO_WINOGRAD=1 turns every wino variant off with that reason.
 * Usage: test_winograd [--print]   (--print: the table for the docs)
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernel.h"

static const char *const shapes[] = {
    "g16mb1ic16ih30oc256oh30kh3ph1", /* c/g 1 */
    "g4mb2ic32ih18oc64oh18kh3ph1",   /* c/g 8, batch 2 */
    "g1mb1ic32ih18oc32oh18kh3ph1",   /* c/g 32 */
    "g1mb1ic128ih12oc32oh12kh3ph1",  /* c/g 128 */
    "g2mb1ic384ih13oc64oh13kh3ph1",  /* c/g 192 (AlexNet's groups) */
};
#define NSHAPES ((int)(sizeof shapes / sizeof shapes[0]))

/* Documented figures (docs/winograd.md, measured by this test with --print; the same on
 * AVX-512, AVX2 and NEON): [tile][shape] = {eta normal, rel normal, eta wide, rel wide}. */
typedef struct {
    double eta_n, rel_n, eta_w, rel_w;
} figures;
static const figures documented[3][NSHAPES] = {
    /* F(2x2,3x3) */
    {{11.0, 1.62e-07, 161042.1, 1.69e-07}, {2.7, 1.84e-07, 332.3, 1.24e-07}, {1.7, 2.27e-07, 40.5, 2.52e-07}, {1.5, 3.75e-07, 9.8, 3.5e-07}, {1.6, 5.07e-07, 9.7, 6.43e-07}},
    /* F(4x4,3x3) */
    {{127.9, 1.26e-06, 3076884.0, 3.48e-07}, {24.5, 1.33e-06, 2030.4, 7.44e-07}, {11.2, 1.44e-06, 126.6, 9.51e-07}, {11.5, 2.17e-06, 103.3, 5.07e-06}, {11.4, 3.65e-06, 97.6, 3.64e-06}},
    /* F(6x6,3x3) */
    {{491.3, 8.08e-06, 51972531.0, 1.64e-06}, {118.0, 6.1e-06, 43535.5, 6.46e-06}, {80.9, 5.5e-06, 1465.2, 8.81e-06}, {81.8, 1.28e-05, 379.6, 7.53e-06}, {66.6, 1.44e-05, 480.9, 2.16e-05}},
};

static uint64_t rng_state;
static uint64_t next_u64(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(void) { return ((double)(next_u64() >> 11) + 0.5) * 0x1.0p-53; }
static void fill(float *x, size_t n, bool wide)
{
    for (size_t i = 0; i < n; i++) {
        double v = sqrt(-2.0 * log(uniform())) * cos(6.283185307179586 * uniform());
        if (wide) v *= exp2(16.0 * uniform() - 8.0);
        x[i] = (float)v;
    }
}

static float *alloc_floats(size_t n)
{
    float *p = gsconv_aligned_alloc(n * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

/* NCHW <-> NHWC copies of an n x c x h x w tensor */
static void to_nhwc(const gsconv_problem *p, int64_t c, int64_t h, int64_t w, const float *in, float *out)
{
    for (int64_t b = 0; b < p->n; b++)
        for (int64_t ch = 0; ch < c; ch++)
            for (int64_t i = 0; i < h * w; i++) out[(b * h * w + i) * c + ch] = in[(b * c + ch) * h * w + i];
}

typedef struct {
    const float *src, *wei, *bias, *ref, *absr;
} data;

static bool run(const gsconv_variant *v, const gsconv_problem *p, const float *src, const float *wei,
                const float *bias, float *dst)
{
    gsconv_kinstance ki;
    if (gsconv_kinstance_init(&ki, v, p, NULL, 1) || gsconv_kinstance_set_weights(&ki, wei, bias)) {
        check_fail(__FILE__, __LINE__, "%s: setup failed: %s", v->name, gsconv_last_error());
        gsconv_kinstance_free(&ki);
        return false;
    }
    gsconv_kinstance_execute(&ki, src, dst);
    gsconv_kinstance_free(&ki);
    return true;
}

int main(int argc, char **argv)
{
    const bool print = argc > 1 && strcmp(argv[1], "--print") == 0;
    const gsconv_isa avail = gsconv_isa_available();
    int nvariants = 0;
    for (int vi = 0; vi < gsconv_registry_size; vi++) {
        const gsconv_variant *v = &gsconv_registry[vi];
        if (v->algo != GSCONV_ALGO_WINOGRAD) continue;
        nvariants++;
        CHECK(v->tol == GSCONV_TOL_WINOGRAD && v->ops->error_factor,
              "%s: Winograd variants need tolerance class WINOGRAD and an error_factor", v->name);
        if (!gsconv_isa_allowed(v->isa, avail)) SKIP("%s skipped (no %s)", v->name, gsconv_isa_name(v->isa));
    }
    CHECK(nvariants > 0, "no Winograd variant in the registry");

    for (int si = 0; si < NSHAPES; si++) {
        gsconv_problem p;
        if (gsconv_problem_parse(&p, shapes[si]) != GSCONV_OK) {
            check_fail(__FILE__, __LINE__, "%s: %s", shapes[si], gsconv_last_error());
            continue;
        }
        const size_t ns = gsconv_problem_src_elems(&p), nw = gsconv_problem_wei_elems(&p),
                     nd = gsconv_problem_dst_elems(&p);
        float *src = alloc_floats(ns), *wei = alloc_floats(nw), *bias = alloc_floats((size_t)p.k),
              *ref = alloc_floats(nd), *absr = alloc_floats(nd), *out = alloc_floats(nd),
              *src2 = alloc_floats(ns), *out2 = alloc_floats(nd), *out2t = alloc_floats(nd);
        for (int wide = 0; wide < 2; wide++) {
            rng_state = 0xC0FFEEu + (uint64_t)si * 131u + (uint64_t)wide;
            fill(src, ns, wide);
            fill(wei, nw, wide);
            fill(bias, (size_t)p.k, wide);
            gsconv_ref_conv_impl(&p, src, wei, bias, ref, 1);
            {
                float *as = alloc_floats(ns), *aw = alloc_floats(nw), *ab = alloc_floats((size_t)p.k);
                for (size_t i = 0; i < ns; i++) as[i] = fabsf(src[i]);
                for (size_t i = 0; i < nw; i++) aw[i] = fabsf(wei[i]);
                for (int64_t i = 0; i < p.k; i++) ab[i] = fabsf(bias[i]);
                gsconv_ref_conv_impl(&p, as, aw, ab, absr, 1);
                gsconv_aligned_free(as), gsconv_aligned_free(aw), gsconv_aligned_free(ab);
            }
            double refmax = 0;
            for (size_t i = 0; i < nd; i++) refmax = fmax(refmax, fabs((double)ref[i]));
            for (int vi = 0; vi < gsconv_registry_size; vi++) {
                const gsconv_variant *v = &gsconv_registry[vi];
                if (v->algo != GSCONV_ALGO_WINOGRAD || !gsconv_isa_allowed(v->isa, avail)) continue;
                char why[128];
                if (!gsconv_registry_applicable(v, &p, avail, why, sizeof why)) {
                    check_fail(__FILE__, __LINE__, "%s %s: not applicable: %s", v->name, shapes[si], why);
                    continue;
                }
                const int m = v->name[6] - '0'; /* wino_f<m>k3__... */
                const int ti = m / 2 - 1;
                if (strncmp(v->name, "wino_f", 6) != 0 || ti < 0 || ti > 2) {
                    check_fail(__FILE__, __LINE__, "%s: unexpected Winograd variant name", v->name);
                    continue;
                }
                if (!run(v, &p, src, wei, bias, out)) continue;
                double eta = 0, err = 0;
                for (size_t i = 0; i < nd; i++) {
                    const double d = fabs((double)out[i] - (double)ref[i]);
                    err = fmax(err, d);
                    eta = fmax(eta, d / (0x1.0p-24 * (double)absr[i]));
                    if (!(d == d)) eta = INFINITY;
                }
                const double rel = err / refmax, bound = v->ops->error_factor(&p);
                const figures *f = &documented[ti][si];
                const double doc_eta = wide ? f->eta_w : f->eta_n, doc_rel = wide ? f->rel_w : f->rel_n;
                if (print)
                    printf("%-20s %-32s %-6s eta %10.1f  rel %9.3g  bound %8.0f\n", v->name, shapes[si],
                           wide ? "wide" : "normal", eta, rel, bound);
                if (!wide)
                    CHECK(eta <= bound, "%s %s: eta %.1f above the error_factor bound %.1f", v->name, shapes[si],
                          eta, bound);
                CHECK(eta <= 1.3 * doc_eta && eta >= 0.5 * doc_eta && rel <= 1.3 * doc_rel && rel >= 0.5 * doc_rel,
                      "%s %s %s: eta %.1f rel %.3g, documented %.1f and %.3g", v->name, shapes[si],
                      wide ? "wide" : "normal", eta, rel, doc_eta, doc_rel);
                /* NHWC: the same arithmetic, bit for bit */
                if (!wide) {
                    gsconv_problem q = p;
                    q.layout = GSCONV_NHWC;
                    to_nhwc(&p, p.c, p.h, p.w, src, src2);
                    if (run(v, &q, src2, wei, bias, out2)) {
                        to_nhwc(&p, p.k, p.oh, p.ow, out, out2t);
                        CHECK(memcmp(out2, out2t, nd * sizeof(float)) == 0, "%s %s: NHWC differs from NCHW",
                              v->name, shapes[si]);
                    }
                }
            }
        }
        float *all[] = {src, wei, bias, ref, absr, out, src2, out2, out2t};
        for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) gsconv_aligned_free(all[i]);
    }

    /* the switch that turns Winograd off */
    {
        gsconv_problem p;
        gsconv_problem_parse(&p, shapes[2]);
        setenv("GSCONV_NO_WINOGRAD", "1", 1);
        for (int vi = 0; vi < gsconv_registry_size; vi++) {
            const gsconv_variant *v = &gsconv_registry[vi];
            if (v->algo != GSCONV_ALGO_WINOGRAD) continue;
            char why[128] = "";
            const bool ok = v->ops->applicable(&p, why, sizeof why);
            CHECK(!ok && strstr(why, "GSCONV_NO_WINOGRAD"), "%s: GSCONV_NO_WINOGRAD=1 ignored (%s)", v->name, why);
        }
        unsetenv("GSCONV_NO_WINOGRAD");
        for (int vi = 0; vi < gsconv_registry_size; vi++) {
            const gsconv_variant *v = &gsconv_registry[vi];
            if (v->algo != GSCONV_ALGO_WINOGRAD) continue;
            CHECK(v->ops->applicable(&p, NULL, 0), "%s: not applicable to %s", v->name, shapes[2]);
        }
    }
    return check_summary("test_winograd");
}
