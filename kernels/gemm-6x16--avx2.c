/* gemm_6x16__avx2: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with AVX2
 * micro-kernels: NCHW tile 6 output channels x 2 ymm of pixels, NHWC tile 6 pixels x 2
 * ymm of output channels (12 accumulators + 2 + 1 of the 16 ymm registers). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_6x16__avx2
#define GK_MR1 6
#define GK_NV1 2
#define GK_MR2 6
#define GK_NV2 2
#define GK3_M2 4
#define GK3_M3 3
#define GK3_M4 2
/* measured on Zen 4 (2 x 256-bit FMA pipes, so AVX2 reaches the same peak): 0.92-1.0 of
 * 116.8 GFLOP/s on g1 512x512 1x1 and AlexNet g2 5x5 NHWC, single thread */
#define GK_RATE 105e9
#include "gemm_conv.inc"
