/* fewc_nhwc__avx2: grouped conv with c/g, k/g <= 16, NHWC; see fewc_nhwc.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT fewc_nhwc__avx2
/* estimate(): flops / (FWN_GFLOPS * lane utilisation) + (src + dst bytes) / FWN_GBS */
#define FWN_GFLOPS 80.0
#define FWN_GBS 40.0
#include "fewc_nhwc.inc"
