/* dw_nhwc__neon: depthwise 3x3/5x5 NHWC, see dw_nhwc.inc. */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT dw_nhwc__neon
/* estimate(): flops / (DWN_GFLOPS * lane utilisation) + (src + dst bytes) / DWN_GBS;
 * measured on 1 Zen 4 core (see dw_nhwc.inc). */
#define DWN_GFLOPS 60.0
#define DWN_GBS 40.0
#include "dw_nhwc.inc"
