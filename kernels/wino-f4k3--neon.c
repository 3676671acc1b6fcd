/* wino_f4k3__neon: Winograd F(4x4, 3x3) grouped convolution (kernels/wino.inc). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT wino_f4k3__neon
#define WINO_M 4
#include "wino.inc"
