/* Standalone channel shuffle, neon: shuffle_nchw__neon and shuffle_nhwc__neon. */
#include "simd/vec_neon.h"
#include "shuffle.inc"
