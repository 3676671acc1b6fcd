/* gemm_nchw_oc__avx2: grouped NCHW convolution as a GEMM with output channels along the
 * lanes (kernels/gemm_nchw_oc.inc): tiles of 4 pixels x 3 ymm (12 accumulators; 8 x 1
 * measured 1.1-1.4x slower on Zen 4: g3 960->240 7x7 sg3 87.5 / 119.3 us, 480->120
 * 14x14 73.7 / 80.6). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_nchw_oc__avx2
#define P1X_NVMAX 1
#define P1X_NVMAX4 3
#define P1X_MRDEF 4
#define P1X_NVDEF 3
#define P1X_RATE 100e9 /* Zen 4, 1 thread: AlexNet g1 11x11 s4 106, g2 5x5 106 GFLOP/s */
#include "gemm_nchw_oc.inc"
