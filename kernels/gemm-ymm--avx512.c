/* gemm_ymm__avx512: the implicit GEMM of kernels/gemm_conv.inc on 8-lane (ymm) vectors,
 * built for AVX-512 (AVX-512VL): gemm_6x16__avx2's vectors with 32 registers, so its
 * tiles are NHWC 8 pixels x 3 ymm of output channels and NCHW 6 output channels x 4 ymm
 * of pixels (24 accumulators each, against 6 x 2 = 12). Zen 4, 1 thread, us (throwaway
 * A/B timer over the kernel API, alternating rounds), gemm_6x16__avx2 /
 * gemm_12x32__avx512 / this:
 *   NHWC, k/g % 16 != 0 (16-lane vectors fill badly: 20, 24, 40 ...): g3 240->60 28x28
 *     sg3 96.9 / 113.4 / 87.6; g3 480->120 14x14 sg3 73.9 / 81.6 / 70.0; g3 240->120
 *     28x28 sg3 152.8 / 170.9 / 145.0; g8 768->192 14x14 sg8 76.7 / 89.6 / 69.9; g8
 *     384->192 28x28 sg8 189.8 / 191.3 / 155.5; but g8 384->96 sg8 (k/g 12) 114.9 /
 *     102.3 / 113.2. With k/g a multiple of 16 it does not apply (gemm_12x32__avx512).
 *   NCHW (planes of 14x14 = 24.5 ymm against 12.25 zmm): g3 120->240 39.4 / 39.2 / 36.8;
 *     g3 120->480 77.8 / 76.9 / 73.8 (6 x 3); g8 192->384 41.5 / 41.7 / 37.8; g8
 *     192->768 83.2 / 81.7 / 74.9; g3 240->960 7x7 85.9 / 91.8 / 82.1 (gemm_nchw_oc
 *     75.0). A 12 x 2-ymm NCHW tile had been 5-13% slower than 6 x 2. */
#include <stdio.h>

#include "kernel.h"

static bool gemm_ymm_applicable(const gsconv_problem *p, char *why, size_t len)
{
    const char *no = p->layout == GSCONV_NHWC && (p->k / p->g) % 16 == 0
                         ? "NHWC with k/g a multiple of 16 (gemm_12x32__avx512 fills its vectors)"
                         : NULL;
    if (no && why && len) snprintf(why, len, "%s", no);
    return !no;
}
#define GK_APPLICABLE gemm_ymm_applicable

#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_ymm__avx512
#define GK_MR1 6
#define GK_NV1 4
#define GK_MR2 8
#define GK_NV2 3
#define GK3_M2 8
#define GK3_M3 8
#define GK3_M4 6
#define GK_RATE 108e9
#include "gemm_conv.inc"
