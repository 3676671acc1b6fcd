/*
 * Vector header for AArch64 NEON (4 fp32 lanes); same vocabulary as vec_avx512.h.
 * NEON has no masked memory access: tails go lane by lane, so nothing past the n
 * lanes is read or written.
 */
#ifndef GSCONV_VEC_H
#define GSCONV_VEC_H
#if !defined(__aarch64__) || !defined(__ARM_NEON)
#error "vec_neon.h is for AArch64 with NEON"
#endif
#include <arm_neon.h>

#define VF_LANES 4
#define VF_ISA neon
typedef float32x4_t vf_t;

static inline vf_t vf_zero(void) { return vdupq_n_f32(0.0f); }
static inline vf_t vf_set1(float x) { return vdupq_n_f32(x); }
static inline vf_t vf_load(const float *p) { return vld1q_f32(p); }
static inline vf_t vf_loadu(const float *p) { return vld1q_f32(p); }
static inline void vf_store(float *p, vf_t v) { vst1q_f32(p, v); }
static inline void vf_storeu(float *p, vf_t v) { vst1q_f32(p, v); }
static inline vf_t vf_load_n(const float *p, int n)
{
    vf_t v = vdupq_n_f32(0.0f); /* lane by lane (a loop became a memcpy GCC warned about) */
    if (n >= 1) v = vld1q_lane_f32(p, v, 0);
    if (n >= 2) v = vld1q_lane_f32(p + 1, v, 1);
    if (n >= 3) v = vld1q_lane_f32(p + 2, v, 2);
    if (n >= 4) v = vld1q_lane_f32(p + 3, v, 3);
    return v;
}
static inline void vf_store_n(float *p, vf_t v, int n)
{
    if (n >= 1) vst1q_lane_f32(p, v, 0);
    if (n >= 2) vst1q_lane_f32(p + 1, v, 1);
    if (n >= 3) vst1q_lane_f32(p + 2, v, 2);
    if (n >= 4) vst1q_lane_f32(p + 3, v, 3);
}
/* lanes 0..n-1 from a, n..VF_LANES-1 from b */
static inline vf_t vf_select_n(vf_t a, vf_t b, int n)
{
    const int32_t idx[4] = {0, 1, 2, 3};
    return vbslq_f32(vcltq_s32(vld1q_s32(idx), vdupq_n_s32(n)), a, b);
}
/* Half vectors (gemm_conv.inc's tails of VF_LANES/2 columns, two pixel rows a vector):
 * lanes 0..1 from a and 2..3 from b; the two halves from p0 and p1; one half stored. */
static inline vf_t vf_blend_half(vf_t a, vf_t b) { return vcombine_f32(vget_low_f32(a), vget_high_f32(b)); }
static inline vf_t vf_load_halves(const float *p0, const float *p1) { return vcombine_f32(vld1_f32(p0), vld1_f32(p1)); }
static inline void vf_store_half_lo(float *p, vf_t v) { vst1_f32(p, vget_low_f32(v)); }
static inline void vf_store_half_hi(float *p, vf_t v) { vst1_f32(p, vget_high_f32(v)); }
/* Quarter vectors (tails of one column, four pixel rows a vector): lane q from a_q; the
 * lanes from p0 .. p3; lane q (a constant) stored. */
