/* gemm_nchw_1x1__avx2: grouped 1x1 NCHW convolution with output channels along the
 * lanes (kernels/gemm_nchw_1x1.inc): tiles of 4 pixels x 3 ymm (12 accumulators; 8 x 1
 * measured 1.1-1.4x slower on Zen 4: g3 960->240 7x7 sg3 87.5 / 119.3 us, 480->120
 * 14x14 73.7 / 80.6). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_nchw_1x1__avx2
#define P1X_NVMAX 1
#define P1X_NVMAX4 3
#define P1X_MRDEF 4
#define P1X_NVDEF 3
#define P1X_RATE 95e9
#include "gemm_nchw_1x1.inc"
