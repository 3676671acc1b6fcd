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
    float t[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i++) t[i] = p[i];
    return vld1q_f32(t);
}
static inline void vf_store_n(float *p, vf_t v, int n)
{
    float t[4];
    vst1q_f32(t, v);
    for (int i = 0; i < n; i++) p[i] = t[i];
}
static inline vf_t vf_fma(vf_t a, vf_t b, vf_t c) { return vfmaq_f32(c, a, b); }
static inline vf_t vf_add(vf_t a, vf_t b) { return vaddq_f32(a, b); }
static inline vf_t vf_mul(vf_t a, vf_t b) { return vmulq_f32(a, b); }
static inline vf_t vf_max(vf_t a, vf_t b) { return vmaxq_f32(a, b); }
#endif
