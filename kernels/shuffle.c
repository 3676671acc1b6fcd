/*
 * Standalone channel shuffle: argument checks and dispatch. The scalar reference lives
 * in reference.c; SIMD versions plug in here.
 */
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

gsconv_status gsconv_channel_shuffle(gsconv_layout layout, int64_t n, int64_t c, int64_t h,
                                     int64_t w, int64_t sg, const float *src, float *dst)
{
    gsconv_status s = check_shuffle(n, c, h, w, sg, src, dst, layout);
    if (s) return s;
    gsconv_ref_shuffle_impl(layout, n, c, h, w, sg, src, dst);
    return GSCONV_OK;
}
