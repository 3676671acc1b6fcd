/* dw_nchw_cb__avx512: depthwise 3x3/5x5 NCHW in channel blocks of 16, see dw_nchw_cb.inc. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT dw_nchw_cb__avx512
/* estimate(): as dw_nchw_cb__avx2's. NOT measured yet (written on a Zen 3 without
 * AVX-512): the AVX2 build's rates divided by 1.25 and its per-row cost doubled (a row of
 * a 16-channel block is two of 8), so that the cost model ranks this below the measured
 * AVX2 build until an AVX-512 core has timed it; the tuner times it either way. */
#define DWB_GFLOPS (173.5 / 1.25)
#define DWB_GBS (33.6 / 1.25)
#define DWB_ROW_NS (2 * 43.0 * 1.25)
#include "dw_nchw_cb.inc"
