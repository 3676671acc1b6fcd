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

#include "vec_x86_narrow.h"

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
/* lanes 0..n-1 from a, n..VF_LANES-1 from b */
static inline vf_t vf_select_n(vf_t a, vf_t b, int n) { return _mm512_mask_blend_ps(vf_mask_n(n), b, a); }
/* Half vectors (gemm_conv.inc's tails of VF_LANES/2 columns, two pixel rows a vector):
 * lanes 0..7 from a and 8..15 from b; the two halves from p0 and p1; one half stored. */
static inline vf_t vf_blend_half(vf_t a, vf_t b) { return _mm512_mask_blend_ps(0xFF00, a, b); }
static inline vf_t vf_load_halves(const float *p0, const float *p1)
{
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p0)), _mm256_loadu_ps(p1), 1);
}
static inline void vf_store_half_lo(float *p, vf_t v) { _mm256_storeu_ps(p, _mm512_castps512_ps256(v)); }
static inline void vf_store_half_hi(float *p, vf_t v) { _mm256_storeu_ps(p, _mm512_extractf32x8_ps(v, 1)); }
/* Quarter vectors (tails of VF_LANES/4 columns, four pixel rows a vector): lanes 4q ..
 * 4q+3 from a_q; the quarters from p0 .. p3; quarter q (a constant) stored. */
