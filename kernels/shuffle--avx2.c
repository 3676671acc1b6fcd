/* Standalone channel shuffle, avx2: shuffle_nchw__avx2 and shuffle_nhwc__avx2. */
#include "simd/vec_avx2.h"
#include "shuffle.inc"
