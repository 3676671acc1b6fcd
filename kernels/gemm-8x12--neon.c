/* gemm_8x12__neon: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with NEON
 * micro-kernels: NCHW tile 8 output channels x 3 q registers of pixels, NHWC tile 8
 * pixels x 3 q registers of output channels (24 accumulators of the 32). */
#include "simd/vec_neon.h"
#ifndef GSCONV_VARIANT /* (gemm-*-via-nhwc--*.c include this file with their own name) */
#define GSCONV_VARIANT gemm_8x12__neon
#endif
#define GK_MR1 8
#define GK_NV1 3
#define GK_MR2 8
#define GK_NV2 3
#define GK3_M2 8
#define GK3_M3 8
#define GK3_M4 6
/* NOT measured (only run under qemu here): a nominal 2 x 128-bit FMA pipes at 2.5 GHz
 * = 40 GFLOP/s, times 0.9 */
#define GK_RATE 36e9
#include "gemm_conv.inc"
