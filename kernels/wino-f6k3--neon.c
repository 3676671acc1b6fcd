/* wino_f6k3__neon: Winograd F(6x6, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT wino_f6k3__neon
#define WINO_M 6
#include "wino.inc"
