/*
 * Narrow x86 vectors shared by the AVX2 and AVX-512 vector headers (include
 * <immintrin.h> first; the code needs AVX2): the three-way interleave on 8 lanes (the
 * AVX2 header's vf_zip3, the AVX-512 header's half-vector vh_zip3) and the 4-lane
 * "quarter" vectors of shuffle_row.inc's column tails of 4.
 */
#ifndef GSCONV_VEC_X86_NARROW_H
#define GSCONV_VEC_X86_NARROW_H

/* Three-way interleave of 8 lanes: o[0..2] = a0 b0 c0 a1 b1 c1 ... a7 b7 c7. a_i, b_i,
 * c_i each land in lane (3i + row) mod 8 (3 is its own inverse mod 8): one permute per
 * input puts every element in its final lane, then two blends per output. */
static inline void x86_zip3_8(__m256 a, __m256 b, __m256 c, __m256 o[3])
{
    const __m256 pa = _mm256_permutevar8x32_ps(a, _mm256_setr_epi32(0, 3, 6, 1, 4, 7, 2, 5));
    const __m256 pb = _mm256_permutevar8x32_ps(b, _mm256_setr_epi32(5, 0, 3, 6, 1, 4, 7, 2));
    const __m256 pc = _mm256_permutevar8x32_ps(c, _mm256_setr_epi32(2, 5, 0, 3, 6, 1, 4, 7));
    o[0] = _mm256_blend_ps(_mm256_blend_ps(pa, pb, 0x92), pc, 0x24);
    o[1] = _mm256_blend_ps(_mm256_blend_ps(pa, pb, 0x24), pc, 0x49);
    o[2] = _mm256_blend_ps(_mm256_blend_ps(pa, pb, 0x49), pc, 0x92);
}

/* Quarter vectors (4 lanes, xmm) for column tails of 4 (shuffle_row.inc) */
#define VF_QUARTER 1
typedef __m128 vq_t;
static inline vq_t vq_loadu(const float *p) { return _mm_loadu_ps(p); }
static inline void vq_storeu(float *p, vq_t v) { _mm_storeu_ps(p, v); }
static inline vq_t vq_zip_lo(vq_t a, vq_t b) { return _mm_unpacklo_ps(a, b); }
static inline vq_t vq_zip_hi(vq_t a, vq_t b) { return _mm_unpackhi_ps(a, b); }
/* the same interleave on 4 lanes (3 is its own inverse mod 4) */
static inline void vq_zip3(vq_t a, vq_t b, vq_t c, vq_t o[3])
{
    const vq_t pa = _mm_permutevar_ps(a, _mm_setr_epi32(0, 3, 2, 1));
    const vq_t pb = _mm_permutevar_ps(b, _mm_setr_epi32(1, 0, 3, 2));
    const vq_t pc = _mm_permutevar_ps(c, _mm_setr_epi32(2, 1, 0, 3));
    o[0] = _mm_blend_ps(_mm_blend_ps(pa, pb, 0x2), pc, 0x4);
    o[1] = _mm_blend_ps(_mm_blend_ps(pa, pb, 0x9), pc, 0x2);
    o[2] = _mm_blend_ps(_mm_blend_ps(pa, pb, 0x4), pc, 0x9);
}

/* The 8 x 4 block at s (row q at s + q * ld) transposed into 4 rows of 8 at d: rows q
 * and q + 4 share a ymm (two 128-bit loads), then a 4x4 transpose within the 128-bit
 * lanes (4 unpacks, 4 shuffles) gives the 4 output vectors (shuffle_row.inc, sg = 8). */
#define VF_T8X4 1
static inline void x86_transpose_8x4(const float *s, long ld, float *d)
{
    const __m256 ya = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(s)), _mm_loadu_ps(s + 4 * ld), 1);
    const __m256 yb = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(s + ld)), _mm_loadu_ps(s + 5 * ld), 1);
    const __m256 yc = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(s + 2 * ld)), _mm_loadu_ps(s + 6 * ld), 1);
    const __m256 yd = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(s + 3 * ld)), _mm_loadu_ps(s + 7 * ld), 1);
    const __m256 t0 = _mm256_unpacklo_ps(ya, yb), t1 = _mm256_unpackhi_ps(ya, yb);
    const __m256 t2 = _mm256_unpacklo_ps(yc, yd), t3 = _mm256_unpackhi_ps(yc, yd);
    _mm256_storeu_ps(d, _mm256_shuffle_ps(t0, t2, 0x44));
    _mm256_storeu_ps(d + 8, _mm256_shuffle_ps(t0, t2, 0xEE));
    _mm256_storeu_ps(d + 16, _mm256_shuffle_ps(t1, t3, 0x44));
    _mm256_storeu_ps(d + 24, _mm256_shuffle_ps(t1, t3, 0xEE));
}

#endif