static inline vf_t vf_blend_quarters(vf_t a0, vf_t a1, vf_t a2, vf_t a3)
{
    return _mm512_mask_blend_ps(0xFF00, _mm512_mask_blend_ps(0x00F0, a0, a1), _mm512_mask_blend_ps(0xF000, a2, a3));
}
static inline vf_t vf_load_quarters(const float *p0, const float *p1, const float *p2, const float *p3)
{
    const __m512 v = _mm512_castps128_ps512(_mm_loadu_ps(p0));
    return _mm512_insertf32x4(_mm512_insertf32x4(_mm512_insertf32x4(v, _mm_loadu_ps(p1), 1), _mm_loadu_ps(p2), 2),
                              _mm_loadu_ps(p3), 3);
}
static inline void vf_store_quarter(float *p, vf_t v, int q)
{
    switch (q) {
    case 0: _mm_storeu_ps(p, _mm512_castps512_ps128(v)); break;
    case 1: _mm_storeu_ps(p, _mm512_extractf32x4_ps(v, 1)); break;
    case 2: _mm_storeu_ps(p, _mm512_extractf32x4_ps(v, 2)); break;
    default: _mm_storeu_ps(p, _mm512_extractf32x4_ps(v, 3)); break;
    }
}
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return _mm512_fmadd_ps(a, b, c); }
static inline vf_t vf_add(vf_t a, vf_t b) { return _mm512_add_ps(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return _mm512_mul_ps(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return _mm512_max_ps(a, b); }
/* ---- permutes for the channel shuffle (kernels/shuffle.inc) */
#include <stdint.h>
/* Full-width interleave: zip_lo = a0 b0 a1 b1 .. a7 b7, zip_hi = a8 b8 .. a15 b15. */
static inline vf_t vf_zip_lo(vf_t a, vf_t b)
{
    const __m512i i = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    return _mm512_permutex2var_ps(a, i, b);
}
static inline vf_t vf_zip_hi(vf_t a, vf_t b)
{
    const __m512i i =
        _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    return _mm512_permutex2var_ps(a, i, b);
}
/* Three-way interleave: o[0..2] = a0 b0 c0 a1 b1 c1 ... a15 b15 c15. Since 3 is odd,
 * a_i, b_i, c_i each land in lane (3i + row) mod 16, distinct over i: one permute per
 * input puts every element in its final lane, then two blends per output. */
static inline void vf_zip3(vf_t a, vf_t b, vf_t c, vf_t o[3])
{
    const vf_t pa = _mm512_permutexvar_ps(
        _mm512_setr_epi32(0, 11, 6, 1, 12, 7, 2, 13, 8, 3, 14, 9, 4, 15, 10, 5), a);
    const vf_t pb = _mm512_permutexvar_ps(
        _mm512_setr_epi32(5, 0, 11, 6, 1, 12, 7, 2, 13, 8, 3, 14, 9, 4, 15, 10), b);
    const vf_t pc = _mm512_permutexvar_ps(
        _mm512_setr_epi32(10, 5, 0, 11, 6, 1, 12, 7, 2, 13, 8, 3, 14, 9, 4, 15), c);
    o[0] = _mm512_mask_blend_ps(0x4924, _mm512_mask_blend_ps(0x2492, pa, pb), pc);
    o[1] = _mm512_mask_blend_ps(0x2492, _mm512_mask_blend_ps(0x9249, pa, pb), pc);
    o[2] = _mm512_mask_blend_ps(0x9249, _mm512_mask_blend_ps(0x4924, pa, pb), pc);
}
/* Half vectors (8 lanes, AVX-512VL on ymm) for the channel shuffle's column tails of 8
 * (shuffle_row.inc): the same interleaves as above on 8 lanes. */
#define VF_HALF 1
typedef __m256 vh_t;
static inline vh_t vh_loadu(const float *p) { return _mm256_loadu_ps(p); }
static inline void vh_storeu(float *p, vh_t v) { _mm256_storeu_ps(p, v); }
static inline vh_t vh_zip_lo(vh_t a, vh_t b)
{
    return _mm256_permutex2var_ps(a, _mm256_setr_epi32(0, 8, 1, 9, 2, 10, 3, 11), b);
}
static inline vh_t vh_zip_hi(vh_t a, vh_t b)
{
    return _mm256_permutex2var_ps(a, _mm256_setr_epi32(4, 12, 5, 13, 6, 14, 7, 15), b);
}
static inline void vh_zip3(vh_t a, vh_t b, vh_t c, vh_t o[3]) { x86_zip3_8(a, b, c, o); }
/* Non-temporal store of a full vector to 64-byte aligned p; vf_stream_fence() orders
 * the streamed stores before later ones (call it before other threads read them). */
static inline void vf_stream(float *p, vf_t v) { _mm512_stream_ps(p, v); }
static inline void vf_stream_fence(void) { _mm_sfence(); }
/* ---- for the direct kernels (kernels/direct_nchw.inc, direct_nhwc.inc) */
/* Split 2*VF_LANES consecutive floats (a then b) into even and odd elements. */
static inline void vf_deinterleave2(vf_t a, vf_t b, vf_t *even, vf_t *odd)
{
    const __m512i ie = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i io = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    *even = _mm512_permutex2var_ps(a, ie, b);
    *odd = _mm512_permutex2var_ps(a, io, b);
}
/* The even (odd) elements of 2*VF_LANES consecutive floats (a then b) in a fixed lane
 * order of this ISA's (one in-lane shuffle instead of a two-source permute: free beside FMAs
 * on Zen 4, where 3 vpermt2ps per 24 FMAs cost ~8%), and that order back to the natural
 * one (once per result, not per input). Lanes: 0 1 8 9 2 3 10 11 4 5 12 13 6 7 14 15. */
static inline vf_t vf_evens_any(vf_t a, vf_t b) { return _mm512_shuffle_ps(a, b, 0x88); }
static inline vf_t vf_odds_any(vf_t a, vf_t b) { return _mm512_shuffle_ps(a, b, 0xdd); }
static inline vf_t vf_evens_fix(vf_t v)
{
    return _mm512_permutexvar_ps(_mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 2, 3, 6, 7, 10, 11, 14, 15), v);
}
/* Load s consecutive floats (s = 1, 2, 4, 8 or VF_LANES; a constant) and repeat them
 * across the vector: lane l = p[l % s]. One load, no shuffle (vbroadcastss/sd/f32x4/f32x8). */
static inline vf_t vf_load_rep(const float *p, int s)
{
    switch (s) {
    case 1: return _mm512_set1_ps(*p);
    case 2: {
        double d; /* memcpy: no aliasing question, and it folds into vbroadcastsd zmm, m64 */
        __builtin_memcpy(&d, p, sizeof d);
        return _mm512_castpd_ps(_mm512_set1_pd(d));
    }
    case 4: return _mm512_broadcast_f32x4(_mm_loadu_ps(p));
    case 8: return _mm512_broadcast_f32x8(_mm256_loadu_ps(p));
    default: return _mm512_loadu_ps(p);
    }
}
/* Lane j < VF_LANES/s of the result = the sum of lanes j*s .. j*s+s-1 of v (s = 1, 2, 4,
 * 8, 16; a constant), added pairwise in a fixed order; the other lanes are unspecified. */
static inline vf_t vf_sum_groups(vf_t v, int s)
{
    const __m512i ie = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
    const __m512i io = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 1, 3, 5, 7, 9, 11, 13, 15);
    for (int w = 1; w < s; w *= 2) v = _mm512_add_ps(_mm512_permutexvar_ps(ie, v), _mm512_permutexvar_ps(io, v));
    return v;
}
/* ---- lane permutes for the grouped kernels (kernels/grp_vec.inc, dw_*.inc, fewc_*.inc) */
/* A vector of VF_LANES int32 lane indices. */
typedef __m512i vi_t;
static inline vi_t vi_loadu(const int32_t *p) { return _mm512_loadu_si512((const void *)p); }
/* Lane l = idx[l] < 0 ? a[l] : v[idx[l]]  (non-negative indices must be < VF_LANES). */
static inline vf_t vf_perm_merge(vf_t a, vf_t v, vi_t idx)
{
    return _mm512_mask_permutexvar_ps(a, (__mmask16)~_mm512_movepi32_mask(idx), idx, v);
}
/* Lane l = v[idx[l]] (0 <= idx[l] < VF_LANES). */
static inline vf_t vf_perm(vf_t v, vi_t idx) { return _mm512_permutexvar_ps(idx, v); }
/* Each group of 4 lanes rotated up by r (a constant, 0..3):
 * lane l = v[(l & ~3) | ((l - r) & 3)] (one in-lane permute, no index register). */
