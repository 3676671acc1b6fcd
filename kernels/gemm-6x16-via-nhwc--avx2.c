/* gemm_6x16_via_nhwc__avx2: NCHW convolution through gemm_6x16__avx2's NHWC GEMM (the
 * tensors transposed in the workspace; kernels/gemm_conv.inc, GK_VIA). */
#define GSCONV_VARIANT gemm_6x16_via_nhwc__avx2
#define GK_VIA 1
#include "gemm-6x16--avx2.c"
