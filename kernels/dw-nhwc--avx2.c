/* dw_nhwc__avx2: depthwise 3x3/5x5 NHWC, see dw_nhwc.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw_nhwc__avx2
/* estimate(): flops / (DWN_GFLOPS * lane utilisation) + (src + dst bytes) / DWN_GBS;
 * measured on 1 Zen 4 core (see dw_nhwc.inc). */
/* (g240 28x28 in place 43-48 GFLOP/s; the bytes term at hot-L3 rates, as for avx512) */
#define DWN_GFLOPS 45.0
#define DWN_GBS 100.0
#include "dw_nhwc.inc"
