/*
 * FMA throughput loop for the CPU probe's measured peak (gsconv_cpu_measure_peak,
 * tuner/cpu.c). Not a registry row: a plain function, compiled with the avx2 flags
 * (-mavx2 -mfma) only because its name ends in --avx2.c.
 *
 * 12 independent accumulator chains hide the FMA latency (4 cycles x 2 pipes needs >= 8
 * in flight on Zen 4 / Skylake-X); values stay near 1 so nothing overflows or goes
 * subnormal. Returns a value derived from every chain so the loop is not removed;
 * *flops gets the floating-point operations done (2 per lane per FMA).
 */
#include <stdint.h>

#include <immintrin.h>

static float hsum(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

float gsconv_peak_fma_avx2(int64_t iters, double *flops);

float gsconv_peak_fma_avx2(int64_t iters, double *flops)
{
    const __m256 m = _mm256_set1_ps(0.99999994f), a = _mm256_set1_ps(1e-7f);
    __m256 c0 = _mm256_set1_ps(1.0f), c1 = _mm256_set1_ps(1.01f), c2 = _mm256_set1_ps(1.02f), c3 = _mm256_set1_ps(1.03f);
    __m256 c4 = _mm256_set1_ps(1.04f), c5 = _mm256_set1_ps(1.05f), c6 = _mm256_set1_ps(1.06f), c7 = _mm256_set1_ps(1.07f);
    __m256 c8 = _mm256_set1_ps(1.08f), c9 = _mm256_set1_ps(1.09f), c10 = _mm256_set1_ps(1.10f), c11 = _mm256_set1_ps(1.11f);
    for (int64_t i = 0; i < iters; i++) {
        c0 = _mm256_fmadd_ps(c0, m, a);
        c1 = _mm256_fmadd_ps(c1, m, a);
        c2 = _mm256_fmadd_ps(c2, m, a);
        c3 = _mm256_fmadd_ps(c3, m, a);
        c4 = _mm256_fmadd_ps(c4, m, a);
        c5 = _mm256_fmadd_ps(c5, m, a);
        c6 = _mm256_fmadd_ps(c6, m, a);
        c7 = _mm256_fmadd_ps(c7, m, a);
        c8 = _mm256_fmadd_ps(c8, m, a);
        c9 = _mm256_fmadd_ps(c9, m, a);
        c10 = _mm256_fmadd_ps(c10, m, a);
        c11 = _mm256_fmadd_ps(c11, m, a);
    }
    const __m256 s = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c0, c1), _mm256_add_ps(c2, c3)), _mm256_add_ps(_mm256_add_ps(c4, c5), _mm256_add_ps(c6, c7))),
                       _mm256_add_ps(_mm256_add_ps(c8, c9), _mm256_add_ps(c10, c11)));
    if (flops) *flops = (double)iters * 12.0 * 8 * 2.0;
    return hsum(s);
}
