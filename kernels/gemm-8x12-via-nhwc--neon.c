/* gemm_8x12_via_nhwc__neon: NCHW convolution through gemm_8x12__neon's NHWC GEMM (the
 * tensors transposed in the workspace; kernels/gemm_conv.inc, GK_VIA). */
#define GSCONV_VARIANT gemm_8x12_via_nhwc__neon
#define GK_VIA 1
#include "gemm-8x12--neon.c"
