/* fewc_nhwc__avx512: grouped conv with c/g, k/g <= 16, NHWC; see fewc_nhwc.inc. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT fewc_nhwc__avx512
/* estimate(): flops / (FWN_GFLOPS * lane utilisation).
 * Zen 4, 1 thread, g32 3x3 NHWC: c/g 2 / 4 / 8 / 16 at 56x56 or 28x28: 57 / 92 / 98 / 98
 * GFLOP/s */
#define FWN_GFLOPS 90.0
#include "fewc_nhwc.inc"
