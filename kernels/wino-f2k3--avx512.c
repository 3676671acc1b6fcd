/* wino_f2k3__avx512: Winograd F(2x2, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT wino_f2k3__avx512
#define WINO_M 2
#include "wino.inc"
