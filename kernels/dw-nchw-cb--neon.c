/* dw_nchw_cb__neon: depthwise 3x3/5x5 NCHW in channel blocks of 4, see dw_nchw_cb.inc. */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT dw_nchw_cb__neon
/* estimate(): as dw_nchw_cb__avx2's. NOT measured (no AArch64 hardware here, qemu
 * only): placeholders below dw_nchw__neon's (themselves placeholders), so that the cost
 * model keeps dw_nchw__neon until a core has timed both. */
#define DWB_GFLOPS 40.0
#define DWB_GBS 8.0
#define DWB_ROW_NS 100.0
#include "dw_nchw_cb.inc"
