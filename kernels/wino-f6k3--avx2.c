/* wino_f6k3__avx2: Winograd F(6x6, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT wino_f6k3__avx2
#define WINO_M 6
#include "wino.inc"
