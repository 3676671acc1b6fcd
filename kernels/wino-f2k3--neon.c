/* wino_f2k3__neon: Winograd F(2x2, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT wino_f2k3__neon
#define WINO_M 2
#include "wino.inc"
