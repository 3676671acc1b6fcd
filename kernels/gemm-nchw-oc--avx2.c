/* gemm_nchw_oc__avx2: grouped NCHW convolution as a GEMM with output channels along the
 * lanes (kernels/gemm_nchw_oc.inc): tiles of 4 pixels x 3 ymm (12 accumulators; 8 x 1
 * measured 1.1-1.4x slower on Zen 4: g3 960->240 7x7 sg3 87.5 / 119.3 us, 480->120
 * 14x14 73.7 / 80.6), or 6 pixels x 2 ymm (also 12; the tuner's choice, "mr" 6): Zen 3,
 * 1 thread, throwaway A/B timer over the kernel API, us, mr=4 nv=3 / mr=6 nv=2 (best
 * "edge" each): g32 ic1024 14->7 s2 (ow 7: 1 + 6 interior columns) 416 / 386, g32 ic512
 * 28->14 s2 466 / 414; g32 ic256 56->28 s2 772 / 663 (8 x 1: 638).
 * "nv" values: 0 (the default, 3 clamped to the rows' limit), 1 and 2 cover every panel
 * width these limits leave (3 and 4 clamp to the default). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT gemm_nchw_oc__avx2
#define P1X_NVMAX 1
#define P1X_NVMAX4 3
#define P1X_MRDEF 4
#define P1X_NVDEF 3
#define P1X_MR_VALUES {4, 8, 6}
#define P1X_NVMAX6 2
#define P1X_NV_VALUES {0, 1, 2}
/* 100e9 on Zen 4, 1 thread (AlexNet g1 11x11 s4 106, g2 5x5 106 GFLOP/s) was 1.3-2x
 * optimistic on Zen 3 on the layers that are not AlexNet's (ResNeXt grouped 3x3 and
 * strided 1x1, the stems), so that ESTIMATE planned it where direct_nchwx or
 * gemm_6x16 are 1.3-1.8x faster. Refit of the AVX2 NCHW estimates on Zen 3 (1 thread,
 * the 61 NCHW layers of ResNeXt-50 and ShuffleNet v1 g3 / g8, every applicable
 * variant timed side by side per layer, twice): this rate / 1.4, direct_nchwx's
 * DX_RATE / 0.75 and gemm_6x16's im2col of kernels wider than 1x1 x 1.5 (also through
 * _via_nhwc) took the ESTIMATE picks' total from 1.163 / 1.175 of the per-layer best to
 * 1.087 / 1.108 and the picks more than 10% off from 15 / 16 to 7 / 8 (the rest: the
 * dense 1x1 NCHW GEMM on 7x7 and 14x14 planes); each factor sits inside a plateau
 * (1.2-1.6, 0.65-0.8, >= 1.5). direct_nchwx's term was then refit as a rate and a cost
 * per call (its stub), and gemm_6x16's in-place B got one more (its stub); the
 * tune_quality runs are in docs/tuner.md. */
#define P1X_RATE 71e9
#include "gemm_nchw_oc.inc"
