/* dw_nhwc__avx512: depthwise 3x3/5x5 NHWC, see dw_nhwc.inc. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT dw_nhwc__avx512
/* estimate(): flops / (DWN_GFLOPS[_INPLACE] * lane utilisation) + (src + dst bytes) /
 * DWN_GBS; measured on 1 Zen 4 core (see dw_nhwc.inc): staged, and in place (band calls,
 * the 9 weights in registers: g240 28x28 88 GFLOP/s, 14x14 96, against 67 for
 * dw_nhwc_32c in place on g256 28x28), so in place this variant comes before 32c. */
#define DWN_GFLOPS 60.0
#define DWN_GFLOPS_INPLACE 80.0
#define DWN_GBS 100.0
#include "dw_nhwc.inc"
