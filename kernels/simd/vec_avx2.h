/*
 * Vector header for AVX2 + FMA (8 fp32 lanes); same vocabulary as vec_avx512.h.
 * Tail loads use vmaskmovps, which never faults on the masked-off lanes; tail stores
 * are split into 4 / 2 / 1-lane stores (see vf_store_n).
 */
#ifndef GSCONV_VEC_H
#define GSCONV_VEC_H
#if !defined(__AVX2__) || !defined(__FMA__)
#error "vec_avx2.h needs -mavx2 -mfma"
#endif
#include <immintrin.h>

#include "vec_x86_narrow.h"

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
/* Not vmaskmovps: its store form is slow on AMD (Zen 4: the g3 240->60 1x1 NHWC layer,
 * 20 channels per group = 8 + 8 + 4 lanes, ran 100 us with it and 90 us with the 4-lane
 * tail stored as one xmm); 4 / 2 / 1-lane plain stores instead. */
static inline void vf_store_n(float *p, vf_t v, int n)
{
    if (n >= 8) {
        _mm256_storeu_ps(p, v);
        return;
    }
    __m128 x = _mm256_castps256_ps128(v);
    if (n >= 4) {
        _mm_storeu_ps(p, x);
        x = _mm256_extractf128_ps(v, 1);
        p += 4, n -= 4;
    }
    if (n >= 2) {
        _mm_storel_pi((__m64 *)p, x);
        x = _mm_movehl_ps(x, x);
        p += 2, n -= 2;
    }
    if (n >= 1) _mm_store_ss(p, x);
}
/* lanes 0..n-1 from a, n..VF_LANES-1 from b */
static inline vf_t vf_select_n(vf_t a, vf_t b, int n) { return _mm256_blendv_ps(b, a, _mm256_castsi256_ps(vf_mask_n(n))); }
/* Half vectors (gemm_conv.inc's tails of VF_LANES/2 columns, two pixel rows a vector):
 * lanes 0..3 from a and 4..7 from b; the two halves from p0 and p1; one half stored. */
static inline vf_t vf_blend_half(vf_t a, vf_t b) { return _mm256_blend_ps(a, b, 0xF0); }
static inline vf_t vf_load_halves(const float *p0, const float *p1)
{
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p0)), _mm_loadu_ps(p1), 1);
}
static inline void vf_store_half_lo(float *p, vf_t v) { _mm_storeu_ps(p, _mm256_castps256_ps128(v)); }
static inline void vf_store_half_hi(float *p, vf_t v) { _mm_storeu_ps(p, _mm256_extractf128_ps(v, 1)); }
/* Quarter vectors (tails of VF_LANES/4 columns, four pixel rows a vector): lanes 2q, 2q+1
 * from a_q; the quarters from p0 .. p3; quarter q (a constant) stored. */
static inline vf_t vf_blend_quarters(vf_t a0, vf_t a1, vf_t a2, vf_t a3)
{
    return _mm256_blend_ps(_mm256_blend_ps(a0, a1, 0x0C), _mm256_blend_ps(a2, a3, 0xC0), 0xF0);
}
static inline vf_t vf_load_quarters(const float *p0, const float *p1, const float *p2, const float *p3)
{
    /* (through __m64, a may_alias type: no double access to float data) */
    const __m128 lo = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)p0), (const __m64 *)p1);
    const __m128 hi = _mm_loadh_pi(_mm_loadl_pi(_mm_setzero_ps(), (const __m64 *)p2), (const __m64 *)p3);
    return _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
}
static inline void vf_store_quarter(float *p, vf_t v, int q)
{
    const __m128 h = q < 2 ? _mm256_castps256_ps128(v) : _mm256_extractf128_ps(v, 1);
    if (q % 2 == 0)
        _mm_storel_pi((__m64 *)p, h);
    else
        _mm_storeh_pi((__m64 *)p, h);
}
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return _mm256_fmadd_ps(a, b, c); }
static inline vf_t vf_add(vf_t a, vf_t b) { return _mm256_add_ps(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return _mm256_mul_ps(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return _mm256_max_ps(a, b); }
/* ---- permutes for the channel shuffle (kernels/shuffle.inc) */
#include <stdint.h>
/* Full-width interleave: zip_lo = a0 b0 a1 b1 a2 b2 a3 b3, zip_hi = a4 b4 .. a7 b7. */
static inline vf_t vf_zip_lo(vf_t a, vf_t b)
{
    return _mm256_permute2f128_ps(_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b), 0x20);
}
static inline vf_t vf_zip_hi(vf_t a, vf_t b)
{
    return _mm256_permute2f128_ps(_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b), 0x31);
}
/* Three-way interleave: o[0..2] = a0 b0 c0 a1 b1 c1 ... a7 b7 c7 (vec_x86_narrow.h) */
static inline void vf_zip3(vf_t a, vf_t b, vf_t c, vf_t o[3]) { x86_zip3_8(a, b, c, o); }
/* Non-temporal store of a full vector to 32-byte aligned p; vf_stream_fence() orders
 * the streamed stores before later ones (call it before other threads read them). */