#define VF_HAVE_ROT4 1
static inline __attribute__((always_inline)) vf_t vf_rot4(vf_t v, const int r)
{
    switch (r & 3) {
    case 1: return _mm512_permute_ps(v, _MM_SHUFFLE(2, 1, 0, 3));
    case 2: return _mm512_permute_ps(v, _MM_SHUFFLE(1, 0, 3, 2));
    case 3: return _mm512_permute_ps(v, _MM_SHUFFLE(0, 3, 2, 1));
    default: return v;
    }
}
/* Store lanes lo..hi-1 of v (0 <= lo < hi <= VF_LANES) to p[0 .. hi-lo); nothing else is
 * touched. */
static inline void vf_store_lanes(float *p, vf_t v, int lo, int hi)
{
    if (lo) v = _mm512_permutexvar_ps(_mm512_add_epi32(_mm512_set1_epi32(lo),
                                      _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)), v);
    _mm512_mask_storeu_ps(p, vf_mask_n(hi - lo), v);
}
/* ---- for the gemm kernels (kernels/gemm_conv.inc) */
/* Lanes whose bit is set in bits = base[lane], the others from v; base is an address
 * formed as an integer (it may lie outside the array: masked-off lanes neither fault
 * nor read). */
static inline vf_t vf_load_bits(vf_t v, uintptr_t base, uint32_t bits)
{
    return _mm512_mask_loadu_ps(v, (__mmask16)bits, (const float *)base);
}
/* A lane mask built once for many loads (direct_nchw's in-place reads), and the load with
 * it: lanes outside the mask are 0, neither read nor faulting; base is an integer address
 * (it may lie outside the array). */
#define VF_LMASK_FAST 1
typedef __mmask16 vf_lmask_t;
static inline vf_lmask_t vf_lmask(uint32_t bits) { return (__mmask16)bits; }
static inline vf_t vf_loadz_lm(uintptr_t base, vf_lmask_t m) { return _mm512_maskz_loadu_ps(m, (const float *)base); }
/* ---- for the Winograd kernels (kernels/wino.inc) */
static inline vf_t vf_sub(vf_t a, vf_t b) { return _mm512_sub_ps(a, b); }
/* c - a*b */
static inline vf_t vf_fnma(vf_t a, vf_t b, vf_t c) { return _mm512_fnmadd_ps(a, b, c); }
/* In-place transpose of the VF_LANES x VF_LANES matrix whose row i is r[i]. The loops
 * are unrolled by pragma, as in vec_avx2.h, where at -O2 GCC had left them rolled with
 * the arrays on the stack (measured there on Zen 3; this build is not timed). */
static inline __attribute__((always_inline)) void vf_transpose(vf_t r[16])
{
    __m512 t[16], u[16];
#pragma GCC unroll 16
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    /* u[4G + j], 128-bit lane q: column 4q + j of rows 4G .. 4G+3 */
#pragma GCC unroll 16
    for (int G = 0; G < 4; G++) {
        u[4 * G + 0] = _mm512_shuffle_ps(t[4 * G], t[4 * G + 2], 0x44);
        u[4 * G + 1] = _mm512_shuffle_ps(t[4 * G], t[4 * G + 2], 0xEE);
        u[4 * G + 2] = _mm512_shuffle_ps(t[4 * G + 1], t[4 * G + 3], 0x44);
        u[4 * G + 3] = _mm512_shuffle_ps(t[4 * G + 1], t[4 * G + 3], 0xEE);
    }
    /* 4x4 transpose of 128-bit lanes across u[j], u[4+j], u[8+j], u[12+j] */
#pragma GCC unroll 16
    for (int j = 0; j < 4; j++) {
        const __m512 p = _mm512_shuffle_f32x4(u[j], u[4 + j], 0x44);
        const __m512 q = _mm512_shuffle_f32x4(u[j], u[4 + j], 0xEE);
        const __m512 s = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0x44);
        const __m512 v = _mm512_shuffle_f32x4(u[8 + j], u[12 + j], 0xEE);
        r[j] = _mm512_shuffle_f32x4(p, s, 0x88);
        r[4 + j] = _mm512_shuffle_f32x4(p, s, 0xDD);
        r[8 + j] = _mm512_shuffle_f32x4(q, v, 0x88);
        r[12 + j] = _mm512_shuffle_f32x4(q, v, 0xDD);
    }
}
/* Make x opaque to the compiler so a loaded value stays in a register and is reused
 * (instead of being re-loaded as a memory operand of every FMA that uses it). */
static inline vf_t vf_reg(vf_t x)
{
    __asm__("" : "+v"(x));
    return x;
}
#endif
