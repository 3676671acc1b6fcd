/* direct_nchw__avx512: the general NCHW direct kernel (kernels/direct_nchw.inc). */
#include "simd/vec_avx512.h"
#define GSCONV_VARIANT direct_nchw__avx512
#include "direct_nchw.inc"