static inline void vf_stream(float *p, vf_t v) { _mm256_stream_ps(p, v); }
static inline void vf_stream_fence(void) { _mm_sfence(); }
/* ---- for the direct kernels (kernels/direct_nchw.inc, direct_nhwc.inc) */
/* Split 2*VF_LANES consecutive floats (a then b) into even and odd elements. */
static inline void vf_deinterleave2(vf_t a, vf_t b, vf_t *even, vf_t *odd)
{
    const __m256 e = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); /* a0 a2 b0 b2 | a4 a6 b4 b6 */
    const __m256 o = _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
    *even = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), _MM_SHUFFLE(3, 1, 2, 0)));
    *odd = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(o), _MM_SHUFFLE(3, 1, 2, 0)));
}
/* The even (odd) elements in a fixed lane order (0 1 4 5 2 3 6 7: one in-lane shuffle),
 * and back to the natural order (see vec_avx512.h). */
static inline vf_t vf_evens_any(vf_t a, vf_t b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)); }
static inline vf_t vf_odds_any(vf_t a, vf_t b) { return _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)); }
static inline vf_t vf_evens_fix(vf_t v)
{
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(3, 1, 2, 0)));
}
/* Load s consecutive floats (s = 1, 2, 4 or VF_LANES; a constant) and repeat them across
 * the vector: lane l = p[l % s]. One load, no shuffle (vbroadcastss/sd/f128). */
static inline vf_t vf_load_rep(const float *p, int s)
{
    switch (s) {
    case 1: return _mm256_set1_ps(*p);
    case 2: {
        double d; /* memcpy: no aliasing question, and it folds into vbroadcastsd ymm, m64 */
        __builtin_memcpy(&d, p, sizeof d);
        return _mm256_castpd_ps(_mm256_set1_pd(d));
    }
    case 4: return _mm256_broadcast_ps((const __m128 *)p);
    default: return _mm256_loadu_ps(p);
    }
}
/* Lane j < VF_LANES/s of the result = the sum of lanes j*s .. j*s+s-1 of v (s = 1, 2, 4,
 * 8; a constant), added pairwise in a fixed order; the other lanes are unspecified. */
static inline vf_t vf_sum_groups(vf_t v, int s)
{
    const __m256i ie = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    const __m256i io = _mm256_setr_epi32(1, 3, 5, 7, 1, 3, 5, 7);
    for (int w = 1; w < s; w *= 2)
        v = _mm256_add_ps(_mm256_permutevar8x32_ps(v, ie), _mm256_permutevar8x32_ps(v, io));
    return v;
}
/* ---- lane permutes for the grouped kernels (kernels/grp_vec.inc, dw_*.inc, fewc_*.inc) */
/* A vector of VF_LANES int32 lane indices. */
typedef __m256i vi_t;
static inline vi_t vi_loadu(const int32_t *p) { return _mm256_loadu_si256((const __m256i *)p); }
/* Lane l = idx[l] < 0 ? a[l] : v[idx[l]]  (non-negative indices must be < VF_LANES). */
static inline vf_t vf_perm_merge(vf_t a, vf_t v, vi_t idx)
{
    return _mm256_blendv_ps(_mm256_permutevar8x32_ps(v, idx), a, _mm256_castsi256_ps(idx));
}
/* Lane l = v[idx[l]] (0 <= idx[l] < VF_LANES). */
static inline vf_t vf_perm(vf_t v, vi_t idx) { return _mm256_permutevar8x32_ps(v, idx); }
/* Each group of 4 lanes rotated up by r (a constant, 0..3):
 * lane l = v[(l & ~3) | ((l - r) & 3)] (one in-lane permute, no index register). */
#define VF_HAVE_ROT4 1
static inline __attribute__((always_inline)) vf_t vf_rot4(vf_t v, const int r)
{
    switch (r & 3) {
    case 1: return _mm256_permute_ps(v, _MM_SHUFFLE(2, 1, 0, 3));
    case 2: return _mm256_permute_ps(v, _MM_SHUFFLE(1, 0, 3, 2));
    case 3: return _mm256_permute_ps(v, _MM_SHUFFLE(0, 3, 2, 1));
    default: return v;
    }
}
/* Store lanes lo..hi-1 of v (0 <= lo < hi <= VF_LANES) to p[0 .. hi-lo); nothing else is
 * touched. */
static inline void vf_store_lanes(float *p, vf_t v, int lo, int hi)
{
    if (lo) v = _mm256_permutevar8x32_ps(v, _mm256_add_epi32(_mm256_set1_epi32(lo),
                                         _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
    vf_store_n(p, v, hi - lo);
}
/* ---- for the gemm kernels (kernels/gemm_conv.inc) */
/* Lanes whose bit is set in bits = base[lane], the others from v; base is an address
 * formed as an integer (it may lie outside the array: masked-off lanes neither fault
 * nor read). */
static inline vf_t vf_load_bits(vf_t v, uintptr_t base, uint32_t bits)
{
    const __m256i b = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    const __m256i in = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)bits), b), b);
    return _mm256_blendv_ps(v, _mm256_maskload_ps((const float *)base, in), _mm256_castsi256_ps(in));
}
/* A lane mask built once for many loads (direct_nchw's in-place reads), and the load with
 * it: lanes outside the mask are 0, neither read nor faulting (vmaskmovps loads are
 * fast on AMD; its stores are not); base is an integer address. */
