/*
 * Vector header for AVX2 + FMA (8 fp32 lanes); same vocabulary as vec_avx512.h.
 * Tails use vmaskmovps, which never faults on the masked-off lanes.
 */
#ifndef GSCONV_VEC_H
#define GSCONV_VEC_H
#if !defined(__AVX2__) || !defined(__FMA__)
#error "vec_avx2.h needs -mavx2 -mfma"
#endif
#include <immintrin.h>

#define VF_LANES 8
#define VF_ISA avx2
typedef __m256 vf_t;

static inline vf_t vf_zero(void) { return _mm256_setzero_ps(); }
static inline vf_t vf_set1(float x) { return _mm256_set1_ps(x); }
static inline vf_t vf_load(const float *p) { return _mm256_load_ps(p); }
static inline vf_t vf_loadu(const float *p) { return _mm256_loadu_ps(p); }
static inline void vf_store(float *p, vf_t v) { _mm256_store_ps(p, v); }
static inline void vf_storeu(float *p, vf_t v) { _mm256_storeu_ps(p, v); }
static inline __m256i vf_mask_n(int n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline vf_t vf_load_n(const float *p, int n) { return _mm256_maskload_ps(p, vf_mask_n(n)); }
static inline void vf_store_n(float *p, vf_t v, int n) { _mm256_maskstore_ps(p, vf_mask_n(n), v); }
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf_t vf_add(vf_t a, vf_t b) { return _mm256_add_ps(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return _mm256_mul_ps(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return _mm256_max_ps(a, b); }
#endif
