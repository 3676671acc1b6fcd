/* direct_nchw__avx2: the general NCHW direct kernel (kernels/direct_nchw.inc). */
#include "simd/vec_avx2.h"
#define GSCONV_VARIANT direct_nchw__avx2
#include "direct_nchw.inc"
