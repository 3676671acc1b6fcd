/* gemm_nchw_oc__avx512: grouped NCHW convolution as a GEMM with output channels along the
 * lanes (kernels/gemm_nchw_oc.inc): tiles of 8 pixels x 3 zmm (24 accumulators). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT gemm_nchw_oc__avx512
#define P1X_NVMAX 3
#define P1X_NVMAX4 4
#define P1X_MRDEF 8
#define P1X_NVDEF 3
#define P1X_RATE 110e9 /* Zen 4, 1 thread: AlexNet g1 11x11 s4 110, g2 5x5 114, g3 960->240 7x7 111 GFLOP/s */
#include "gemm_nchw_oc.inc"
