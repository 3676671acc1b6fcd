/*
 * dw3x3_nhwc_24c__avx2: depthwise 3x3 NHWC without a channel multiplier (c == g == k),
 * stride 1 or 2, any padding, no dilation; bias, ReLU and the channel shuffle fused.
 * Written against the vector header (vf_*), compiled for AVX2 (16 vector registers);
 * the other ISAs keep dw_nhwc (AVX-512: dw_nhwc__avx512 / dw_nhwc_32c__avx512 reached
 * oneDNN's time on Zen 4 with 32 registers, where this kernel's register budget is not
 * the constraint).
 *
 * Vectorised along channels in blocks of 3 vectors (24 channels); the channel tail as
 * one or two blocks of 2 vectors (c/8 rounded up = 3n + 2: one; 3n + 1: two), a single
 * vector only when c <= 8; the last vector masked when c % 8 != 0 (masked loads, zero
 * weights, plain partial stores). A strip is 4 output pixels of one row (3 at the end of
 * a row whose width is not a multiple of 4) times the block's vectors: up to 12
 * accumulators. For each kernel row, vector and tap the weight is one load, and each
 * input vector a load feeding its FMA (gcc keeps the ones two taps share in registers
 * where it can): 0.75 loads per FMA at stride 1, 1.0 at stride 2. The whole strip, the
 * three kernel rows, is one straight block of code (108 FMAs for a block of 3) with the
 * accumulators in registers from the bias load to the store. Lane utilisation 100% but
 * in the last vector when c % 8 != 0.
 *
 * Why a second depthwise NHWC kernel for AVX2: dw_nhwc__avx2 (dw_nhwc.inc: 16-channel
 * blocks, strips of up to 4, kernel rows in a loop, the row pointers and the padding
 * handled in every strip) spends ~40% of its time outside the FMAs on Zen 3 and took
 * 1.07-1.32x oneDNN's jit_dw:avx2 time. oneDNN's generated code has this kernel's shape
 * (3 vectors x 4 pixels, a weight load per tap and vector, channel blocks inside pixel
 * strips). In C, gcc 12 -O2 keeps the accumulator array in registers only when every
 * loop over it is unrolled (the bias fill and the store too: otherwise the array lives
 * on the stack and is copied in and out per strip) and the three kernel rows are
 * unrolled; and it precomputes every input offset of the strip (3 rows x 6-9 columns)
 * and spills them unless each column pointer is one opaque add from the previous one
 * (grp_bump). Throwaway kernel (interior strips only, padded input), Zen 3, 1 thread,
 * minima of 8 alternations, us: g240 28x28 rows in a loop, fill/store loops rolled 74.5;
 * all unrolled but the kernel rows 63.5; everything unrolled 57.5 (the same C by
 * clang-14 -O2: 65.9); g144 56x56 178 / 156 / 139 (clang 154); oneDNN nhwc in the same
 * minutes 58-60 and 139-144. In this file, g144 58->56 without padding: offsets
 * precomputed 257, column pointers by grp_bump 139.
 *
 * Borders without tests in the inner code: the kernel rows inside the input (all,
 * all but the first, all but the last), one padding column on either side of a strip
 * and the strip width (4 or 3) are compile-time parameters of the strip functions
 * (dws_px_*), so a row's first and last strip and the first and last rows run
 * straight code as the interior does. Whatever has no such function (images of 1 or 2
 * rows, padding 2, rows narrower than 3 pixels, a block of one vector) goes through
 * the "edge" functions, the same arithmetic with the taps outside the input and the
 * lanes past k skipped by runtime tests.
 *
 * Order of work: batch x output-row tiles (one OpenMP loop, grp_row_tiles); in a tile,
 * output rows, then strips, then channel blocks (see dws_px). Every output is bias +
 * the valid taps in kernel-row-major order, whichever function computes it: the result
 * does not depend on the thread count. The fused shuffle: the row is computed in
 * convolution channel order into a per-thread buffer and interleaved into dst
 * (shuffle_row.inc: in registers for sg 2, 3, 4, 8, element by element otherwise), dst
 * written once; Zen 3, 1 thread, us, g240 28x28 unshuffled 55.1, sg3 71.0, sg8 82.5, sg5
 * 130 (dw_nhwc__avx2 in the same run 69.5 / 86.8 / 97.3 / 245).
 *
 * Measured against oneDNN 2.6's jit_dw:avx2 (NHWC, 1 Zen 3 thread, same minutes, us,
 * this / dw_nhwc__avx2 / oneDNN): MobileNet v1 c32 112x112 106.7 / 127.9 / 111.2; c64
 * 112->56 93.5 / 103.0 / 86.7; c128 56x56 110.8 / 142.9 / 118.0; c128 56->28 47.7 / 53.6
 * / 44.7; c256 28x28 62.0 / 75.4 / 63.1; c256 28->14 26.6 / 33.6 / 24.3; c512 14x14 40.4 /
 * 49.3 / 40.0; c512 14->7 14.7 / 17.4 / 13.3; c1024 7x7 26.8 / 26.4 / 26.7. Stride 2
 * stays at 0.8-0.94x of oneDNN, also with everything in L2 (c128 16->8: 3.5 / 3.8 / 2.9).
 * Tried for stride 2 and not kept (same timer, us, kept / tried): the three weights of
 * a kernel row in registers and each input column loaded once (c128 56->28 52.9 / 55.5,
 * c60 56->28 30.6 / 28.5, c64 112->56 101 / 104); the kernel rows in a loop (47.6 /
 * 49.4); software prefetch of the next output row's input rows (one build, prefetch off
 * / on: c128 56->28 54.0 / 64.0, c64 112->56 113 / 125). Not kept either:
 * -fschedule-insns (spills: c128 56x56 118 / 174). 2 threads: c128 56x56 1.91x (113.6 /
 * 59.5 us), c512 14x14 1.71x (40.6 / 23.7).
 */
