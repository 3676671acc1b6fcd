/* gemm_6x16__avx2: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with AVX2
 * micro-kernels: NCHW tile 6 output channels x 2 ymm of pixels, NHWC tile 6 pixels x 2
 * ymm of output channels (12 accumulators + 2 + 1 of the 16 ymm registers). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_6x16__avx2
#define GK_MR1 6
#define GK_NV1 2
#define GK_MR2 6
#define GK_NV2 2
#define GK_RATE 90e9
#include "gemm_conv.inc"
