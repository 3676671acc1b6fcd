/*
 * A BLAS-backed im2col + SGEMM grouped convolution, for benchmarks only: it shows what
 * gsconv's own micro-kernels and fused epilogue add over "im2col into a buffer, call
 * sgemm, then bias/ReLU and a standalone shuffle". It is NOT a registry variant (the
 * registry is what dispatch and the tuner choose from) and is built only when CMake
 * finds a CBLAS (GSCONV_WITH_OPENBLAS, default ON with pkg-config openblas or
 * find_package(BLAS)). Threads: the BLAS library's own setting (OPENBLAS_NUM_THREADS).
 */
#ifndef GSCONV_BENCH_BLAS_BASELINE_H
#define GSCONV_BENCH_BLAS_BASELINE_H
#include "gsconv.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * dst = shuffle(act(conv(src, wei) + bias)) for p (either layout; weights (k, c/g, kh,
 * kw), bias (k) or NULL), like gsconv_reference_conv. Per batch image and group: im2col
 * into a whole temporary (c/g*kh*kw) x (oh*ow) matrix (none for 1x1 / stride 1 / no
 * padding: src is the matrix), one cblas_sgemm, then a pass for bias and ReLU, then
 * gsconv_channel_shuffle from a temporary when p->sg > 1. Returns 0, or -1: an invalid
 * problem (gsconv_last_error() says why), a NULL argument or out of memory.
 */
int gsconv_bench_blas_conv(const gsconv_problem *p, const float *src, const float *wei,
                           const float *bias, float *dst);

#ifdef __cplusplus
}
#endif
#endif