#include <string.h>

#include "simd/vec_avx2.h"
#define GSCONV_VARIANT dw3x3_nhwc_24c__avx2
#include "grp_vec.inc"
#include "shuffle_row.inc"

#define DWS_T 4 /* pixels per strip */

/* estimate(): flops / (DWS_GFLOPS * lane utilisation) + (src + dst bytes) / DWS_GBS,
 * the two rates fitted (least relative squares) to the nine MobileNet v1 depthwise
 * layers on 1 Zen 3 core (throwaway timer over the kernel API, 64-byte aligned tensors,
 * minima of 3 alternations, us: c32 112x112 106.7, c64 112->56 93.5, c128 56x56 110.8,
 * c128 56->28 47.7, c256 28x28 62.0, c256 28->14 26.6, c512 14x14 40.4, c512 14->7
 * 14.7, c1024 7x7 26.8); the fit is within 20% but on 7x7 and 14x14 with c >= 512
 * (0.6-0.8x: the weights no longer stay in L1 across a row's blocks). */
#define DWS_GFLOPS 92.0
#define DWS_GBS 65.0

/* The channel blocks: nb3 blocks of 3 vectors, then nb2 of 2 and nb1 of 1 (a remainder
 * of 1 vector with 4 or more as two blocks of 2, of 2 as one block of 2; 1 or 2 vectors
 * in all as one block); nl valid lanes in the last vector of the last block. */
typedef struct dws_blocks {
    int64_t nb3, nb2, nb1;
    int nl;
} dws_blocks;

typedef struct dws_layout {
    dws_blocks B;
    int64_t cp; /* channels rounded up to whole vectors */
    size_t off_w, off_b, total;
} dws_layout;

/* vectors in block blk */
static inline int dws_nv(const dws_blocks *B, int64_t blk)
{
    return blk < B->nb3 ? 3 : blk < B->nb3 + B->nb2 ? 2 : 1;
}

static dws_layout dws_layout_of(const gsconv_problem *p)
{
    dws_layout L;
    const int64_t nvec = grp_cdiv(p->k, GRP_V), r = nvec % 3;
    L.cp = nvec * GRP_V;
    L.B.nl = (int)(p->k - (nvec - 1) * GRP_V);
    L.B.nb1 = nvec == 1;
    L.B.nb2 = nvec == 2 || (nvec > 3 && r == 2) ? 1 : nvec > 3 && r == 1 ? 2 : 0;
    L.B.nb3 = (nvec - 2 * L.B.nb2 - L.B.nb1) / 3;
    size_t o = grp_al(sizeof(dws_layout));
    L.off_w = o, o += grp_al((size_t)(L.cp * 9) * sizeof(float));
    L.off_b = o, o += grp_al((size_t)L.cp * sizeof(float));
    L.total = o;
    return L;
}

