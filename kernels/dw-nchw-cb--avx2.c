/* dw_nchw_cb__avx2: depthwise 3x3/5x5 NCHW in channel blocks of 8, see dw_nchw_cb.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw_nchw_cb__avx2
/* estimate(): flops / (DWB_GFLOPS * lane utilisation) + (src + dst bytes) / DWB_GBS +
 * blocks x output rows x DWB_ROW_NS, in the units of dw_nchw__avx2's estimate: fitted
 * (least squares on the relative error, within -20% .. +13%) to this variant's times
 * scaled by dw_nchw__avx2's estimate / its time on the same shape, both measured in the
 * same run on 1 Zen 3 core (AVX2, no AVX-512; throwaway timer over the kernel API,
 * minimum of 9 rounds of 20 ms), us, dw_nchw__avx2 / this:
 * MobileNet v1: g32 112x112 203 / 174, g64 112->56 s2 250 / 163, g128 56x56 204 / 172,
 * g128 56->28 s2 120 / 84, g256 28x28 122 / 99, g256 28->14 s2 74 / 50, g512 14x14 70 /
 * 63, g512 14->7 s2 42 / 36, g1024 7x7 54 / 45; ShuffleNet v1 g3: g240 28x28 117 / 89,
 * g240 28->14 s2 69 / 47, g480 14x14 66 / 58, g480 14->7 s2 39 / 34, g960 7x7 51 / 42;
 * g240 28x28 5x5 232 / 171, g60 28x28 28 / 24. */
#define DWB_GFLOPS 173.5
#define DWB_GBS 33.6
#define DWB_ROW_NS 43.0
#include "dw_nchw_cb.inc"
