/* Standalone channel shuffle, avx512: shuffle_nchw__avx512 and shuffle_nhwc__avx512. */
#include "simd/vec_avx512.h"
#include "shuffle.inc"