static bool dws_applicable(const gsconv_problem *p, char *why, size_t len)
{
    if (p->layout != GSCONV_NHWC) return grp_why(why, len, "NHWC only"), false;
    if (p->c != p->g || p->k != p->c)
        return grp_why(why, len, "depthwise without a channel multiplier only (c == g == k)"),
               false;
    if (p->kh != 3 || p->kw != 3) return grp_why(why, len, "3x3 only"), false;
    if (p->sh != p->sw || p->sh > 2)
        return grp_why(why, len, "stride 1 or 2 (equal in h and w) only"), false;
    if (p->dh || p->dw) return grp_why(why, len, "dilation not supported"), false;
    if (p->k > INT32_MAX) return grp_why(why, len, "too many channels"), false;
    return true;
}

static size_t dws_packed_size(const gsconv_problem *p, const gsconv_kparams *kp)
{
    (void)kp;
    return dws_layout_of(p).total;
}

/* Block b (channels c0 .. c0 + 8 NV - 1): weights [tap][NV * 8] from c0 * 9 on, bias
 * [c0 ..]; convolution channel order (the shuffle is applied at the store), zero past k. */
static void dws_pack(const gsconv_problem *p, const gsconv_kparams *kp, const float *wei,
                     const float *bias, void *packed)
{
    (void)kp;
    const dws_layout L = dws_layout_of(p);
    char *base = packed;
    memset(base, 0, L.total);
    memcpy(base, &L, sizeof L);
    float *w = (float *)(base + L.off_w), *b = (float *)(base + L.off_b);
    const int64_t nb = L.B.nb3 + L.B.nb2 + L.B.nb1;
    int64_t c0 = 0;
    for (int64_t blk = 0; blk < nb; blk++) {
        const int bw = dws_nv(&L.B, blk) * GRP_V;
        for (int l = 0; l < bw; l++) {
            const int64_t o = c0 + l;
            if (o >= p->k) continue;
            for (int t = 0; t < 9; t++) w[c0 * 9 + t * bw + l] = wei[o * 9 + t];
            b[o] = bias ? bias[o] : 0.0f;
        }
        c0 += bw;
    }
}

/* post shuffle: one output row of k floats per thread */
static size_t dws_row_bytes(const gsconv_problem *p)
{
    return grp_al((size_t)(p->ow * p->k) * sizeof(float));
}

static size_t dws_workspace_size(const gsconv_problem *p, const gsconv_kparams *kp, int nthreads)
{
    (void)kp;
    if (p->sg == 1) return 0;
    return (size_t)(nthreads < 1 ? 1 : nthreads) * dws_row_bytes(p);
}

typedef struct dws_args {
    const float *src; /* the image (row 0, column 0, channel c0 of the block) */
    int64_t rs, ps;   /* input row stride, pixel stride (floats) */
    int64_t iy0;      /* input row of kernel row 0 */
    int i0, i1;       /* kernel rows inside the input */
    int64_t pw, w;    /* left padding, input width */
    const float *wt, *bias; /* the block's [9][NV * 8] and [NV * 8] */
    float *dst;       /* output row, channel c0 */
    int64_t dps;      /* dst pixel stride */
    int nl;           /* valid lanes of the block's last vector */
    int relu;
} dws_args;

/* A strip of T pixels of one block with the window's borders known at compile time
 * (dws_px; dws_strip passes them at run time): kernel row i is inside the input iff bit
 * i of R is set, the first LO and the last HI of the strip's NC input columns are
 * padding. q points at the first row inside, column LO of the strip, the block's channel
 * 0 (nothing outside the input is addressed); d at the strip's first output pixel. M:
 * lanes nl.. of the last vector lie past k. */
