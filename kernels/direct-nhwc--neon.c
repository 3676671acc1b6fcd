/* direct_nhwc__neon: the general NHWC direct kernel (kernels/direct_nhwc.inc). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT direct_nhwc__neon
#include "direct_nhwc.inc"
