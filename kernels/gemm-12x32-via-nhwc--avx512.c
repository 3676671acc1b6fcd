/* gemm_12x32_via_nhwc__avx512: NCHW convolution through gemm_12x32__avx512's NHWC GEMM
 * (the tensors transposed in the workspace; kernels/gemm_conv.inc, GK_VIA). */
#define GSCONV_VARIANT gemm_12x32_via_nhwc__avx512
#define GK_VIA 1
#include "gemm-12x32--avx512.c"