GRP_AI void dws_core(const float *q, int64_t rs, int64_t ps, const float *wt, const float *bias,
                     float *d, int64_t dps, int relu, const int NV, const int T, const int S,
                     const int R, const int LO, const int HI, const int M, int nl)
{
    const int NC = (T - 1) * S + 3, i0 = R & 1 ? 0 : R & 2 ? 1 : 2;
    /* masked loads (the weights past k are zeros) and partial stores */
    const vf_lmask_t lm = vf_lmask(M ? (1u << nl) - 1 : 0);
    vf_t acc[DWS_T][3];
#pragma GCC unroll 3
    for (int v = 0; v < NV; v++) {
        const vf_t b = vf_loadu(bias + v * GRP_V);
#pragma GCC unroll 8
        for (int t = 0; t < T; t++) acc[t][v] = b;
    }
#pragma GCC unroll 3
    for (int i = 0; i < 3; i++) {
        if (!(R >> i & 1) || LO >= NC - HI) continue;
        /* the row's column pointers, each one add from the previous (grp_bump keeps gcc
         * from precomputing all 3 * NC offsets and spilling them) */
        const float *cp[(DWS_T - 1) * 2 + 3];
        cp[LO] = q + (i - i0) * rs;
#pragma GCC unroll 16
        for (int c = LO + 1; c < NC - HI; c++) cp[c] = grp_bump(cp[c - 1], ps);
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++)
#pragma GCC unroll 3
            for (int j = 0; j < 3; j++) {
                const vf_t wv = vf_loadu(wt + (i * 3 + j) * NV * GRP_V + v * GRP_V);
#pragma GCC unroll 8
                for (int t = 0; t < T; t++) {
                    const int c = t * S + j;
                    if (c < LO || c >= NC - HI) continue;
                    const float *x = cp[c] + v * GRP_V;
                    const vf_t xv = M && v == NV - 1 ? vf_loadz_lm((uintptr_t)x, lm) : vf_loadu(x);
                    acc[t][v] = vf_fma(xv, wv, acc[t][v]);
                }
            }
    }
#pragma GCC unroll 8
    for (int t = 0; t < T; t++)
#pragma GCC unroll 3
        for (int v = 0; v < NV; v++) {
            const vf_t y = grp_act(acc[t][v], relu);
            if (M && v == NV - 1)
                vf_store_n(d + t * dps + v * GRP_V, y, nl);
            else
                vf_storeu(d + t * dps + v * GRP_V, y);
        }
}

/*
 * The edge strip: T output pixels from x0 of one output row, one block of NV vectors,
 * dws_core with its bounds known only at run time: the kernel rows outside [i0, i1),
 * the input columns outside [0, w) and the lanes past nl in the last vector skipped by
 * tests (nothing outside the input is addressed).
 */
GRP_AI void dws_strip(const dws_args *a, int64_t x0, const int NV, const int T, const int S)
{
    const int64_t ix0 = x0 * S - a->pw;
    const int NC = (T - 1) * S + 3;
    const int lo = (int)grp_max(0, -ix0), hi = (int)grp_max(0, ix0 + NC - a->w);
    int rows = 0;
    for (int i = a->i0; i < a->i1; i++) rows |= 1 << i;
    const int i0 = rows & 1 ? 0 : rows & 2 ? 1 : rows & 4 ? 2 : 0;
    const float *q = rows ? a->src + (a->iy0 + i0) * a->rs + (ix0 + lo) * a->ps : a->src;
    dws_core(q, a->rs, a->ps, a->wt, a->bias, a->dst + x0 * a->dps, a->dps, a->relu, NV, T, S,
             rows, lo, hi, a->nl < GRP_V, a->nl);
}

typedef void (*dws_edge_fn)(const dws_args *a, int64_t x0);
#define DWS_EDGE(NV, T, S)                                                                   \
    static void dws_edge_##NV##_##T##_##S(const dws_args *a, int64_t x0)                     \
    {                                                                                        \
        dws_strip(a, x0, NV, T, S);                                                          \
    }
#define DWS_EDGES(NV) DWS_EDGE(NV, 1, 1) DWS_EDGE(NV, 2, 1) DWS_EDGE(NV, 3, 1) DWS_EDGE(NV, 4, 1) \
    DWS_EDGE(NV, 1, 2) DWS_EDGE(NV, 2, 2) DWS_EDGE(NV, 3, 2) DWS_EDGE(NV, 4, 2)