#define VF_LMASK_FAST 1
typedef __m256i vf_lmask_t;
static inline vf_lmask_t vf_lmask(uint32_t bits)
{
    const __m256i b = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    return _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)bits), b), b);
}
static inline vf_t vf_loadz_lm(uintptr_t base, vf_lmask_t m) { return _mm256_maskload_ps((const float *)base, m); }
/* ---- for the Winograd kernels (kernels/wino.inc) */
static inline vf_t vf_sub(vf_t a, vf_t b) { return _mm256_sub_ps(a, b); }
/* c - a*b */
static inline vf_t vf_fnma(vf_t a, vf_t b, vf_t c) { return _mm256_fnmadd_ps(a, b, c); }
/* In-place transpose of the VF_LANES x VF_LANES matrix whose row i is r[i]. The loops
 * are unrolled by pragma: at -O2 GCC left them rolled in some callers, the arrays on the
 * stack (AVX2, Zen 3: wino_f4k3 NCHW g32 ic512 14x14 360 -> 332 us, direct_nchwx 421 ->
 * 398). */
static inline __attribute__((always_inline)) void vf_transpose(vf_t r[8])
{
    __m256 t[8], u[8];
#pragma GCC unroll 8
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    /* u[4G + j], 128-bit lane q: column 4q + j of rows 4G .. 4G+3 */
#pragma GCC unroll 8
    for (int G = 0; G < 2; G++) {
        u[4 * G + 0] = _mm256_shuffle_ps(t[4 * G], t[4 * G + 2], 0x44);
        u[4 * G + 1] = _mm256_shuffle_ps(t[4 * G], t[4 * G + 2], 0xEE);
        u[4 * G + 2] = _mm256_shuffle_ps(t[4 * G + 1], t[4 * G + 3], 0x44);
        u[4 * G + 3] = _mm256_shuffle_ps(t[4 * G + 1], t[4 * G + 3], 0xEE);
    }
#pragma GCC unroll 8
    for (int j = 0; j < 4; j++) {
        r[j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x20);
        r[4 + j] = _mm256_permute2f128_ps(u[j], u[4 + j], 0x31);
    }
}
/* r[j] = column j of the 8x8 matrix whose row i is the 8 floats at p[i] (a load and a
 * transpose): 128-bit broadcasts (load ports only) and blends put the halves of rows i
 * and i + 4 side by side, then an in-lane 4x4 transpose: 16 shuffles and 8 blends
 * instead of vf_transpose's 24 shuffles, which compete with the FMAs for two pipes.
 * dw_nchw_cb's input staging, Zen 3, us, vf_transpose / this: g64 112->56 s2 160 / 152,
 * g60 56->28 s2 40-42 / 40; stride 1 even (g128 56x56 169 / 168); for its output rows
 * (loads from L1 just stored) it was no better (g512 14x14 58 / 60), so not there. */
#define VF_HAVE_LOAD_TRANSPOSE 1
static inline __attribute__((always_inline)) void vf_load_transpose(const float *const p[8], vf_t r[8])
{
    __m256 t[8];
#pragma GCC unroll 4
    for (int i = 0; i < 4; i++) {
        t[i] = _mm256_blend_ps(_mm256_broadcast_ps((const __m128 *)p[i]),
                               _mm256_broadcast_ps((const __m128 *)p[i + 4]), 0xF0);
        t[4 + i] = _mm256_blend_ps(_mm256_broadcast_ps((const __m128 *)(p[i] + 4)),
                                   _mm256_broadcast_ps((const __m128 *)(p[i + 4] + 4)), 0xF0);
    }
#pragma GCC unroll 2
    for (int G = 0; G < 2; G++) {
        const __m256 a = _mm256_unpacklo_ps(t[4 * G], t[4 * G + 1]);
        const __m256 b = _mm256_unpackhi_ps(t[4 * G], t[4 * G + 1]);
        const __m256 c = _mm256_unpacklo_ps(t[4 * G + 2], t[4 * G + 3]);
        const __m256 d = _mm256_unpackhi_ps(t[4 * G + 2], t[4 * G + 3]);
        r[4 * G + 0] = _mm256_shuffle_ps(a, c, 0x44);
        r[4 * G + 1] = _mm256_shuffle_ps(a, c, 0xEE);
        r[4 * G + 2] = _mm256_shuffle_ps(b, d, 0x44);
        r[4 * G + 3] = _mm256_shuffle_ps(b, d, 0xEE);
    }
}
/* Make x opaque to the compiler so a loaded value stays in a register and is reused
 * (instead of being re-loaded as a memory operand of every FMA that uses it). */
static inline vf_t vf_reg(vf_t x)
{
    __asm__("" : "+x"(x));
    return x;
}
#endif
