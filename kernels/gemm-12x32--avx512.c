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
#define GK3_M2 8
#define GK3_M3 8
#define GK3_M4 6
/* measured: 0.95-1.0 of the 116.8 GFLOP/s FMA peak on Zen 4 (3.65 GHz), single thread,
 * on g1 512x512 1x1 28x28 and AlexNet g2 5x5 NHWC (/tmp/gemmw/gk harness, thread CPU
 * time against an in-process FMA loop) */
#define GK_RATE 110e9
#include "gemm_conv.inc"