DWS_EDGES(1) DWS_EDGES(2) DWS_EDGES(3)
#define DWS_ETAB(NV)                                                                         \
    {{dws_edge_##NV##_1_1, dws_edge_##NV##_1_2}, {dws_edge_##NV##_2_1, dws_edge_##NV##_2_2},  \
     {dws_edge_##NV##_3_1, dws_edge_##NV##_3_2}, {dws_edge_##NV##_4_1, dws_edge_##NV##_4_2}}
/* [NV - 1][T - 1][S - 1] */
static const dws_edge_fn dws_edges[3][DWS_T][2] = {DWS_ETAB(1), DWS_ETAB(2), DWS_ETAB(3)};

/* n whole strips of T pixels from x0 (padding columns LO, HI and kernel rows R as
 * dws_core; nothing else outside the input), every block of each strip: for each strip
 * the blocks one after the other (pixel order: the strip's input pixels and its output
 * pixels are read and written whole, c floats each, as oneDNN does; in block order a
 * block's pixels are c floats apart, and with c a multiple of 256 the kernel window fell
 * into 4 of L1's 64 sets: Zen 3, 1 thread, us, block / pixel order, g256 28x28 92.7 /
 * 77.9, g512 14x14 61.1 / 48.7, g128 56->28 s2 74.7 / 54.3, g144 56x56 155 / 150). A
 * block of one vector (c <= 8) goes through its edge function. */
GRP_AI void dws_px(const dws_args *a, const dws_blocks *B, int64_t x0, int64_t n, const int T,
                   const int S, const int R, const int LO, const int HI)
{
    const int64_t ps = a->ps, rs = a->rs, dps = a->dps;
    const int relu = a->relu;
    const int64_t nb = B->nb3 + B->nb2 + B->nb1, nfull = B->nb1 || B->nl < GRP_V ? nb - 1 : nb;
    const int i0 = R & 1 ? 0 : R & 2 ? 1 : 2;
    for (int64_t s = 0; s < n; s++) {
        const int64_t xs = x0 + s * T;
        const float *q = a->src + (a->iy0 + i0) * rs + (xs * S - a->pw + LO) * ps;
        float *d = a->dst + xs * dps;
        const float *wt = a->wt, *bias = a->bias;
        int64_t blk = 0;
        for (; blk < B->nb3 && blk < nfull; blk++) {
            dws_core(q, rs, ps, wt, bias, d, dps, relu, 3, T, S, R, LO, HI, 0, GRP_V);
            q += 3 * GRP_V, d += 3 * GRP_V, wt += 27 * GRP_V, bias += 3 * GRP_V;
        }
        for (; blk < nfull; blk++) {
            dws_core(q, rs, ps, wt, bias, d, dps, relu, 2, T, S, R, LO, HI, 0, GRP_V);
            q += 2 * GRP_V, d += 2 * GRP_V, wt += 18 * GRP_V, bias += 2 * GRP_V;
        }
        if (blk < nb && !B->nb1) { /* the masked last block of 3 or 2 vectors */
            if (blk < B->nb3)
                dws_core(q, rs, ps, wt, bias, d, dps, relu, 3, T, S, R, LO, HI, 1, B->nl);
            else
                dws_core(q, rs, ps, wt, bias, d, dps, relu, 2, T, S, R, LO, HI, 1, B->nl);
        } else if (blk < nb) { /* a block of one vector */
            dws_args e = *a;
            const int64_t c0 = bias - a->bias;
            e.src = a->src + c0, e.wt = wt, e.bias = bias, e.dst = a->dst + c0;
            e.nl = B->nl;
            dws_edges[dws_nv(B, blk) - 1][T - 1][S - 1](&e, xs);
        }
    }
}
typedef void (*dws_px_fn)(const dws_args *a, const dws_blocks *B, int64_t x0, int64_t n);
#define DWS_PXFN(T, S, R, LO, HI)                                                            \
    static void dws_px_##T##_##S##_##R##_##LO##_##HI(const dws_args *a, const dws_blocks *B, \
                                                     int64_t x0, int64_t n)                  \
    {                                                                                        \
        dws_px(a, B, x0, n, T, S, R, LO, HI);                                                \
    }
#define DWS_PXR(T, S, R)                                                                     \
    DWS_PXFN(T, S, R, 0, 0) DWS_PXFN(T, S, R, 1, 0) DWS_PXFN(T, S, R, 0, 1) DWS_PXFN(T, S, R, 1, 1)
#define DWS_PXT(T)                                                                           \
    DWS_PXR(T, 1, 7) DWS_PXR(T, 1, 6) DWS_PXR(T, 1, 3) DWS_PXR(T, 2, 7) DWS_PXR(T, 2, 6)     \
    DWS_PXR(T, 2, 3)
DWS_PXT(4) DWS_PXT(3)
#define DWS_PXTAB(T, S, R)                                                                   \
    {{dws_px_##T##_##S##_##R##_0_0, dws_px_##T##_##S##_##R##_0_1},                           \
     {dws_px_##T##_##S##_##R##_1_0, dws_px_##T##_##S##_##R##_1_1}}
#define DWS_PXTABT(T)                                                                        \
    {{DWS_PXTAB(T, 1, 7), DWS_PXTAB(T, 1, 6), DWS_PXTAB(T, 1, 3)},                           \
     {DWS_PXTAB(T, 2, 7), DWS_PXTAB(T, 2, 6), DWS_PXTAB(T, 2, 3)}}
/* [T == 3][S - 1][R: 7, 6, 3][LO][HI] */
static const dws_px_fn dws_pxs[2][2][3][2][2] = {DWS_PXTABT(4), DWS_PXTABT(3)};

/* Strips x0 .. x0 + T - 1 (T <= DWS_T) of every block through the edge functions. */
static void dws_edge_all(const dws_args *a, const dws_blocks *B, int S, int64_t x0, int T)
{
    dws_args e = *a;
    int64_t c0 = 0;
    const int64_t nb = B->nb3 + B->nb2 + B->nb1;
    for (int64_t blk = 0; blk < nb; blk++) {
        const int nv = dws_nv(B, blk);
        e.src = a->src + c0, e.wt = a->wt + c0 * 9, e.bias = a->bias + c0, e.dst = a->dst + c0;
        e.nl = blk == nb - 1 ? B->nl : GRP_V;
        dws_edges[nv - 1][T - 1][S - 1](&e, x0);
        c0 += nv * GRP_V;
    }
}

/* n strips of T (4 or 3) pixels from x0: a strip with padding columns on its own, the
 * others in one call; through a dws_px function where the padding columns (at most one
 * each side) and the kernel rows (r: index of R, -1 for none) have one, else the edge
 * functions. */
static void dws_strips(const dws_args *a, const dws_blocks *B, int S, int r, int T, int64_t x0,
                       int64_t n)
{
    const int NC = (T - 1) * S + 3;
    const int64_t ix0 = x0 * S - a->pw, ixe = (x0 + (n - 1) * T) * S - a->pw;
    const int64_t lo = grp_max(0, -ix0), hi = grp_max(0, ixe + NC - a->w);
    if (n > 1 && (lo || hi)) { /* the padding of one strip is not the others' */
        const int64_t f = lo ? 1 : 0, l = hi ? 1 : 0;
        if (f) dws_strips(a, B, S, r, T, x0, 1);
        if (n - f - l > 0) dws_strips(a, B, S, r, T, x0 + f * T, n - f - l);
        if (l) dws_strips(a, B, S, r, T, x0 + (n - 1) * T, 1);
        return;
    }
    if (r >= 0 && lo <= 1 && hi <= 1)
        dws_pxs[T == 3][S - 1][r][lo][hi](a, B, x0, n);
    else
        for (int64_t s = 0; s < n; s++) dws_edge_all(a, B, S, x0 + s * T, T);
}

/* One output row: strips of 4 pixels, then 0 to 3 strips of 3 so that they end at the
 * row's end without overlap (ow % 4 = 3, 2, 1 take 1, 2, 3 strips of 3; 12 accumulators
 * against 9); ow 5 as strips of 4 at 0 and 1 (recomputing 3 pixels, the same operations
 * in the same order); rows of 1 or 2 pixels through the edge functions. Zen 3, 1
 * thread, us, last strip shifted left / strips of 3: g1024 7x7 ... */
static void dws_row(const dws_args *a, const dws_blocks *B, int S, int64_t ow)
{
    const int rm = (a->i0 == 0 ? 1 : 0) | (a->i0 <= 1 && a->i1 >= 2 ? 2 : 0) | (a->i1 == 3 ? 4 : 0);
    const int r = rm == 7 ? 0 : rm == 6 ? 1 : rm == 3 ? 2 : -1;
    if (ow < 3) {
        dws_edge_all(a, B, S, 0, (int)ow);
        return;
    }
    if (ow == 5) {
        dws_strips(a, B, S, r, 4, 0, 1);
        dws_strips(a, B, S, r, 4, 1, 1);
        return;
    }
    const int64_t n3 = (4 - ow % 4) % 4, n4 = (ow - 3 * n3) / 4;
    if (n4) dws_strips(a, B, S, r, 4, 0, n4);
    if (n3) dws_strips(a, B, S, r, 3, 4 * n4, n3);
}

/* npix pixels of k channels from conv order (src) to dst through the shuffle */
static void dws_shuffle_row(int64_t npix, int64_t k, int64_t sg, const float *src, float *dst)
{
    if (!shr_pixels(npix, k, sg, src, dst)) gsconv_shuffle_pixels_scalar(npix, k, sg, src, dst);
}

static void dws_execute(const gsconv_problem *p, const gsconv_kparams *kp, const void *packed,
                        const float *src, float *dst, void *ws, int nthreads)
{
    (void)kp;
    const char *base = packed;
    dws_layout L;
    memcpy(&L, base, sizeof L);
    const float *wt = (const float *)(base + L.off_w), *bias = (const float *)(base + L.off_b);
    const int64_t H = p->h, W = p->w, C = p->c, K = p->k, OH = p->oh, OW = p->ow, S = p->sh;
    const dws_blocks B = L.B;
    const int64_t ntiles = grp_row_tiles(OH, p->n, nthreads, 2);
    const int64_t nitems = p->n * ntiles;
    if (nthreads < 1) nthreads = 1;

    GSCONV_FOR(nthreads > 1, static,
    for (int64_t it = 0; it < nitems; it++) {
        const int64_t b = it / ntiles, tile = it % ntiles;
        const int64_t y0 = OH * tile / ntiles, y1 = OH * (tile + 1) / ntiles;
        float *rowbuf = p->sg > 1 ? (float *)((char *)ws + (size_t)GSCONV_THREAD() *
                                                             dws_row_bytes(p))
                                  : NULL;
        dws_args a;
        a.rs = W * C, a.ps = C, a.pw = p->pw, a.w = W, a.dps = K;
        a.relu = p->act == GSCONV_ACT_RELU;
        a.src = src + b * H * W * C, a.wt = wt, a.bias = bias, a.nl = GRP_V;
        for (int64_t y = y0; y < y1; y++) {
            float *drow = dst + ((b * OH + y) * OW) * K;
            a.dst = rowbuf ? rowbuf : drow;
            a.iy0 = y * S - p->ph;
            a.i0 = (int)grp_max(0, -a.iy0), a.i1 = (int)grp_min(3, H - a.iy0);
            dws_row(&a, &B, (int)S, OW);
            if (rowbuf) dws_shuffle_row(OW, K, p->sg, rowbuf, drow);
        }
    });
}

static double dws_estimate(const gsconv_problem *p, const gsconv_kparams *kp)
{
    (void)kp;
    const double util = (double)p->k / (double)(grp_cdiv(p->k, GRP_V) * GRP_V);
    const double bytes = 4.0 * (double)(gsconv_problem_src_elems(p) + gsconv_problem_dst_elems(p));
    return gsconv_problem_flops(p) / (DWS_GFLOPS * 1e9 * util) + bytes / (DWS_GBS * 1e9);
}

const gsconv_kernel_ops GRP_SYM(GSCONV_VARIANT) = {
    .applicable = dws_applicable,
    .packed_size = dws_packed_size,
    .pack = dws_pack,
    .workspace_size = dws_workspace_size,
    .execute = dws_execute,
    .estimate = dws_estimate,
};
