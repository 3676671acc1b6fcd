/* gemm_nchw_oc__neon: grouped NCHW convolution as a GEMM with output channels along the
 * lanes (kernels/gemm_nchw_oc.inc): tiles of 8 pixels x 3 q-registers (24 accumulators of the 32).
 * Rate: a placeholder (no AArch64 hardware here, qemu only). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT gemm_nchw_oc__neon
#define P1X_NVMAX 3
#define P1X_NVMAX4 4
#define P1X_MRDEF 8
#define P1X_NVDEF 3
#define P1X_RATE 10e9
#include "gemm_nchw_oc.inc"