static inline vf_t vf_blend_quarters(vf_t a0, vf_t a1, vf_t a2, vf_t a3)
{
    return vcopyq_laneq_f32(vcopyq_laneq_f32(vcopyq_laneq_f32(a0, 1, a1, 1), 2, a2, 2), 3, a3, 3);
}
static inline vf_t vf_load_quarters(const float *p0, const float *p1, const float *p2, const float *p3)
{
    return vld1q_lane_f32(p3, vld1q_lane_f32(p2, vld1q_lane_f32(p1, vld1q_dup_f32(p0), 1), 2), 3);
}
static inline void vf_store_quarter(float *p, vf_t v, int q)
{
    switch (q) {
    case 0: vst1q_lane_f32(p, v, 0); break;
    case 1: vst1q_lane_f32(p, v, 1); break;
    case 2: vst1q_lane_f32(p, v, 2); break;
    default: vst1q_lane_f32(p, v, 3); break;
    }
}
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return vfmaq_f32(c, a, b); }
static inline vf_t vf_add(vf_t a, vf_t b) { return vaddq_f32(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return vmulq_f32(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return vmaxq_f32(a, b); }
/* ---- permutes for the channel shuffle (kernels/shuffle.inc) */
#include <stdint.h>
/* Full-width interleave: zip_lo = a0 b0 a1 b1, zip_hi = a2 b2 a3 b3. */
static inline vf_t vf_zip_lo(vf_t a, vf_t b) { return vzip1q_f32(a, b); }
static inline vf_t vf_zip_hi(vf_t a, vf_t b) { return vzip2q_f32(a, b); }
/* Three-way interleave: o[0..2] = a0 b0 c0 a1 b1 c1 a2 b2 c2 a3 b3 c3 (one table
 * lookup over the 48 bytes of a, b, c per output). */
static inline void vf_zip3(vf_t a, vf_t b, vf_t c, vf_t o[3])
{
    static const uint8_t ix[3][16] = {
        {0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 4, 5, 6, 7},
        {20, 21, 22, 23, 36, 37, 38, 39, 8, 9, 10, 11, 24, 25, 26, 27},
        {40, 41, 42, 43, 12, 13, 14, 15, 28, 29, 30, 31, 44, 45, 46, 47}};
    uint8x16x3_t t;
    t.val[0] = vreinterpretq_u8_f32(a);
    t.val[1] = vreinterpretq_u8_f32(b);
    t.val[2] = vreinterpretq_u8_f32(c);
    for (int k = 0; k < 3; k++) o[k] = vreinterpretq_f32_u8(vqtbl3q_u8(t, vld1q_u8(ix[k])));
}
/* "Non-temporal" store of a full vector to 16-byte aligned p: a plain store here (no
 * intrinsic for STNP); vf_stream_fence() is then a no-op. */
static inline void vf_stream(float *p, vf_t v) { vst1q_f32(p, v); }
static inline void vf_stream_fence(void) {}
/* ---- for the direct kernels (kernels/direct_nchw.inc, direct_nhwc.inc) */
/* Split 2*VF_LANES consecutive floats (a then b) into even and odd elements. */
static inline void vf_deinterleave2(vf_t a, vf_t b, vf_t *even, vf_t *odd)
{
    *even = vuzp1q_f32(a, b);
    *odd = vuzp2q_f32(a, b);
}
/* The even (odd) elements (natural order already: vuzp1q, vuzp2q), see vec_avx512.h. */
static inline vf_t vf_evens_any(vf_t a, vf_t b) { return vuzp1q_f32(a, b); }
static inline vf_t vf_odds_any(vf_t a, vf_t b) { return vuzp2q_f32(a, b); }
static inline vf_t vf_evens_fix(vf_t v) { return v; }
/* Load s consecutive floats (s = 1, 2 or VF_LANES; a constant) and repeat them across the
 * vector: lane l = p[l % s]. */
static inline vf_t vf_load_rep(const float *p, int s)
{
    switch (s) {
    case 1: return vld1q_dup_f32(p);
    case 2: {
        const float32x2_t d = vld1_f32(p);
        return vcombine_f32(d, d);
    }
    default: return vld1q_f32(p);
    }
}
/* Lane j < VF_LANES/s of the result = the sum of lanes j*s .. j*s+s-1 of v (s = 1, 2, 4;
 * a constant), added pairwise in a fixed order; the other lanes are unspecified. */
static inline vf_t vf_sum_groups(vf_t v, int s)
{
    for (int w = 1; w < s; w *= 2) v = vpaddq_f32(v, v);
    return v;
}
/* ---- lane permutes for the grouped kernels (kernels/grp_vec.inc, dw_*.inc, fewc_*.inc) */
/* A vector of VF_LANES int32 lane indices. */
typedef int32x4_t vi_t;
static inline vi_t vi_loadu(const int32_t *p) { return vld1q_s32(p); }
/* Lane l = idx[l] < 0 ? a[l] : v[idx[l]]  (non-negative indices must be < VF_LANES):
 * one byte table lookup (byte 4*idx + b of v), then a select on the index sign. */
static inline vf_t vf_perm_merge(vf_t a, vf_t v, vi_t idx)
{
    const uint32x4_t bytes =
        vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(idx), 0x04040404u);
    const vf_t p = vreinterpretq_f32_u8(vqtbl1q_u8(vreinterpretq_u8_f32(v), vreinterpretq_u8_u32(bytes)));
    return vbslq_f32(vcltzq_s32(idx), a, p);
}
/* Lane l = v[idx[l]] (0 <= idx[l] < VF_LANES). */
static inline vf_t vf_perm(vf_t v, vi_t idx)
{
    const uint32x4_t bytes =
        vmlaq_n_u32(vdupq_n_u32(0x03020100u), vreinterpretq_u32_s32(idx), 0x04040404u);
    return vreinterpretq_f32_u8(vqtbl1q_u8(vreinterpretq_u8_f32(v), vreinterpretq_u8_u32(bytes)));
}
/* Store lanes lo..hi-1 of v (0 <= lo < hi <= VF_LANES) to p[0 .. hi-lo); nothing else is
 * touched. */
static inline void vf_store_lanes(float *p, vf_t v, int lo, int hi)
{
    float t[4];
    vst1q_f32(t, v);
    for (int i = lo; i < hi; i++) p[i - lo] = t[i];
}
/* ---- for the gemm kernels (kernels/gemm_conv.inc) */
/* Lanes whose bit is set in bits = base[lane], the others from v; base is an address
 * formed as an integer (it may lie outside the array: masked-off lanes are not read). */
static inline vf_t vf_load_bits(vf_t v, uintptr_t base, uint32_t bits)
{
    float t[4];
    vst1q_f32(t, v);
    for (int i = 0; i < 4; i++)
        if (bits >> i & 1) t[i] = *(const float *)(base + (uintptr_t)i * sizeof(float));
    return vld1q_f32(t);
}
/* A lane mask for many loads and the load with it (lanes outside are 0 and not read):
 * NEON has no masked load, so this is vf_load_bits' scalar loop (VF_LMASK_FAST 0: the
 * kernels' rules do not pick the paths built on it). */
#define VF_LMASK_FAST 0
typedef uint32_t vf_lmask_t;
static inline vf_lmask_t vf_lmask(uint32_t bits) { return bits; }
static inline vf_t vf_loadz_lm(uintptr_t base, vf_lmask_t m) { return vf_load_bits(vdupq_n_f32(0.0f), base, m); }
/* ---- for the Winograd kernels (kernels/wino.inc) */
static inline vf_t vf_sub(vf_t a, vf_t b) { return vsubq_f32(a, b); }
/* c - a*b */
static inline vf_t vf_fnma(vf_t a, vf_t b, vf_t c) { return vfmsq_f32(c, a, b); }
/* In-place transpose of the VF_LANES x VF_LANES matrix whose row i is r[i]. */
static inline __attribute__((always_inline)) void vf_transpose(vf_t r[4])
{
    const float32x4_t t0 = vtrn1q_f32(r[0], r[1]), t1 = vtrn2q_f32(r[0], r[1]);
    const float32x4_t t2 = vtrn1q_f32(r[2], r[3]), t3 = vtrn2q_f32(r[2], r[3]);
    r[0] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    r[1] = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
    r[2] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
    r[3] = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
}
/* Make x opaque to the compiler so a loaded value stays in a register and is reused
 * (instead of being re-loaded as a memory operand of every FMA that uses it). */
static inline vf_t vf_reg(vf_t x)
{
    __asm__("" : "+w"(x));
    return x;
}
#endif
