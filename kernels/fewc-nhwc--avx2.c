/* fewc_nhwc__avx2: grouped conv with c/g, k/g <= 16, NHWC; see fewc_nhwc.inc. */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT fewc_nhwc__avx2
/* estimate(): flops / (FWN_GFLOPS * lane utilisation).
 * Zen 4, 1 thread, g32 3x3 NHWC: c/g 2 / 4 / 8 at 56x56 or 28x28: 35 / 46-51 / 61
 * GFLOP/s (the avx512 row: 57 / 92 / 98) */
#define FWN_GFLOPS 50.0
/* Zen 3, 1 thread, throwaway A/B timer over the kernel API, us, alternated twice: the
 * strip's software prefetch off: g32 ic128 56x56 751-763 -> 734-742, g32 ic256 56->28
 * s2 614 -> 600, g32 ic512 28->14 s2 379 -> 364; then inputs first (FWN_XFIRST, no
 * accumulator spilled): g32 ic128 56x56 733-746 -> 669-679, g16 ic64 56x56 368 -> 330
 * (the stride-2 layers above, c/g 8 and 16, take strategy B: unchanged). Still 41% of
 * the FMA peak on g32 ic128 56x56 (the AVX-512 row: 87%): the kernel-row pointer setup
 * and the reduction per strip of 3 pixels are the rest. */
#define FWN_PREFETCH 0
#define FWN_XFIRST 1
/* c/g == k/g == 4 at stride 1 as RI (fewc_nhwc.inc; vf_rot4 is AVX2's in-lane permute).
 * Zen 3, 1 thread, same A/B timer, minima of 3 alternated runs, us, AR / RI staging one
 * window per unit / RI staging two: g32 ic128 56x56 670 / 622 / 547, 28x28 184 / 163 /
 * 134, 14x14 73.7 / 37.2 / 34.2, 7x7 26.8 / 11.9 / 10.3 (another run, AR / RI with one
 * window: g64 ic256 14x14 90.1 / 73.6); but 56->28 s2 188 / 241 (AR kept there). Tried
 * and not kept: RI in place (no staging: 703 on 56x56, the window's pixels 512 bytes
 * apart share 8 L1 sets); four staged copies per pixel (x and its rotations, memory
 * operands of the FMAs, no permutes: 582, the 4 stores per staged pixel ~29% of the
 * time); staging in bands of rows whose input fits in half of L2 (within noise); a
 * software prefetch while staging (of the next row: 557 -> 612-621; 4, 8, 16 pixels
 * ahead: no gain); AR with the kernel width a constant, the taps unrolled and the
 * reduction by in-lane rotations (T 3 spilled; T 2: 663 -> 583). */
#define FWN_RI 1
#include "fewc_nhwc.inc"
