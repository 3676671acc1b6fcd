/*
 * ISA-independent helpers of the grouped direct kernels (depthwise "dw_*" and few channels
 * per group "fewc_*"): lane programs (which source element feeds each vector lane),
 * strip-width choice, work splitting. Plain C, no intrinsics; the per-ISA parts are in
 * grp_vec.inc.
 */
#ifndef GSCONV_GRP_COMMON_H
#define GSCONV_GRP_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel.h"

#define GRP_MAXV 16 /* widest vector (lanes) of any ISA */

#define GRP_AI static inline __attribute__((always_inline))

static inline int64_t grp_cdiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
static inline int64_t grp_rup(int64_t a, int64_t b) { return grp_cdiv(a, b) * b; }
static inline int64_t grp_min(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t grp_max(int64_t a, int64_t b) { return a > b ? a : b; }

/* Bytes rounded up to whole cache lines (packed and workspace sub-buffers start aligned). */
static inline size_t grp_al(size_t bytes) { return (bytes + 63) / 64 * 64; }

/* p + n, through an empty asm statement so that the compiler walks a strip's columns
 * with one pointer and an add instead of hoisting every column's offset (c * ps, ps not
 * a constant) out of the loops, which spilled them: a stack load per input load. Zen 4,
 * 1 thread, us, old / new (throwaway A/B timer, two builds alternated), dw_nhwc_32c:
 * g60 56->28 s2 21.4-21.8 / 18.9-20.2; g60 28x28 11.2-11.4 / 9.6; g120 14x14 5.5-6.1 /
 * 4.4-4.5; g240 7x7 2.9-3.1 / 2.4-2.5; g512 14->7 s2 10.6-10.8 / 9.3; g128 56x56 93-94 /
 * 87-88 (dw_nhwc 16 channels: 1-10% as well); dw3x3_nhwc_24c: see its file. */
static inline const float *grp_bump(const float *p, int64_t n)
{
    __asm__("" : "+r"(p));
    return p + n;
}

/*
 * A lane program builds one vector of V lanes from a row of `limit` floats: lane l takes
 * row[s_l] (s_l >= 0) or 0 (s_l < 0). It is a list of windows; window k loads n_k <= V
 * consecutive elements at base_k (masked when n_k < V, so nothing past `limit` is read)
 * and merges them into the lanes where idx_k[l] >= 0 with a lane permute. A program whose
 * lanes are exactly row[base .. base+n) followed by zeros is marked contiguous: one
 * (masked) load, no permute.
 */
typedef struct grp_win {
    int32_t base, n;
    int32_t idx[GRP_MAXV];
} grp_win;

typedef struct grp_prog {
    int32_t first, count; /* windows first .. first+count-1 of the window array */
    int32_t contig;       /* 1: load n lanes at base of window `first`, nothing else */
    int32_t pad;
} grp_prog;

/* Build the windows for lanes s[0..V) (each < limit) into win (NULL: count only).
 * Returns the number of windows; *contig tells whether the program is one plain load. */
static inline int grp_prog_build(int V, const int64_t *s, int64_t limit, grp_win *win, int *contig)
{
    int done[GRP_MAXV] = {0}, cnt = 0;
    for (;;) {
        int64_t lo = INT64_MAX;
        for (int l = 0; l < V; l++)
            if (!done[l] && s[l] >= 0 && s[l] < lo) lo = s[l];
        if (lo == INT64_MAX) break;
        grp_win w;
        memset(&w, 0, sizeof w);
        w.base = (int32_t)lo;
        w.n = (int32_t)grp_min(V, limit - lo);
        for (int l = 0; l < GRP_MAXV; l++) w.idx[l] = -1;
        for (int l = 0; l < V; l++)
            if (!done[l] && s[l] >= 0 && s[l] < lo + w.n) {
                w.idx[l] = (int32_t)(s[l] - lo);
                done[l] = 1;
            }
        if (win) win[cnt] = w;
        cnt++;
    }
    int c = cnt == 1;
    if (c) {
        int64_t base = INT64_MAX, n = 0;
        for (int l = 0; l < V; l++)
            if (s[l] >= 0 && s[l] < base) base = s[l];
        while (n < V && s[n] == base + n) n++;
        for (int l = (int)n; l < V; l++)
            if (s[l] >= 0) c = 0;
        if (c && win) win[0].n = (int32_t)n; /* load exactly the lanes it fills */
    }
    if (contig) *contig = c;
    return cnt;
}

/* Input channel of the convolution that dst channel d (after the shuffle) comes from, in a
 * depthwise problem with channel multiplier m: d -> o = (d % sg) * (k/sg) + d / sg. */
static inline int64_t grp_unshuffle(int64_t d, int64_t k, int64_t sg)
{
    return (d % sg) * (k / sg) + d / sg;
}

/*
 * Strip width: T in [1, tmax] output pixels (or vectors) per micro-kernel call, the one
 * with the least work for `len` outputs, counting `over` units of fixed cost per call
 * (weight loads, epilogue); ties go to the larger T.
 */
static inline int grp_pick_t(int64_t len, int tmax, double over)
{
    int best = 1;
    double bc = 1e300;
    for (int t = 1; t <= tmax; t++) {
        const double c = (double)grp_cdiv(len, t) * ((double)t + over);
        if (c <= bc) bc = c, best = t;
    }
    return best;
}

/* Row tiles: split oh output rows into tiles so that `units` x tiles gives at least
 * ~4 items per thread (load balance) without tiles smaller than min_rows. */
static inline int64_t grp_row_tiles(int64_t oh, int64_t units, int nthreads, int64_t min_rows)
{
    int64_t want = grp_cdiv(4 * (int64_t)nthreads, units > 0 ? units : 1);
    if (nthreads <= 1) want = 1;
    int64_t maxt = oh / (min_rows > 0 ? min_rows : 1);
    if (want > maxt) want = maxt;
    return want < 1 ? 1 : want;
}

static inline void grp_why(char *why, size_t len, const char *msg)
{
    if (why && len) snprintf(why, len, "%s", msg);
}

#endif
