/* dw_nhwc_32c__avx512: depthwise 3x3/5x5 NHWC in blocks of 32 channels (2 zmm per pixel,
 * strips of up to 8 pixels: 16 accumulators), see dw_nhwc.inc. Against dw_nhwc__avx512
 * (16 channels, strips of up to 16), 1 Zen 4 core, gsconv bench, 64-byte aligned
 * tensors, us (oneDNN in the same run): g512 14x14 30.7 / 36.9 (28.5); g512 14->7 s2
 * 13.5 / 20.0 (9.1); g1024 7x7 16.8 / 22.9 (24.1); g256 28->14 s2 22.0 / 31.4 (18.2);
 * g240 7x7 4.8 / 5.9 (3.1); g120 14x14 7.4 / 8.4 (6.8); g32 112x112 91.5 / 96.0 (104.7);
 * even (within 4%) on g128 56x56, g60 28x28, g96 28x28. A block of 64 channels (4 zmm,
 * strips of 4) was slower than both on 15 of 21 MobileNet/ShuffleNet layers. */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT dw_nhwc_32c__avx512
#define DWN_CB 32
#define DWN_TMAX 8
/* staged when c % 512 == 0 (stride 1): two lines per pixel spread a block over twice
 * the L1 sets. Zen 4, us, in place / staged: g512 14x14 36.9 / 32.0, g1024 7x7 35.2 /
 * 17.5; but g256 28x28 50.3 / 64.5, g512 14->7 s2 10.8 / 14.1, g240 7x7 3.0 / 4.2 */
#define DWN_STAGE_RULE(p) ((p)->c % 512 == 0 && (p)->sh == 1)
/* estimate(): flops / (DWN_GFLOPS * lane utilisation) + (src + dst bytes) / DWN_GBS;
 * preferred over dw_nhwc__avx512 unless the channel tail wastes lanes. */
#define DWN_GFLOPS 68.0
#define DWN_GBS 100.0
#include "dw_nhwc.inc"
