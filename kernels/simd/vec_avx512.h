/*
 * Vector header for AVX-512 (16 fp32 lanes). Shared kernel sources (*.inc) are written
 * against this small vocabulary and compiled once per ISA through stub files:
 *   vf_t, VF_LANES, vf_zero, vf_set1, vf_load/vf_loadu, vf_store/vf_storeu,
 *   vf_load_n/vf_store_n (first n < VF_LANES lanes, never touching memory past them),
 *   vf_fma(a, b, c) = a*b + c, vf_add, vf_mul, vf_max.
 */
#ifndef GSCONV_VEC_H
#define GSCONV_VEC_H
#if !defined(__AVX512F__) || !defined(__AVX512BW__) || !defined(__AVX512VL__) || !defined(__FMA__)
#error "vec_avx512.h needs -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma"
#endif
#include <immintrin.h>

#define VF_LANES 16
#define VF_ISA avx512
typedef __m512 vf_t;

static inline vf_t vf_zero(void) { return _mm512_setzero_ps(); }
static inline vf_t vf_set1(float x) { return _mm512_set1_ps(x); }
static inline vf_t vf_load(const float *p) { return _mm512_load_ps(p); }
static inline vf_t vf_loadu(const float *p) { return _mm512_loadu_ps(p); }
static inline void vf_store(float *p, vf_t v) { _mm512_store_ps(p, v); }
static inline void vf_storeu(float *p, vf_t v) { _mm512_storeu_ps(p, v); }
static inline __mmask16 vf_mask_n(int n) { return (__mmask16)((1u << n) - 1u); }
static inline vf_t vf_load_n(const float *p, int n) { return _mm512_maskz_loadu_ps(vf_mask_n(n), p); }
static inline void vf_store_n(float *p, vf_t v, int n) { _mm512_mask_storeu_ps(p, vf_mask_n(n), v); }
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf_t vf_add(vf_t a, vf_t b) { return _mm512_add_ps(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return _mm512_mul_ps(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return _mm512_max_ps(a, b); }
#endif
