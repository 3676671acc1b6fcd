/*
 * The registry: every variant, what it needs, and the applicability check that says
 * why not. Rows come from registry.inc.
 */
#include <stdio.h>
#include <string.h>

#include "kernel.h"

#define ROW(nm, al, is, tl) extern const gsconv_kernel_ops gsconv_f32_gconv_##nm;
#include "registry.inc"
#undef ROW

const gsconv_variant gsconv_registry[] = {
#define ROW(nm, al, is, tl)                                                                  \
    {.name = #nm,                                                                            \
     .algo = GSCONV_ALGO_##al,                                                               \
     .isa = GSCONV_ISA_##is,                                                                 \
     .tol = GSCONV_TOL_##tl,                                                                 \
     .ops = &gsconv_f32_gconv_##nm},
#include "registry.inc"
#undef ROW
};

const int gsconv_registry_size = (int)(sizeof gsconv_registry / sizeof gsconv_registry[0]);

/* ---------------------------------------------------------------- standalone shuffle */

#define SHUF(nm, lay, is)                                                                    \
    void gsconv_f32_##nm(int64_t n, int64_t c, int64_t h, int64_t w, int64_t sg,             \
                         const float *src, float *dst, int nthreads);
#define SHUF_ROWS                                                                            \
    SHUF(shuffle_nchw__scalar, NCHW, SCALAR)                                                 \
    SHUF(shuffle_nhwc__scalar, NHWC, SCALAR)                                                 \
    SHUF_ROWS_ARCH
#if GSCONV_ARCH_X86
#define SHUF_ROWS_ARCH                                                                       \
    SHUF(shuffle_nchw__avx2, NCHW, AVX2)                                                     \
    SHUF(shuffle_nhwc__avx2, NHWC, AVX2)                                                     \
    SHUF(shuffle_nchw__avx512, NCHW, AVX512)                                                 \
    SHUF(shuffle_nhwc__avx512, NHWC, AVX512)
#elif GSCONV_ARCH_ARM64
#define SHUF_ROWS_ARCH                                                                       \
    SHUF(shuffle_nchw__neon, NCHW, NEON)                                                     \
    SHUF(shuffle_nhwc__neon, NHWC, NEON)
#else
#define SHUF_ROWS_ARCH
#endif
SHUF_ROWS
#undef SHUF

const gsconv_shuffle_variant gsconv_shuffle_registry[] = {
#define SHUF(nm, lay, is)                                                                    \
    {.name = #nm, .layout = GSCONV_##lay, .isa = GSCONV_ISA_##is, .run = gsconv_f32_##nm},
    SHUF_ROWS
#undef SHUF
};

const int gsconv_shuffle_registry_size =
    (int)(sizeof gsconv_shuffle_registry / sizeof gsconv_shuffle_registry[0]);

bool gsconv_isa_allowed(gsconv_isa isa, gsconv_isa avail)
{
    if (isa == GSCONV_ISA_SCALAR) return true;
    if (avail == GSCONV_ISA_BEST) return true;
    if (isa == GSCONV_ISA_NEON) return avail == GSCONV_ISA_NEON;
    if (avail == GSCONV_ISA_NEON) return false;
    return (int)isa <= (int)avail; /* x86: scalar < avx2 < avx512 */
}

gsconv_isa gsconv_isa_cap(gsconv_isa avail, gsconv_isa cap)
{
    if (cap == GSCONV_ISA_BEST || gsconv_isa_allowed(avail, cap)) return avail;
    return gsconv_isa_allowed(cap, avail) ? cap : GSCONV_ISA_SCALAR;
}

bool gsconv_registry_applicable(const gsconv_variant *v, const gsconv_problem *p,
                                gsconv_isa avail, char *why, size_t why_len)
{
    if (!gsconv_isa_allowed(v->isa, avail)) {
        if (why && why_len) snprintf(why, why_len, "needs %s", gsconv_isa_name(v->isa));
        return false;
    }
    if (gsconv_problem_check(p, why, why_len) != GSCONV_OK) return false;
    return v->ops->applicable(p, why, why_len);
}

void gsconv_kparams_default(const gsconv_variant *v, gsconv_kparams *kp)
{
    memset(kp, 0, sizeof *kp);
    for (int i = 0; i < GSCONV_MAX_PARAMS; i++)
        if (v->ops->params[i].nvalues > 0) kp->v[i] = v->ops->params[i].values[0];
}

/* ---------------------------------------------------------------- public queries */

int gsconv_variant_count(void) { return gsconv_registry_size; }

const char *gsconv_variant_name(int i)
{
    return i >= 0 && i < gsconv_registry_size ? gsconv_registry[i].name : NULL;
}

gsconv_isa gsconv_variant_isa(int i)
{
    return i >= 0 && i < gsconv_registry_size ? gsconv_registry[i].isa : GSCONV_ISA_SCALAR;
}

int gsconv_variant_find(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < gsconv_registry_size; i++)
        if (strcmp(gsconv_registry[i].name, name) == 0) return i;
    return -1;
}

gsconv_status gsconv_variant_applicable(int i, const gsconv_problem *p, char *why,
                                        size_t why_len)
{
    char tmp[256];
    if (i < 0 || i >= gsconv_registry_size)
        return gsconv_set_error(GSCONV_ERR_UNKNOWN_VARIANT, "variant index %d out of range", i);
    if (!p) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "problem is NULL");
    if (!gsconv_registry_applicable(&gsconv_registry[i], p, gsconv_isa_available(), tmp,
                                    sizeof tmp)) {
        if (why && why_len) snprintf(why, why_len, "%s", tmp);
        return gsconv_set_error(GSCONV_ERR_NOT_APPLICABLE, "%s: %s", gsconv_registry[i].name, tmp);
    }
    return GSCONV_OK;
}
