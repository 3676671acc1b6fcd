/* fewc_nhwc__avx2: grouped conv with c/g, k/g <= 16, NHWC; see fewc_nhwc.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT fewc_nhwc__avx2
/* estimate(): flops / (FWN_GFLOPS * lane utilisation).
 * Zen 4, 1 thread, g32 3x3 NHWC: c/g 2 / 4 / 8 at 56x56 or 28x28: 35 / 46-51 / 61
 * GFLOP/s (the avx512 row: 57 / 92 / 98) */
#define FWN_GFLOPS 50.0
#include "fewc_nhwc.inc"
