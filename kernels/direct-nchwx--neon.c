/* direct_nchwx__neon: direct grouped conv, NCHW, output channels in the lanes; see
 * direct_nchwx.inc. DX_RATE: GFLOP/s with all lanes used (see dx_estimate there; not
 * measured, a placeholder). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT direct_nchwx__neon
#define DX_RATE 10e9
#include "direct_nchwx.inc"
