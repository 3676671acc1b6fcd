/* gemm_ymm__avx512: the NHWC implicit GEMM of kernels/gemm_conv.inc on 8-lane (ymm)
 * vectors, built for AVX-512 (AVX-512VL): gemm_6x16__avx2's vectors with 32 registers,
 * so its NHWC tiles are 8 pixels x 3 ymm of output channels (24 accumulators + 3 + 1)
 * instead of 6 x 2. For k/g that 16-lane vectors fill badly (k/g % 16 != 0; 20, 24, 40
 * ...). Zen 4, 1 thread, us, gemm_6x16__avx2 / gemm_12x32__avx512 / this (throwaway
 * A/B timer over the kernel API, alternating rounds): g3 240->60 28x28 sg3 96.9 /
 * 113.4 / 87.6; g3 480->120 14x14 sg3 73.9 / 81.6 / 70.0; g3 240->120 28x28 sg3 152.8 /
 * 170.9 / 145.0; g8 768->192 14x14 sg8 76.7 / 89.6 / 69.9; g8 384->192 28x28 sg8 189.8 /
 * 191.3 / 155.5; but g8 384->96 sg8 (k/g 12) 114.9 / 102.3 / 113.2. NCHW not built here:
 * its 12 x 2-ymm tile measured 5-13% slower than gemm_6x16__avx2's 6 x 2 on the
 * ShuffleNet expansions, and 6 x 2 would be that variant again. */
#include <stdio.h>

#include "kernel.h"

static bool gemm_ymm_applicable(const gsconv_problem *p, char *why, size_t len)
{
    const char *no = p->layout != GSCONV_NHWC      ? "NHWC only (NCHW: gemm_6x16__avx2)"
                     : (p->k / p->g) % 16 == 0     ? "k/g fills 16-lane vectors (gemm_12x32__avx512)"
                                                   : NULL;
    if (no && why && len) snprintf(why, len, "%s", no);
    return !no;
}
#define GK_APPLICABLE gemm_ymm_applicable

#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_ymm__avx512
#define GK_MR1 6
#define GK_NV1 2
#define GK_MR2 8
#define GK_NV2 3
#define GK3_M2 8
#define GK3_M3 8
#define GK3_M4 6
#define GK_RATE 108e9
#include "gemm_conv.inc"
