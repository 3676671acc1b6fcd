/* gemm_12x32__avx512: im2col/implicit GEMM convolution (kernels/gemm_conv.inc) with
 * AVX-512 micro-kernels: NCHW tile 12 output channels x 2 zmm of pixels, NHWC tile 8
 * pixels x 3 zmm of output channels. */
#include "simd/vec_avx512.h"
#ifndef GSCONV_VARIANT /* (gemm-*-via-nhwc--*.c include this file with their own name) */
#define GSCONV_VARIANT gemm_12x32__avx512
#endif
#define GK_MR1 12
#define GK_NV1 2
#define GK_MR2 8
#define GK_NV2 3
/* NHWC pixel rows per tile, measured on Zen 5 (1 thread, 8 / 6 / 4 rows, us): K >= 64 or
 * one vector of output channels: 8 (g3 240->960 7x7 K=80 33.4 / 33.6 / 37.8; g8 384->96
 * sg8 K=48, k/g=12: 65.7 / 68.6 / 80.5); 16 < K < 64: 6 (g3 60->240 K=20 43.9 / 40.3 /
 * 41.8; 120->480 K=40 36.7 / 35.4 / 37.0); K <= 16: 4 (g8 96->384 K=12 52.3 / 52.0 / 46.6;
 * 96->360 58.0 / 55.3 / 50.4) */
#define GK_MR2_RULE (bk->kgv == 1 || bk->K >= 64 ? 8 : bk->K <= 16 ? 4 : 6)
/* NCHW: prefetch B (in place: rows of src, oh*ow floats apart) 8 K steps ahead in K
 * blocks of >= GK_K1_PF_MINK. Sapphire Rapids, 1 thread, min us of 3-4 alternations,
 * without / with: g1 1024->512 14x14 1336 / 1237, 256->128 56x56 1369 / 1249, 512->512
 * 28x28 2536 / 2416, 2048->1024 7x7 1492 / 1451, g3 960->240 7x7 sg3 56.4 / 55.2, g8
 * 1536->384 7x7 sg8 55.7 / 55.4; at K = 40 (g3 120->480 14x14) 50.9 / 51.7, hence the
 * threshold. Not measured on AMD cores (the AVX2 and NEON stubs do not prefetch). */
#define GK_K1_PF 8
/* NCHW 1x1, K = c/g <= 96: row-major tile order (gk_rows_nchw). Sapphire Rapids, 1
 * thread, us, panel-major / row-major (min of 5 alternations): K = 12 g8 96->384 28x28
 * 58.2 / 52.6; K = 20 g3 60->240 28x28 51.7 / 49.1, 60->216 47.6 / 44.5; K = 24 g8
 * 192->384 14x14 27.5 / 26.8; K = 40 g3 120->480 14x14 51.4 / 51.4; K = 48 g8 384->96
 * 28x28 sg8 52.3 / 47.5; K = 80 g3 240->960 7x7 49.7 / 48.5, 240->60 28x28 sg3 46.3 /
 * 45.2; past 96 within 1-3% either way (g1 512->512 28x28 2435 / 2387, g3 480->120
 * 14x14 sg3 46.1 / 45.7), and Zen 3's AVX2 lost up to 10% there (gemm-6x16--avx2.c).
 * The "wblock" parameter selects the panel-major order for the tuner. */
#define GK_NCHW_ROWS_KMAX 96
/* NHWC with K split: the next K block's weights are prefetched into L2 (prefetcht1)
 * while a block runs (gemm_conv.inc, gk_epi.pf), and the blocks are a quarter of L2 so
 * that two fit. Sapphire Rapids, 1 thread, min us of 3-4 alternated processes, before /
 * after (oneDNN's brgconv in the same rounds): g1 2048->1024 7x7 1436 / 1271 (1324),
 * 1024->2048 7x7 1514 / 1321 (1308), 1024->2048 14x14 s2 1469 / 1347 (1346), 1024->1024
 * 14x14 2570 / 2468 (2392), 512->1024 14x14 1250 / 1225 (1187), 1024->512 14x14 1211 /
 * 1202 (1181); 512->512 28x28 (no split) unchanged. The prefetches issued as a burst at
 * the start of each tile made it slower (1586-1618 against 1415): they are spread over
 * the K loop, one per step. In NCHW (row blocks of weights prefetched the same way)
 * 2048->1024 7x7 got slower, 1466 -> 1548 (its B panel is streamed from L2 as well), so
 * only NHWC does it. Not measured on AMD cores: the AVX2 and NEON stubs do not prefetch. */
#define GK_W_PF 2
#define GK3_M2 8
#define GK3_M3 8
#define GK3_M4 6
/* measured: 0.95-1.0 of the 116.8 GFLOP/s FMA peak on Zen 4 (3.65 GHz), single thread,
 * on g1 512x512 1x1 28x28 and AlexNet g2 5x5 NHWC (/tmp/gemmw/gk harness, thread CPU
 * time against an in-process FMA loop) */
#define GK_RATE 110e9
#include "gemm_conv.inc"
