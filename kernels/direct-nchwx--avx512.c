/* direct_nchwx__avx512: direct grouped conv, NCHW, output channels in the lanes; see
 * direct_nchwx.inc. DX_RATE: GFLOP/s with all lanes used (see dx_estimate there;
 * avx2 and neon: not measured, placeholders). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT direct_nchwx__avx512
#define DX_RATE 120e9
/* No prefetch of the next item's input by default (parameter "prefetch" = 2 turns it
 * on): Sapphire Rapids, 1 thread, us, min of 200, off / on, twice:
 * g32mb1ic512ih28oc512oh14kh3sh2ph1 261, 255 / 272, 273; g32mb1ic1024ih14oc1024oh7kh3sh2ph1
 * 225, 222 / 243, 226; g32mb1ic512ih14oc512oh14kh3ph1 176, 190 / 193, 192 (on Zen 5 it
 * had gained ~5%, within that VM's noise) */
#define DX_PREFETCH 0
#include "direct_nchwx.inc"
