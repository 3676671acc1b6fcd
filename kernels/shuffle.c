/*
 * Standalone channel shuffle: argument checks, the scalar rows of the shuffle table and
 * the dispatch to the best row the CPU allows (gsconv_shuffle_registry, registry.c). The
 * scalar reference lives in reference.c; the SIMD rows in shuffle.inc.
 */
#include <omp.h>
#include <string.h>

#include "kernel.h"

static gsconv_status check_shuffle(int64_t n, int64_t c, int64_t h, int64_t w, int64_t sg,
                                   const float *src, float *dst, gsconv_layout layout)
{
    if (!src || !dst)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "channel shuffle: NULL tensor");
    if (layout != GSCONV_NCHW && layout != GSCONV_NHWC)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "channel shuffle: unknown layout %d",
                                (int)layout);
    if (n < 1 || c < 1 || h < 1 || w < 1 || sg < 1)
        return gsconv_set_error(GSCONV_ERR_BAD_SHAPE,
                                "channel shuffle: sizes must be >= 1 (n %lld c %lld h %lld w %lld "
                                "sg %lld)",
                                (long long)n, (long long)c, (long long)h, (long long)w,
                                (long long)sg);
    if (c % sg)
        return gsconv_set_error(GSCONV_ERR_BAD_SHAPE,
                                "channel shuffle: c %lld is not a multiple of sg %lld",
                                (long long)c, (long long)sg);
    const int64_t lim = (int64_t)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float));
    if (n > lim / c || n * c > lim / h || n * c * h > lim / w)
        return gsconv_set_error(GSCONV_ERR_OVERFLOW, "channel shuffle: element count overflows");
    return GSCONV_OK;
}

gsconv_status gsconv_reference_shuffle(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                                       int64_t w, int64_t sg, const float *src, float *dst)
{
    gsconv_status s = check_shuffle(n, c, h, w, sg, src, dst, layout);
    if (s) return s;
    gsconv_ref_shuffle_impl(layout, n, c, h, w, sg, src, dst);
    return GSCONV_OK;
}

/* ---------------------------------------------------------------- scalar rows */

/* NCHW: dst plane d is src plane (d % sg) * per + d / sg. */
void gsconv_f32_shuffle_nchw__scalar(int64_t n, int64_t c, int64_t h, int64_t w, int64_t sg,
                                     const float *src, float *dst, int nthreads)
{
    const int64_t hw = h * w, per = c / sg, planes = n * c;
    nthreads = gsconv_shuffle_team(planes * hw * (int64_t)sizeof(float), planes, nthreads);
    GSCONV_FOR(nthreads > 1, static,
    for (int r = 0; r < nthreads; r++) { /* a contiguous range of planes each */
        int64_t lo, hi;
        gsconv_shuffle_range(planes, r, nthreads, &lo, &hi);
        for (int64_t t = lo; t < hi; t++) {
            const int64_t b = t / c, d = t % c;
            memcpy(dst + t * hw, src + (b * c + (d % sg) * per + d / sg) * hw,
                   (size_t)hw * sizeof(float));
        }
    });
}

/* NHWC: per pixel, dst[i*sg + j] = src[j*per + i]. */
void gsconv_f32_shuffle_nhwc__scalar(int64_t n, int64_t c, int64_t h, int64_t w, int64_t sg,
                                     const float *src, float *dst, int nthreads)
{
    const int64_t pix = n * h * w;
    nthreads = gsconv_shuffle_team(pix * c * (int64_t)sizeof(float), pix, nthreads);
    GSCONV_FOR(nthreads > 1, static,
    for (int r = 0; r < nthreads; r++) { /* a contiguous range of pixels each */
        int64_t lo, hi;
        gsconv_shuffle_range(pix, r, nthreads, &lo, &hi);
        gsconv_shuffle_pixels_scalar(hi - lo, c, sg, src + lo * c, dst + lo * c);
    });
}

/* ---------------------------------------------------------------- dispatch */

static int isa_rank(gsconv_isa isa)
{
    return isa == GSCONV_ISA_SCALAR ? 0 : isa == GSCONV_ISA_AVX512 ? 2 : 1;
}

const gsconv_shuffle_variant *gsconv_shuffle_best(gsconv_layout layout, gsconv_isa avail)
{
    const gsconv_shuffle_variant *best = NULL;
    for (int i = 0; i < gsconv_shuffle_registry_size; i++) {
        const gsconv_shuffle_variant *v = &gsconv_shuffle_registry[i];
        if (v->layout != layout || !gsconv_isa_allowed(v->isa, avail)) continue;
        if (!best || isa_rank(v->isa) > isa_rank(best->isa)) best = v;
    }
    return best;
}

gsconv_status gsconv_channel_shuffle(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                                     int64_t w, int64_t sg, const float *src, float *dst)
{
    gsconv_status s = check_shuffle(n, c, h, w, sg, src, dst, layout);
    if (s) return s;
    const gsconv_shuffle_variant *v = gsconv_shuffle_best(layout, gsconv_isa_available());
    if (v)
        v->run(n, c, h, w, sg, src, dst, omp_get_max_threads());
    else
        gsconv_ref_shuffle_impl(layout, n, c, h, w, sg, src, dst);
    return GSCONV_OK;
}
