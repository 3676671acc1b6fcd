/* direct_nhwc__avx512: the general NHWC direct kernel (kernels/direct_nhwc.inc). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT direct_nhwc__avx512
#include "direct_nhwc.inc"
