/* direct_nchwx__avx512: direct grouped conv, NCHW, output channels in the lanes; see
 * direct_nchwx.inc. DX_RATE: GFLOP/s with all lanes used (see dx_estimate there;
 * avx2 and neon: not measured, placeholders). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT direct_nchwx__avx512
#define DX_RATE 120e9
/* The next item's input prefetched into L2 from inside the micro-kernel, two lines per
 * three steps (direct_nchwx.inc): Sapphire Rapids, 1 thread, us, min of 200, off / on:
 * g32mb1ic512ih28oc512oh14kh3sh2ph1 246 / 235, g32mb1ic256ih56oc256oh28kh3sh2ph1 542 /
 * 490, g32mb1ic1024ih14oc1024oh7kh3sh2ph1 211-213 / 211-214, the stride-1 layers the same.
 * (The earlier prefetch, every line of a call's share into L1 after the call, cost 4-7%
 * there: the prefetches stalled on full fill buffers.) */
#define DX_PREFETCH 1
/* In place against the tile: Sapphire Rapids, 1 thread, the ResNeXt layers of the
 * header of direct_nchwx.inc, 0.77-0.90 of the time (0.83 typical) */
#define DX_INPLACE 0.83
#include "direct_nchwx.inc"
