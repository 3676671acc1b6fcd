/* dw_nchw__avx2: depthwise 3x3/5x5 NCHW, see dw_nchw.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw_nchw__avx2
/* estimate(): flops / (DWC_GFLOPS * lane utilisation) + (src + dst bytes) / DWC_GBS +
 * output planes * DWC_PLANE_NS; fitted on 1 Zen 5 core (GSCONV_MAX_ISA=avx2 code), see dw_nchw.inc. */
#define DWC_GFLOPS 123.0
#define DWC_GBS 19.0
#define DWC_PLANE_NS 38.0
/* 3x3 in place (no fill, dw_nchw.inc's row mode reading src with vmaskmovps at the row
 * ends) only for outputs at most one vector wide. Zen 3 (AVX2), 1 core, throwaway A/B
 * timer over the kernel API, us, fill (flat or row mode) / in place: g240 7x7 17-23 /
 * 12.4-12.9; g240 14->7 s2 25.7 / 16.7; g384 7x7 27-32 / 20-22; g384 14->7 s2 41-64 /
 * 27.5; g960 7x7 69-73 / 50-51; g512 14->7 s2 56-57 / 36.4; g1024 7x7 74-75 / 54.6;
 * g64 16->8 s2 12.2 / 5.3; but wider: g120 14x14 17.4-17.7 / 20.7-22.2, g192 14x14
 * 28-34 / 33, g240 28x28 117-122 / 180, g128 56x56 192-227 / 518, g128 56->28 s2
 * 113-122 / 129. */
/* Stride 2 in place also for outputs up to 16 wide, since DWC_IP2_ANY: in-lane shuffles
 * only (the outputs in vf_evens_any's lane order, put back once per accumulator: 3
 * shuffles per input row and output vector instead of 6) and vmaskmovps with lane masks
 * made once per call (the branch per load of dwc_ld was most of the cost before).
 * Zen 3, us, fill / in place, alternated 3 times: g256 28->14 70-71 / 65-66; g240 28->14
 * 66-68 / 61-62; but g128 56->28 116-117 / 117 and g64 112->56 250-289 / 276-284. */
#define DWC_IP_RULE(p) ((p)->ow <= 8 || ((p)->sh == 2 && (p)->ow <= 16))
#define DWC_IP2_ANY 1
/* Weights from memory (DWC_WMEM): Zen 3, us, in registers / from memory, minimum of 10
 * rounds, alternated: g240 28x28 116.5 / 113.9, g512 14x14 72.5 / 70.2, g64 112->56 s2
 * 255 / 247, g128 56x56 and g32 112x112 even (203 / 206, 206 / 205). Measured besides
 * (throwaway builds, g240 28x28): without the fill 83 us, without the dst stores 95,
 * without both 59 (the stencil from L1, 64% of the FMA peak): the fill and the stores
 * are the rest, and software prefetch of the next plane (to L1 or L2, one or two planes
 * ahead) made every shape 3-15% slower. */
#define DWC_WMEM 1
#include "dw_nchw.inc"
