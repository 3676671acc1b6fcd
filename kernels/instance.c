/*
 * Binding a registry variant to a problem: workspace, packed weights, execute.
 */
#include <string.h>

#include "kernel.h"

gsconv_status gsconv_kinstance_init(gsconv_kinstance *ki, const gsconv_variant *v,
                                    const gsconv_problem *p, const gsconv_kparams *kp,
                                    int nthreads)
{
    memset(ki, 0, sizeof *ki);
    ki->v = v;
    ki->p = *p;
    if (kp)
        ki->kp = *kp;
    else
        gsconv_kparams_default(v, &ki->kp);
    ki->nthreads = nthreads < 1 ? 1 : nthreads;
    ki->ws_bytes = v->ops->workspace_size(p, &ki->kp, ki->nthreads);
    if (ki->ws_bytes) {
        ki->ws = gsconv_aligned_alloc(ki->ws_bytes);
        if (!ki->ws)
            return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "%s: cannot allocate %zu bytes of workspace",
                                    v->name, ki->ws_bytes);
    }
    return GSCONV_OK;
}

gsconv_status gsconv_kinstance_set_weights(gsconv_kinstance *ki, const float *wei,
                                           const float *bias)
{
    if (!wei) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "weights pointer is NULL");
    const size_t bytes = ki->v->ops->packed_size(&ki->p, &ki->kp);
    if (bytes != ki->packed_bytes || !ki->packed) {
        void *mem = gsconv_aligned_alloc(bytes);
        if (!mem)
            return gsconv_set_error(GSCONV_ERR_NO_MEMORY,
                                    "%s: cannot allocate %zu bytes for packed weights",
                                    ki->v->name, bytes);
        gsconv_aligned_free(ki->packed);
        ki->packed = mem;
        ki->packed_bytes = bytes;
    }
    ki->v->ops->pack(&ki->p, &ki->kp, wei, bias, ki->packed);
    ki->has_weights = true;
    return GSCONV_OK;
}

void gsconv_kinstance_execute(const gsconv_kinstance *ki, const float *src, float *dst)
{
    ki->v->ops->execute(&ki->p, &ki->kp, ki->packed, src, dst, ki->ws, ki->nthreads);
}

void gsconv_kinstance_free(gsconv_kinstance *ki)
{
    gsconv_aligned_free(ki->packed);
    gsconv_aligned_free(ki->ws);
    memset(ki, 0, sizeof *ki);
}
