/* gemm_12x32__avx512: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with
 * AVX-512 micro-kernels: NCHW tile 12 output channels x 2 zmm of pixels, NHWC tile 8
 * pixels x 3 zmm of output channels. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT gemm_12x32__avx512
#define GK_MR1 12
#define GK_NV1 2
#define GK_MR2 8
#define GK_NV2 3
#define GK_RATE 100e9
#include "gemm_conv.inc"
