/* dw_nchw__avx2: depthwise 3x3/5x5 NCHW, see dw_nchw.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw_nchw__avx2
/* estimate(): flops / (DWC_GFLOPS * lane utilisation) + (src + dst bytes) / DWC_GBS +
 * output planes * DWC_PLANE_NS; fitted on 1 Zen 5 core (GSCONV_MAX_ISA=avx2 code), see dw_nchw.inc. */
#define DWC_GFLOPS 123.0
#define DWC_GBS 19.0
#define DWC_PLANE_NS 38.0
#include "dw_nchw.inc"
