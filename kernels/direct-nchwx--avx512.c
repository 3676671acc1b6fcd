/* direct_nchwx__avx512: direct grouped conv, NCHW, output channels in the lanes; see
 * direct_nchwx.inc. DX_RATE: GFLOP/s with all lanes used (see dx_estimate there;
 * avx2 and neon: not measured, placeholders). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT direct_nchwx__avx512
#define DX_RATE 120e9
#include "direct_nchwx.inc"
