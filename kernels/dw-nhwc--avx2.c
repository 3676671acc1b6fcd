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
#define DWN_PXORDER_RULE(p) ((p)->sh == 2 || dwn_src_bytes(p) * 4 > (int64_t)gsconv_gemm_cache_sizes()->l2 * 3)
#define DWN_STAGE_RULE(p) ((p)->c % 256 == 0 && (p)->sh == 1 && !DWN_PXORDER_RULE(p))
#include "dw_nhwc.inc"
