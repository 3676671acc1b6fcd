/* gemm_nchw_1x1__avx512: grouped 1x1 NCHW convolution with output channels along the
 * lanes (kernels/gemm_nchw_1x1.inc): tiles of 8 pixels x 3 zmm (24 accumulators). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT gemm_nchw_1x1__avx512
#define P1X_NVMAX 3
#define P1X_NVMAX4 4
#define P1X_MRDEF 8
#define P1X_NVDEF 3
#define P1X_RATE 105e9
#include "gemm_nchw_1x1.inc"
