/* dw_nhwc__avx2: depthwise 3x3/5x5 NHWC, see dw_nhwc.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw_nhwc__avx2
/* estimate(): flops / (DWN_GFLOPS * lane utilisation) + (src + dst bytes) / DWN_GBS;
 * measured on 1 Zen 4 core (see dw_nhwc.inc). */
/* (g240 28x28 in place 43-48 GFLOP/s; the bytes term at hot-L3 rates, as for avx512) */
#define DWN_GFLOPS 45.0
#define DWN_GBS 100.0
/* In place in pixel order (dw_nhwc.inc, DWN_PXORDER_RULE) for stride 2 and for inputs
 * bigger than 3/4 of L2, and staged only below that. Zen 3 (AVX2 only, 512 KiB L2), 1
 * core, throwaway A/B timer over the kernel API, us, in place block order / staged /
 * pixel order: g64 112->56 s2 143.6 / 169.2 / 107.8; g128 56x56 187.2 / 183.3 / 150.9;
 * g128 56->28 s2 85.6 / 92.2 / 57.3; g256 28x28 96.2 / 93.9 / 79.0; g256 28->14 s2 45.1
 * / 48.1 / 34.1; g512 14x14 80.8 / 51.1 / 50.2; g512 14->7 s2 28.3 / 24.1 / 17.8; g384
 * 14->7 s2 12.8 / 16.4 / 10.9; g192 28->14 s2 24.0 / 29.5 / 22.0; but within L2 block
 * order: g120 14x14 9.4 / 11.5 / 10.0; g192 14x14 14.0 / 16.3 / 16.0; g96 28x28 27.8 /
 * 32.0 / 29.2; g1024 7x7 65.5 / 29.2 / 33.8 (staged); even: g32 112x112 145.6 / 168.4 /
 * 146.7, g240 7x7 5.1 / 6.4 / 5.0. */
/* Tried for AVX2 on Zen 3 and not kept (1 core, throwaway A/B timer over the kernel API,
 * two builds alternated, minima in us, as kept / tried; the tuner's default paths):
 * 8-channel blocks (DWN_CB 8: one ymm per pixel, the 9 weights of a 3x3 block in
 * registers): g128 56x56 176 / 197, g256 28x28 87 / 102, g64 112->56 s2 131 / 149, only
 * g512 14x14 98 / 84; one vector of the pixel at a time over all kernel rows (T
 * accumulators, 3 weights, 1 input live) with strips of up to 8: with everything in L1
 * (g16 34x34 valid) 4.9 / 4.65, but g128 56x56 171 / 188, g256 28x28 92 / 105, g512 14x14
 * 71 / 111, g64 s2 127 / 147; dwn_tile's kernel-row loop unrolled at compile time where
 * all kw rows are inside: g16 34x34 4.9 / 5.9, g256 28x28 88 / 96 (the band functions
 * spilled); in pixel order, the row pointers, weights, bias and dst bumped per block
 * instead of recomputed, or the block's lane count a constant for whole blocks: no
 * change (g256 28x28 89 / 86-90, g128 56x56 168 / 169); block order with bands of 1, 2
 * or 4 rows: still slower than pixel order. This variant took 1.07-1.32x the time of
 * oneDNN 2.6's jit_dw:avx2 (its nhwc) on the MobileNet v1 depthwise layers (gsconv-bench mobilenet_v1_dw --layout nhwc
 * --peers --threads 1, tuned, 2026-12-06). For 3x3 without a channel multiplier
 * dw3x3_nhwc_24c__avx2 (oneDNN's strip shape, straight-line code) is 1.0-1.3x faster on
 * those layers but 7x7 and the tuner times both. */
#define DWN_PXORDER_RULE(p) ((p)->sh == 2 || dwn_src_bytes(p) * 4 > (int64_t)gsconv_gemm_cache_sizes()->l2 * 3)
#define DWN_STAGE_RULE(p) ((p)->c % 256 == 0 && (p)->sh == 1 && !DWN_PXORDER_RULE(p))
#include "dw_nhwc.inc"
