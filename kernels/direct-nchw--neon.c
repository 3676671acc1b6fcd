/* direct_nchw__neon: the general NCHW direct kernel (kernels/direct_nchw.inc). */
#include "simd/vec_neon.h"
#define GSCONV_VARIANT direct_nchw__neon
#include "direct_nchw.inc"
