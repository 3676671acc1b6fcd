/* direct_nchwx__avx2: direct grouped conv, NCHW, output channels in the lanes; see
 * direct_nchwx.inc. DX_RATE: GFLOP/s with all lanes used (see dx_estimate there). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT direct_nchwx__avx2
/* Zen 3 fit (least squares on log time, 49 NCHW layers of ResNeXt-50 and ShuffleNet v1
 * g3 / g8 that are not depthwise, 1 thread, two runs: 78 and 82 GFLOP/s, 18 and 20 ns per
 * call, in the units of the dev machine's peak; estimate / measured p10-p90 0.56-1.08
 * with the rate alone, 0.74-1.18 with both) */
#define DX_RATE 80e9
#define DX_CALL_S 19e-9
/* No prefetch of the next item's input: Zen 3, 1 thread, us, with / without, alternated
 * 4 times (minima): g32mb1ic1024ih14oc1024oh7kh3sh2ph1 460 / 428,
 * g32mb1ic512ih28oc512oh14kh3sh2ph1 468 / 426, g32mb1ic512ih14oc512oh14kh3ph1 369 / 358,
 * g32mb1ic1024ih7oc1024oh7kh3ph1 392 / 391; to L2 instead of L1: 455, 467, 368, 392. */
#define DX_PREFETCH 0
#define DX_FLAT 1
#include "direct_nchwx.inc"
