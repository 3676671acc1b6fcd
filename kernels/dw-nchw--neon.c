/* dw_nchw__neon: depthwise 3x3/5x5 NCHW, see dw_nchw.inc. */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT dw_nchw__neon
/* estimate(): flops / (DWC_GFLOPS * lane utilisation) + (src + dst bytes) / DWC_GBS +
 * output planes * DWC_PLANE_NS. NOT measured (no AArch64 hardware here, qemu only):
 * placeholders, about half the AVX2 rates. */
#define DWC_GFLOPS 60.0
#define DWC_GBS 10.0
#define DWC_PLANE_NS 100.0
#include "dw_nchw.inc"
