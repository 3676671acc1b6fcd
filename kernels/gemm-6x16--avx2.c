/* gemm_6x16__avx2: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with AVX2
 * micro-kernels: NCHW tile 6 output channels x 2 ymm of pixels; NHWC tiles of 12
 * accumulators (+ the weights and a broadcast: the 16 ymm registers), 4 pixels x 3 ymm
 * of output channels where a panel is 3 vectors wide, else 6 x 2 ("nv" 2 keeps 6 x 2).
 * 4 x 3 since a 1-vector panel (6 x 1: 6 accumulators and a broadcast per FMA) took as
 * long as a 2-vector one: Zen 3, 1 thread, throwaway A/B timer over the kernel API,
 * us, 6 x 2 panels (+ 6 x 1) / 4 x 3: g1 80->20 28x28 35.0 / 28.0-28.4, 80->24 35.0 /
 * 30.8-31.7; g3 240->60 28x28 sg3 114-116 / 95-96; g3 480->120 14x14 sg3 92-93 / 86;
 * g3 240->120 sg3 178-179 / 168-172; g3 60->240 97-100 / 92; g8 96->384 113-116 /
 * 103-108; g8 384->96 sg8 (1.5 vectors) even; with long K about even or slightly
 * slower: g1 512->512 28x28 4239-4269 / 4311-4327 and in another pair of rounds 4369 /
 * 4301, g2 256->384 13x13 3x3 1443-1448 / 1486-1487 (the tuner can take "nv" 2). */
#include "simd/vec_avx2.h"
#ifndef GSCONV_VARIANT /* (gemm-*-via-nhwc--*.c include this file with their own name) */
#define GSCONV_VARIANT gemm_6x16__avx2
#endif
#define GK_MR1 6
#define GK_NV1 2
#define GK_MR2 6
#define GK_NV2 3
#define GK_ACC2 12
#define GK3_M2 4
#define GK3_M3 3
#define GK3_M4 2
/* NCHW 1x1 with c/g <= 32: row-major tile order (gk_rows_nchw; measured there) */
#define GK_NCHW_ROWS_KMAX 32
/* measured on Zen 4 (2 x 256-bit FMA pipes, so AVX2 reaches the same peak): 0.92-1.0 of
 * 116.8 GFLOP/s on g1 512x512 1x1 and AlexNet g2 5x5 NHWC, single thread */
#define GK_RATE 105e9
/* ESTIMATE on NCHW (AVX2): the im2col of kernels wider than 1x1 costs 1.5x what the
 * estimate's Zen 4 terms say, in this variant and in _via_nhwc (see
 * gemm-nchw-oc--avx2.c for the data and the fit); B in place with 7x7 or 14x14 planes
 * and K >= 256 (ResNeXt's dense 1x1 layers) 1.3x: in the replay of the same data
 * (with direct_nchwx's per-call term) the ESTIMATE picks' total went from 1.086 / 1.108
 * of the per-layer best to 1.002 / 1.020, the picks over 1.1x from 7 / 8 to 2 / 3, flat
 * for factors 1.1-2 (applied from K >= 64 or 128, 1.3 flipped 14x14 ShuffleNet layers
 * to direct_nchw). Part of what it priced on 7x7 was the lone pixel's latency-bound tile,
 * since replaced (gk_px_body); rechecked after: tune_quality NCHW 61 shapes, ESTIMATE
 * within 1.3x 61/61 (docs/tuner.md). */
#define GK_IM2COL_KK 1.5
#define GKV_IM2COL_KK 1.5
#define GK_INPLACE_MISALIGNED 1.3
#include "gemm_conv.inc"
