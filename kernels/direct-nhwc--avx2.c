/* direct_nhwc__avx2: the general NHWC direct kernel (kernels/direct_nhwc.inc). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT direct_nhwc__avx2
#include "direct_nhwc.inc"
