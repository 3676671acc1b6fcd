/*
 * FMA throughput loop for the CPU probe's measured peak (gsconv_cpu_measure_peak,
 * tuner/cpu.c). Not a registry row: a plain function, compiled with the neon flags
 * (aarch64) only because its name ends in --neon.c.
 *
 * 12 independent accumulator chains hide the FMA latency (4 cycles x 2 pipes needs >= 8
 * in flight on Zen 4 / Skylake-X); values stay near 1 so nothing overflows or goes
 * subnormal. Returns a value derived from every chain so the loop is not removed;
 * *flops gets the floating-point operations done (2 per lane per FMA).
 */
#include <stdint.h>

#include <arm_neon.h>
#define FMA_NEON(a, b, c) vfmaq_f32(c, a, b)

float gsconv_peak_fma_neon(int64_t iters, double *flops);

float gsconv_peak_fma_neon(int64_t iters, double *flops)
{
    const float32x4_t m = vdupq_n_f32(0.99999994f), a = vdupq_n_f32(1e-7f);
    float32x4_t c0 = vdupq_n_f32(1.0f), c1 = vdupq_n_f32(1.01f), c2 = vdupq_n_f32(1.02f), c3 = vdupq_n_f32(1.03f);
    float32x4_t c4 = vdupq_n_f32(1.04f), c5 = vdupq_n_f32(1.05f), c6 = vdupq_n_f32(1.06f), c7 = vdupq_n_f32(1.07f);
    float32x4_t c8 = vdupq_n_f32(1.08f), c9 = vdupq_n_f32(1.09f), c10 = vdupq_n_f32(1.10f), c11 = vdupq_n_f32(1.11f);
    for (int64_t i = 0; i < iters; i++) {
        c0 = FMA_NEON(c0, m, a);
        c1 = FMA_NEON(c1, m, a);
        c2 = FMA_NEON(c2, m, a);
        c3 = FMA_NEON(c3, m, a);
        c4 = FMA_NEON(c4, m, a);
        c5 = FMA_NEON(c5, m, a);
        c6 = FMA_NEON(c6, m, a);
        c7 = FMA_NEON(c7, m, a);
        c8 = FMA_NEON(c8, m, a);
        c9 = FMA_NEON(c9, m, a);
        c10 = FMA_NEON(c10, m, a);
        c11 = FMA_NEON(c11, m, a);
    }
    const float32x4_t s = vaddq_f32(vaddq_f32(vaddq_f32(vaddq_f32(c0, c1), vaddq_f32(c2, c3)), vaddq_f32(vaddq_f32(c4, c5), vaddq_f32(c6, c7))),
                       vaddq_f32(vaddq_f32(c8, c9), vaddq_f32(c10, c11)));
    if (flops) *flops = (double)iters * 12.0 * 4 * 2.0;
    return vaddvq_f32(s);
}
