/* wino_f4k3__avx512: Winograd F(4x4, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT wino_f4k3__avx512
#define WINO_M 4
#include "wino.inc"
