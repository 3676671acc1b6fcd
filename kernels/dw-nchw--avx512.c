/* dw_nchw__avx512: depthwise 3x3/5x5 NCHW, see dw_nchw.inc. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT dw_nchw__avx512
/* estimate(): flops / (DWC_GFLOPS * lane utilisation) + (src + dst bytes) / DWC_GBS +
 * output planes * DWC_PLANE_NS; fitted on 1 Zen 5 core, see dw_nchw.inc. */
#define DWC_GFLOPS 480.0
#define DWC_GBS 22.0
#define DWC_PLANE_NS 57.0
#include "dw_nchw.inc"
