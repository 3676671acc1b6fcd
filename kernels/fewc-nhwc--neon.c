/* fewc_nhwc__neon: grouped conv with c/g, k/g <= 16, NHWC; see fewc_nhwc.inc. */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT fewc_nhwc__neon
/* estimate(): flops / (FWN_GFLOPS * lane utilisation) */
#define FWN_GFLOPS 80.0
#include "fewc_nhwc.inc"
