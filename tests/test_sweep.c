/*
 * The sweep tester: every registry variant x a shape sweep x both layouts, against the
 * scalar reference (double accumulation).
 *
 *  - EXACT variants (direct, GEMM, ref) are compared bit for bit on small-integer data,
 *    where any summation order gives the exact result, so an index bug cannot hide
 *    behind a tolerance; then on random real data with a norm-based bound.
 *  - WINOGRAD variants get the norm-based bound of their class (see bound_factor()),
 *    whose factor the variant states (ops->error_factor, docs/winograd.md). On the
 *    integer pass they get their own data, integers without zeros (+-1, +-2): with
 *    zeros, an output whose products w_j x_j all vanish has a zero bound while the
 *    transform-domain products of the tile's other pixels do not vanish, so no
 *    bound of this form can hold there (rounding of 1/3 in G is not exact).
 *  - With sg > 1 the fused shuffle must equal the same variant without shuffle followed
 *    by the standalone shuffle, bit for bit.
 *  - dst is filled with NaN before each run (an unwritten output fails) and guarded by
 *    canaries after its end (an overrun fails); ASan catches out-of-bounds reads.
 *  - Thread counts 1, 2 and 3 cycle over the shapes.
 *  - A variant whose ISA this CPU lacks (or GSCONV_MAX_ISA caps) is reported as
 *    "skipped (no <isa>)", never as passed; a variant that no sweep shape reaches fails.
 *
 *  - --random N draws N more shapes (random_shape(): groups, channels per group, sizes,
 *    kernel, stride, padding, dilation, batch and shuffle each at random, fixed seed):
 *    combinations the list above does not spell out (ctest's test_sweep_random: 40,
 *    12 under qemu).
 *
 * Usage: test_sweep [--variant SUBSTRING] [--shape DESC | --random N [--seed S] [--max-mflop M]]
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernel.h"

/* Shapes: tails (widths not a multiple of 4/8/16), padding, stride 2, dilation, g = 1,
 * depthwise (and channel multipliers), few channels per group, batch > 1, shuffle,
 * non-square and 1x1/5x5/7x7 kernels, the model shapes' channel structure at small
 * spatial sizes. */
static const char *const shapes[] = {
    /* dense, g = 1 */
    "g1mb1ic3ih7oc5oh7kh3ph1",
    "g1mb2ic8ih13iw11oc16oh13ow11kh3kw3ph1pw1",
    "g1mb1ic16ih9oc24oh9kh1",
    "g1mb1ic5ih17oc7oh17kh1",
    "g1mb1ic4ih31oc6oh31kh5ph2",
    "g1mb1ic3ih23oc8oh12kh3sh2ph1",
    "g1mb1ic6ih16oc4oh16kh3ph2dh1",
    "g1mb1ic2ih19oc3oh7kh7sh2ph1",
    "g1mb1ic4ih12iw20oc5oh12ow18kh3kw5ph1pw1",
    "g1mb1ic3ih14oc5oh14kh1sg5",
    "g1mb1ic17ih33oc33oh33kh1",
    /* grouped, few channels per group */
    "g2mb1ic4ih9oc6oh9kh3ph1",
    "g4mb1ic16ih10oc16oh10kh3ph1",
    "g8mb1ic32ih15oc32oh15kh3ph1",
    "g8mb1ic32ih15oc32oh8kh3sh2ph1",
    "g16mb1ic32ih9oc64oh9kh3ph1",
    "g4mb2ic64ih7oc64oh7kh3ph1",
    "g3mb1ic24ih11oc48oh11kh3ph1sg3",
    "g5mb1ic40ih9oc20oh9kh3ph1",
    "g2mb1ic32ih17oc32oh17kh3ph1",
    "g4mb1ic48ih9oc48oh9kh3ph2dh1",
    "g2mb1ic8ih12oc12oh12kh5ph2",
    "g2mb1ic6ih11oc6oh6kh7sh2ph3",
    "g3mb1ic12ih10oc9oh10kh3ph1sg3",
    "g6mb1ic6ih13oc12oh13kh3ph1",
    /* 12 channels per group (fewc's broadcast strategy on AVX-512, its staged rows):
     * stride 2 with padding, dilation */
    "g2mb1ic24ih13oc24oh7kh3sh2ph1",
    "g2mb1ic24ih11oc24oh11kh3ph2dh1",
    /* grouped 1x1 (ShuffleNet pointwise), with and without shuffle */
    "g3mb1ic24ih9oc12oh9kh1sg3",
    "g3mb1ic12ih9oc24oh9kh1",
    "g8mb1ic64ih7oc32oh7kh1sg8",
    "g8mb2ic32ih5oc64oh5kh1",
    "g2mb1ic8ih9oc8oh9kh1sg4",
    "g3mb1ic36ih9oc18oh5kh1sh2",
    /* depthwise and channel multipliers */
    "g8mb1ic8ih12oc8oh12kh3ph1",
    /* wide rows (row mode of dw_nchw, its in-place path): tails, no padding, padding 2,
     * multiplier, batch 2 with a shuffle */
    "g4mb1ic4ih20iw37oc4oh20ow37kh3ph1pw1",
    "g6mb1ic6ih18iw34oc12oh16ow32kh3ph0pw0",
    "g3mb1ic3ih17iw40oc3oh19ow42kh3ph2pw2",
    "g4mb2ic4ih19iw33oc8oh19ow33kh3ph1pw1sg2",
    "g4mb1ic4ih21iw45oc4oh11ow23kh3sh2ph1pw1",
    "g3mb1ic3ih20iw38oc3oh9ow18kh3sh2ph0pw0",
    "g2mb2ic2ih15iw67oc4oh8ow34kh3sh2ph1pw1sg2",
    /* stride 2 with rows of <= half a vector (direct_nchw in place puts two output rows
     * in a vector: AVX-512 and AVX2 at ow 4, NEON at ow 2), tall enough for tiles of
     * two rows and more at 1-3 threads */
    "g2mb1ic4ih31iw7oc4oh16ow4kh3sh2ph1pw1",
    "g2mb1ic4ih31iw3oc6oh16ow2kh3sh2ph1pw1sg2",
    "g24mb1ic24ih13oc24oh13kh3ph1",
    "g24mb1ic24ih13oc24oh7kh3sh2ph1",
    "g20mb2ic20ih10oc20oh10kh5ph2",
    "g17mb1ic17ih11oc17oh6kh5sh2ph2",
    "g16mb1ic16ih9oc32oh9kh3ph1",
    "g5mb1ic5ih7oc15oh7kh3ph1",
    "g32mb1ic32ih6oc32oh6kh3ph2dh1",
    "g48mb1ic48ih5oc48oh5kh3ph1sg4",
    /* dw_nchw planes mode: planes of 16..31 pixels under 5x5 (neighbour vectors more
     * than a plane away), and with the shuffle */
    "g40mb2ic40ih4iw5oc40oh4ow5kh5ph2pw2",
    "g24mb1ic24ih6oc24oh6kh5ph2sg3",
    "g7mb1ic7ih9oc7oh9kh7ph3",
    "g16mb1ic16ih9oc16oh9kh1",
    /* Winograd packed groups: a partial last pack (6 groups in packs of 4 on AVX-512, 2
     * on AVX2) with batch 2, odd width, unequal c/g and k/g and the shuffle; 8 channels
     * per group with padding 2 on both sides */
    "g6mb2ic24ih9iw11oc12oh9ow11kh3ph1pw1sg3",
    "g4mb1ic32ih10oc32oh12kh3ph2",
    /* direct_nhwc's row kernel (k/g 2: lanes split over input channels, 2+ channel
     * groups per step) with the shuffle: an edge pixel must take the same kernel at any
     * tile height (2-3 threads change it) */
    "g3mb2ic24ih9iw11oc6oh9ow11kh3ph1pw1sg3",
    /* odd corners: 1x1 input, output 1, padding only on one side */
    "g1mb1ic4ih1oc4oh1kh1",
    "g2mb1ic4ih3oc4oh1kh3",
    "g1mb1ic2ih6oc3oh3kh3sh2",
    "g4mb1ic8ih8oc8oh4kh3sh2ph0",
    /* general direct kernels: full and partial channel blocks (k/g 24, 32, 48 with a
     * shuffle whose k/sg is not k/g), stride 3, stride 2 with dilation (unused phases),
     * unequal strides with an even kernel width, dilated 1x7, and an input tile too
     * large for one piece (split into row tiles even on one thread) */
    "g2mb2ic16ih11oc48oh6kh3sh2ph1",
    "g2mb1ic64ih7oc64oh7kh3ph1",
    "g2mb1ic32ih9oc96oh9kh3ph1sg4",
    "g1mb1ic3ih15oc10oh5kh5sh3ph2",
    "g2mb1ic8ih13oc20oh6kh3sh2ph1dh1",
    /* direct_nhwc's wide row kernel (one channel vector, tile pixel stride of 1, 2 or 4
     * vectors): AVX-512 c/g 16 with k/g 16 / 12 (masked stores), rows split in blocks
     * (width 31), batch 2 with a shuffle, stride 2, 5x5 with padding 2 (a second padding
     * column multiplied as zeros), dilated columns (c/g 32); AVX2 c/g 8 and 16 with
     * k/g 8 / 6, stride 1 and 2 */
    "g3mb2ic48ih7iw31oc48oh7ow31kh3ph1pw1sg3",
    "g2mb1ic32ih15iw29oc24oh8ow15kh3sh2ph1pw1",
    "g2mb1ic32ih9iw17oc32oh9ow17kh5ph2pw2",
    "g2mb1ic64ih10iw16oc32oh10ow16kh3kw3ph2pw2dh1dw1",
    "g4mb1ic32ih9iw23oc32oh9ow23kh3ph1pw1",
    "g2mb1ic32ih8iw17oc12oh8ow17kh3ph1pw1",
    "g2mb2ic32ih13iw29oc16oh7ow15kh3sh2ph1pw1",
    /* ... and with two channel vectors (AVX-512, stride 1): c/g 16 with k/g 32, batch 2,
     * a shuffle, rows in blocks; c/g 32 with k/g 20 (masked last vector) on 7-wide rows
     * (two rows a unit); c/g 64 with k/g 24 */
    "g2mb2ic32ih7iw31oc64oh7ow31kh3ph1pw1sg2",
    "g3mb1ic96ih9iw7oc60oh9ow7kh3ph1pw1",
    "g2mb1ic128ih6iw9oc48oh6ow9kh3ph1pw1",
    /* rows dilated, columns not: direct_nchwx reads these in place (tap rows (dh+1) rows
     * apart, the padding column skipped), stride 1 and 2, odd widths */
    "g4mb1ic32ih12iw14oc32kh3kw3ph1pw1dh1dw0",
    "g2mb1ic32ih15iw13oc32kh3kw3sh2sw2ph2pw1dh1dw0",
    "g1mb1ic5ih9iw30oc7kh3kw4sh1sw2ph1pw1",
    "g2mb1ic4ih16oc6kh1kw7sw2pw3dw1",
    "g1mb1ic96ih20oc4oh20kh3ph1",
    /* c/g == k/g == 4 (fewc_nhwc's RI on AVX2 at stride 1, AR otherwise): an odd g (a
     * last window of one group) with batch 2, a width tail and a strip split; dilation
     * with padding 2; stride 2 with unread columns; 5x5 and 1x3 kernels; stride 3; a
     * shuffle */
    "g5mb2ic20ih9iw29oc20oh9ow29kh3ph1",
    "g4mb1ic16ih11oc16oh11kh3ph2dh1",
    "g6mb1ic24ih10iw14oc24oh4ow6kh3sh2ph0pw0",
    "g3mb1ic12ih8iw13oc12oh8ow13kh5kw5ph2pw2",
    "g2mb1ic8ih5iw17oc8oh5ow15kh1kw3ph0pw0",
    "g4mb1ic16ih13oc16oh5kh3sh3ph1sg2",
    /* GEMM kernels: k/g = 1 and c/g*kh*kw = 1 (1-wide GEMMs); K split into several KC
     * blocks with a shuffle (partial sums reloaded through the shuffled column map), by
     * taps (c/g*kh*kw = 576) and within a tap (c/g = 600); pixel counts past one tile
     * row with stride 2 on a 1x1 kernel, batch 2 */
    "g4mb1ic4ih9oc8oh9kh1",
    "g3mb1ic3ih13oc3oh13kh1",
    "g2mb1ic128ih5oc8oh5kh3ph1sg2",
    "g1mb1ic600ih3oc10oh3kh1sg5",
    "g3mb2ic6ih11oc9oh6kh1sh2",
    /* NCHW 1x1 with channels along the lanes (gemm_nchw_oc): planes of 2 and 3 pixels
     * (tiles of 2 and 3 rows), k/g 40 (2 vectors + a half), a shuffle, batch 2 */
    "g2mb1ic8ih1iw3oc80oh1ow3kh1sg4",
    "g1mb2ic20ih2iw1oc24oh2ow1kh1",
    /* GEMM NHWC shuffle with sg == g (all groups of a tile interleaved at the store):
     * g = 4 and 8, whole and partial vectors, 1x1 and 3x3 with padding */
    "g4mb1ic32ih6oc64oh6kh1sg4",
    "g4mb2ic16ih5oc40oh5kh3ph1sg4",
    "g8mb1ic16ih6oc24oh6kh3ph1sg8",
    /* GEMM NHWC 1x1 direct tiles (several tiles per call, two tile heights): K <= 16
     * with k/g = 45 (a partial last vector), staged shuffle of g = 8, and sg == g with
     * k/g of 3 vectors (per-group tiles and a staged interleave, not K3) */
    "g8mb1ic96ih5oc360oh5kh1",
    "g8mb2ic64ih6oc96oh6kh1sg8",
    "g3mb1ic60ih7oc120oh7kh1sg3",
    /* depthwise NHWC with the shuffle interleaved in registers (dw_nhwc zip): 20
     * channels per shuffle group (a whole and a partial block) with stride 2 and batch 2,
     * 32 per group with strips shifted at the row end, 5x5 with 16 per group */
    "g60mb2ic60ih9iw13oc60oh5ow7kh3sh2ph1sg3",
    "g64mb1ic64ih7iw10oc64oh7ow10kh3ph1sg2",
    "g64mb1ic64ih8oc64oh8kh5ph2sg4",
    /* depthwise 3x3 NHWC in blocks of 3, 2 or 1 vectors (dw3x3_nhwc_24c): channel plans
     * 3+2 with batch 2, 2+2 at stride 2, 3+2+2 with sg 2, 3+3 with a 4-lane tail, padding
     * 2 and sg 4, one masked block of 2 with sg 5 (no in-register shuffle), one masked
     * vector at stride 2 with batch 2, three whole blocks on a 2-row image (every row at
     * the border), no padding with a 2-pixel remainder strip, stride 2 without padding
     * and sg 3, one whole vector with strips of 8 and a remainder of 3 */
    "g40mb2ic40ih9iw13oc40kh3ph1",
    "g32mb1ic32ih7iw9oc32kh3sh2ph1",
    "g56mb1ic56ih6iw23oc56kh3ph1sg2",
    "g44mb1ic44ih5iw11oc44kh3ph2sg4",
    "g15mb1ic15ih4iw17oc15kh3ph1sg5",
    "g7mb2ic7ih3iw10oc7kh3sh2ph1",
    "g72mb1ic72ih2iw30oc72kh3ph1",
    "g24mb1ic24ih9iw20oc24kh3ph0",
    "g48mb1ic48ih10iw21oc48kh3sh2ph0sg3",
    "g8mb1ic8ih5iw19oc8kh3ph1",
    /* GEMM NHWC tails shared by pixel rows (k/g % VF = VF/2 or VF/4): k/g 20 (AVX-512 a
     * quarter, AVX2 a half) with batch 2, 63 pixels and a staged shuffle; with 3x3
     * padding (column tiles, K 72 split by kc 64); k/g 72 (AVX-512 a half) with g 1 and
     * the shuffle folded into the packing */
    "g3mb2ic48ih7iw9oc60oh7ow9kh1sg3",
    "g2mb1ic16ih9oc40oh9kh3ph1",
    "g1mb1ic8ih6iw7oc72oh6ow7kh1sg4",
    /* Winograd (3x3 stride 1): padding 2, padding only in one direction, a 1-row image,
     * more tiles than one block (blocks across tile rows and images), output channels
     * split in chunks (c/g 160), k/g = 5 with a shuffle */
    "g2mb1ic6ih9oc4oh11kh3ph2",
    "g1mb2ic4ih10iw12oc6oh10ow10kh3kw3ph1pw0",
    "g1mb1ic3ih1iw5oc2oh1ow5kh3kw3ph1pw1",
    "g1mb3ic4ih29oc4oh29kh3ph1",
    "g1mb1ic160ih6oc144oh6kh3ph1",
    "g2mb1ic6ih7oc10oh7kh3ph1sg5",
    /* depthwise NCHW (dw_nchw): 5x5 stride 2 with width tails and batch 2; m = 2 with a
     * shuffle over 3 vectors of width; several row tiles on one thread (wide rows, 3x3
     * and 5x5 stride 2 with uneven tiles); padding 2 and 0; narrow outputs (the
     * flattened path) with m = 2, shuffle and 5x5; one row; a width of whole vectors */
    "g6mb2ic6ih21iw37oc6kh5sh2ph2pw2",
    "g8mb1ic8ih9iw35oc16oh9ow35kh3ph1sg4",
    "g2mb1ic2ih40iw300oc2oh40ow300kh3ph1",
    "g3mb1ic3ih50iw260oc3kh5sh2ph2",
    "g4mb1ic4ih10iw19oc4kh3ph2",
    "g5mb1ic5ih9iw23oc5kh3sh2ph0",
    "g12mb2ic12ih7oc12oh7kh3ph1",
    "g9mb1ic9ih14oc18oh7kh3sh2ph1sg3",
    "g6mb1ic6ih5oc6oh5kh5ph2",
    "g4mb1ic4ih1iw20oc4oh1ow20kh3ph1",
    "g3mb1ic3ih6iw32oc3oh6ow32kh3ph1",
    "g4mb2ic64ih9oc64oh5kh3sh2ph1",
    "g2mb1ic64ih9iw19oc64oh5ow10kh3sh2ph1sg4",
    /* Winograd with c/g == k/g == 32 (two AVX-512 vectors: V's rows at a constant
     * distance, M written over V, passes of a few tiles, several row chunks), batch 2,
     * partial tiles at the right and bottom edges, a shuffle */
    "g2mb2ic64ih11iw13oc64oh11ow13kh3ph1sg2",
    /* found by --random: GEMM NHWC pixel blocks of 4 one-pixel rows (column tiles) but a
     * last block of 2 rows (row tiles, one more tile than the scratch held) with 2
     * threads; depthwise, dilated, one output column, a staged shuffle */
    "g32mb1ic32ih36iw5oc32oh30ow1kh3kw3sh1sw1ph0pw1dh2dw2sg32",
    /* 2.3-2.4 MB of weights (more than L2 on the machines measured) on a few pixels:
     * with 2-3 threads the NHWC GEMM splits the output-channel panels among the tasks
     * (panels of 3 and 2 vectors, a masked last one), the K split prefetches the next
     * block; 1x1 direct with a folded shuffle, and strided with batch 2 */
    "g1mb1ic1024ih1iw3oc566oh1ow3kh1sg2",
    "g1mb2ic600ih3oc1000oh2kh1sh2",
};
static const int nshapes = (int)(sizeof shapes / sizeof shapes[0]);

/* Deterministic small-integer or real data. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static uint64_t rng_state;
static uint64_t next_u64(void) { return splitmix64(&rng_state); }
/* A random shape for --random, from its own generator (not the data's): often the
 * channel counts and sizes of real layers (depthwise, 4..64 channels per group, 7..56
 * pixels), sometimes anything small; by default at most 8 MFLOP and 2 M input floats,
 * so that a run of 40 stays short under sanitizers and qemu (--max-mflop: larger). */
static uint64_t shape_rng;
static double shape_max_flop = 8e6, shape_max_src = 2e6; /* --max-mflop raises both */
static int rnd(int lo, int hi) /* uniform in [lo, hi] */
{
    return lo + (int)(splitmix64(&shape_rng) % (uint64_t)(hi - lo + 1));
}
#define PICK(...) pick_of((const int[]){__VA_ARGS__}, (int)(sizeof((const int[]){__VA_ARGS__}) / sizeof(int)))
static int pick_of(const int *v, int n) { return v[rnd(0, n - 1)]; }
static void random_shape(char *out, size_t len)
{
    for (;;) {
        const bool dwise = rnd(0, 3) == 0;
        int g = dwise ? PICK(8, 16, 24, 32, 60, 64) : PICK(1, 1, 2, 3, 4, 8, 16, 32, rnd(1, 40));
        const int cg = dwise ? 1 : PICK(1, 2, 3, 4, 5, 8, 12, 16, 20, 24, 32, 40, 48, 64, rnd(1, 70));
        const int kg = dwise ? PICK(1, 1, 2) : PICK(1, 2, 3, 4, 8, 12, 16, 20, 24, 32, 45, 48, 64, rnd(1, 70));
        const int kh = PICK(1, 1, 3, 3, 3, 5, 7, 2, 4), kw = rnd(0, 4) ? kh : PICK(1, 3, 5);
        const int sh = PICK(1, 1, 2, 2, 3), sw = rnd(0, 6) ? sh : PICK(1, 2);
        const int dh = PICK(0, 0, 0, 0, 1, 2), dw = rnd(0, 4) ? dh : PICK(0, 1);
        const int h = PICK(rnd(1, 20), rnd(5, 40), 7, 14, 28, 56, shape_max_flop > 8e6 ? rnd(40, 120) : 13),
                  w = rnd(0, 4) < 3 ? h : rnd(1, 40);
        const int ph = rnd(0, 4) ? rnd(0, (kh - 1) * (dh + 1)) : 0;
        const int pw = rnd(0, 4) ? rnd(0, (kw - 1) * (dw + 1)) : 0;
        const int mb = PICK(1, 1, 1, 2, 3);
        const int oh = (h + 2 * ph - (kh - 1) * (dh + 1) - 1) / sh + 1;
        const int ow = (w + 2 * pw - (kw - 1) * (dw + 1) - 1) / sw + 1;
        if (h + 2 * ph < (kh - 1) * (dh + 1) + 1 || w + 2 * pw < (kw - 1) * (dw + 1) + 1) continue;
        const int k = kg * g, c = cg * g;
        int sg = 1;
        if (rnd(0, 1) && k > 1) { /* a divisor of k: g itself half the time */
            sg = g > 1 && rnd(0, 1) ? g : rnd(2, k);
            while (k % sg) sg--;
        }
        const double flops = 2.0 * mb * k * oh * ow * cg * kh * kw;
        if (flops > shape_max_flop || (double)mb * c * h * w > shape_max_src) continue;
        int n = snprintf(out, len, "g%dmb%dic%dih%diw%doc%doh%dow%dkh%dkw%dsh%dsw%dph%dpw%d", g, mb, c, h,
                         w, k, oh, ow, kh, kw, sh, sw, ph, pw);
        if (dh || dw) n += snprintf(out + n, len - (size_t)n, "dh%ddw%d", dh, dw);
        if (sg > 1) snprintf(out + n, len - (size_t)n, "sg%d", sg);
        return;
    }
}

static void fill(float *x, size_t n, bool ints, int range)
{
    for (size_t i = 0; i < n; i++) {
        if (ints)
            x[i] = (float)((int)(next_u64() % (uint64_t)(2 * range + 1)) - range);
        else
            x[i] = (float)((double)(next_u64() >> 11) * 0x1.0p-53 * 2.0 - 1.0);
    }
}
/* Integers in +-1 .. +-range, never zero (the WINOGRAD class's integer data). */
static void fill_nonzero(float *x, size_t n, int range)
{
    for (size_t i = 0; i < n; i++) {
        const uint64_t r = next_u64();
        x[i] = (float)((int)(r % (uint64_t)range) + 1) * ((r >> 32) & 1 ? -1.0f : 1.0f);
    }
}

/* parameter grids up to this size are tested whole (tuner/tune.c REFINE_GRID) */
#define GRID_MAX 24
#define CANARY 64
static const uint32_t canary_bits = 0x7fc0dead; /* a NaN pattern nothing computes */

typedef struct {
    float *src, *wei, *bias, *ref, *out, *out2, *shuf;
} buffers;

static float *alloc_floats(size_t n)
{
    float *p = gsconv_aligned_alloc((n + CANARY) * sizeof(float));
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    return p;
}

static void poison(float *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) dst[i] = NAN;
    for (size_t i = 0; i < CANARY; i++) memcpy(&dst[n + i], &canary_bits, 4);
}

static bool canaries_ok(const float *dst, size_t n)
{
    for (size_t i = 0; i < CANARY; i++)
        if (memcmp(&dst[n + i], &canary_bits, 4) != 0) return false;
    return true;
}

/* Allowed |out - ref| in units of 2^-24 * sum_j |w_j x_j| (+|bias|) per output.
 * EXACT: any float summation order of `terms` products is within terms*u of that sum
 * (plus the final rounding), so terms + 2 is a rigorous bound that an index bug (an O(1)
 * relative error) still exceeds by orders of magnitude. */
static double bound_factor(const gsconv_variant *v, const gsconv_problem *p)
{
    const double terms = (double)(p->c / p->g) * (double)(p->kh * p->kw);
    switch (v->tol) {
    case GSCONV_TOL_EXACT: return terms + 2.0;
    case GSCONV_TOL_WINOGRAD:
        /* the variant's own factor: grows with c/g and the tile's transform amplification */
        if (v->ops->error_factor) return v->ops->error_factor(p);
        break;
    }
    fprintf(stderr, "%s: tolerance class %d has no bound in the sweep tester\n", v->name,
            (int)v->tol);
    exit(2);
}

/* |acc| bound per output: the reference run on |src|, |wei|, |bias| */
static void abs_ref(const gsconv_problem *p, const buffers *b, float *out)
{
    const size_t ns = gsconv_problem_src_elems(p), nw = gsconv_problem_wei_elems(p);
    float *as = alloc_floats(ns), *aw = alloc_floats(nw), *ab = alloc_floats((size_t)p->k);
    for (size_t i = 0; i < ns; i++) as[i] = fabsf(b->src[i]);
    for (size_t i = 0; i < nw; i++) aw[i] = fabsf(b->wei[i]);
    for (int64_t i = 0; i < p->k; i++) ab[i] = fabsf(b->bias[i]);
    gsconv_problem q = *p;
    q.act = GSCONV_ACT_NONE;
    gsconv_ref_conv_impl(&q, as, aw, ab, out, 1);
    gsconv_aligned_free(as), gsconv_aligned_free(aw), gsconv_aligned_free(ab);
}

/* The WINOGRAD class's bound is normwise over the output's tile, not its 3x3 window: the
 * transforms mix the whole alpha x alpha patch, so an output whose window is mostly
 * padding (a corner with padding 2 has one product) errs like its tile's neighbours
 * (docs/winograd.md). out[i] = the largest in[] among the outputs of the same image and
 * channel within 5 rows and columns (tiles are at most 6 x 6, so that covers the tile
 * whatever its alignment). */
static void tile_max(const gsconv_problem *p, const float *in, float *out)
{
    const int64_t R = 5, oh = p->oh, ow = p->ow, k = p->k;
    for (int64_t b = 0; b < p->n; b++)
        for (int64_t c = 0; c < k; c++)
            for (int64_t y = 0; y < oh; y++)
                for (int64_t x = 0; x < ow; x++) {
                    float m = 0.0f;
                    for (int64_t yy = y - R < 0 ? 0 : y - R; yy <= y + R && yy < oh; yy++)
                        for (int64_t xx = x - R < 0 ? 0 : x - R; xx <= x + R && xx < ow; xx++) {
                            const int64_t j = p->layout == GSCONV_NCHW ? ((b * k + c) * oh + yy) * ow + xx
                                                                       : ((b * oh + yy) * ow + xx) * k + c;
                            if (in[j] > m) m = in[j];
                        }
                    const int64_t i = p->layout == GSCONV_NCHW ? ((b * k + c) * oh + y) * ow + x
                                                               : ((b * oh + y) * ow + x) * k + c;
                    out[i] = m;
                }
}

static bool run_variant_kp(const gsconv_variant *v, const gsconv_problem *p, const buffers *b,
                           bool with_bias, int nthreads, const gsconv_kparams *kp, float *dst)
{
    gsconv_kinstance ki;
    if (gsconv_kinstance_init(&ki, v, p, kp, nthreads) ||
        gsconv_kinstance_set_weights(&ki, b->wei, with_bias ? b->bias : NULL)) {
        check_fail(__FILE__, __LINE__, "%s: setup failed: %s", v->name, gsconv_last_error());
        gsconv_kinstance_free(&ki);
        return false;
    }
    gsconv_kinstance_execute(&ki, b->src, dst);
    gsconv_kinstance_free(&ki);
    return true;
}

static bool run_variant(const gsconv_variant *v, const gsconv_problem *p, const buffers *b,
                        bool with_bias, int nthreads, float *dst)
{
    return run_variant_kp(v, p, b, with_bias, nthreads, NULL, dst);
}

/* A one-thread run from a caller that is itself thread 1 of an OpenMP team (a user who
 * runs one plan per thread of their own parallel region): the kernel must not take the
 * caller's omp_get_thread_num() for its own, its workspace has room for one thread. */
static bool run_variant_in_team(const gsconv_variant *v, const gsconv_problem *p, const buffers *b,
                                bool with_bias, float *dst)
{
    bool ok = true;
#pragma omp parallel num_threads(2)
    {
        if (omp_get_thread_num() == omp_get_num_threads() - 1) ok = run_variant(v, p, b, with_bias, 1, dst);
    }
    return ok;
}

typedef struct {
    int tested, not_applicable;
} tally;

static void test_one(const gsconv_variant *v, const gsconv_problem *p, const char *desc,
                     const buffers *b, bool ints, bool with_bias, int nthreads, const float *absr,
                     tally *t)
{
    const size_t nd = gsconv_problem_dst_elems(p);
    poison(b->out, nd);
    if (!(nthreads == 1 ? run_variant_in_team(v, p, b, with_bias, b->out)
                        : run_variant(v, p, b, with_bias, nthreads, b->out)))
        return;
    CHECK(canaries_ok(b->out, nd), "%s %s %s: wrote past the end of dst", v->name, desc,
          gsconv_layout_name(p->layout));
    size_t bad = 0, first = 0;
    double worst = 0;
    const bool exact = ints && v->tol == GSCONV_TOL_EXACT;
    const double factor = bound_factor(v, p);
    for (size_t i = 0; i < nd; i++) {
        const double d = fabs((double)b->out[i] - (double)b->ref[i]);
        const double lim = exact ? 0.0 : factor * 0x1.0p-24 * ((double)absr[i] + 1e-30);
        if (!(d <= lim)) { /* NaN fails too */
            if (!bad) first = i;
            bad++;
        }
        if (d > worst) worst = d;
    }
    CHECK(bad == 0,
          "%s %s %s %s threads=%d act=%s bias=%d: %zu of %zu outputs wrong; first at %zu: got %.9g "
          "want %.9g",
          v->name, desc, gsconv_layout_name(p->layout), ints ? "ints" : "reals", nthreads,
          gsconv_activation_name(p->act), with_bias, bad, nd, first, (double)b->out[first],
          (double)b->ref[first]);
    t->tested++;

    /* fused shuffle == conv, then standalone shuffle (bit for bit) */
    if (p->sg > 1) {
        gsconv_problem q = *p;
        q.sg = 1;
        char why[256];
        if (gsconv_registry_applicable(v, &q, gsconv_isa_available(), why, sizeof why)) {
            poison(b->out2, nd);
            if (run_variant(v, &q, b, with_bias, nthreads, b->out2)) {
                gsconv_ref_shuffle_impl(p->layout, p->n, p->k, p->oh, p->ow, p->sg, b->out2, b->shuf);
                CHECK(memcmp(b->shuf, b->out, nd * sizeof(float)) == 0,
                      "%s %s %s: fused shuffle differs from conv + standalone shuffle", v->name,
                      desc, gsconv_layout_name(p->layout));
            }
        }
    }
    /* other parameter values, on the exact pass (the tuner may store any of them): the
     * whole grid when it has at most GRID_MAX configurations (the tuner times such grids
     * whole, so any combination can be picked), else every other value of every
     * parameter, one at a time */
    if (exact) {
        int64_t grid = 1;
        int np = 0, pidx[GSCONV_MAX_PARAMS];
        for (int pi = 0; pi < GSCONV_MAX_PARAMS; pi++) {
            const int nv = v->ops->params[pi].nvalues;
            if (nv > 0) grid *= nv < GSCONV_MAX_PARAM_VALUES ? nv : GSCONV_MAX_PARAM_VALUES, pidx[np++] = pi;
        }
        int64_t ncfg = 0; /* configurations other than the default */
        if (grid <= GRID_MAX)
            ncfg = grid - 1;
        else
            for (int i = 0; i < np; i++) {
                const int nv = v->ops->params[pidx[i]].nvalues;
                ncfg += (nv < GSCONV_MAX_PARAM_VALUES ? nv : GSCONV_MAX_PARAM_VALUES) - 1;
            }
        for (int64_t cfg = 1; cfg <= ncfg; cfg++) {
            gsconv_kparams kp;
            gsconv_kparams_default(v, &kp);
            char what[128] = "";
            size_t wl = 0;
            if (grid <= GRID_MAX) { /* configuration cfg of the grid, mixed radix */
                int64_t r = cfg;
                for (int i = 0; i < np; i++) {
                    const gsconv_param_desc *pd = &v->ops->params[pidx[i]];
                    const int nv = pd->nvalues < GSCONV_MAX_PARAM_VALUES ? pd->nvalues : GSCONV_MAX_PARAM_VALUES;
                    kp.v[pidx[i]] = pd->values[r % nv];
                    r /= nv;
                    if (wl < sizeof what)
                        wl += (size_t)snprintf(what + wl, sizeof what - wl, "%s%s=%d", i ? "," : "",
                                               pd->name, kp.v[pidx[i]]);
                }
            } else { /* the cfg-th non-default value, one parameter at a time */
                int64_t r = cfg;
                for (int i = 0; i < np; i++) {
                    const gsconv_param_desc *pd = &v->ops->params[pidx[i]];
                    const int nv = pd->nvalues < GSCONV_MAX_PARAM_VALUES ? pd->nvalues : GSCONV_MAX_PARAM_VALUES;
                    if (r < nv) {
                        kp.v[pidx[i]] = pd->values[r];
                        snprintf(what, sizeof what, "%s=%d", pd->name, pd->values[r]);
                        break;
                    }
                    r -= nv - 1;
                }
            }
            {
                poison(b->out2, nd);
                if (!run_variant_kp(v, p, b, with_bias, nthreads, &kp, b->out2)) continue;
                CHECK(canaries_ok(b->out2, nd), "%s %s %s %s: wrote past the end of dst", v->name,
                      desc, gsconv_layout_name(p->layout), what);
                size_t wrong = 0;
                for (size_t e = 0; e < nd; e++) wrong += !(b->out2[e] == b->ref[e]);
                CHECK(wrong == 0, "%s %s %s %s threads=%d: %zu of %zu outputs wrong", v->name, desc,
                      gsconv_layout_name(p->layout), what, nthreads, wrong, nd);
            }
        }
    }
}

int main(int argc, char **argv)
{
    const char *only_variant = NULL, *only_shape = NULL;
    int nrandom = 0;
    unsigned long long seed = 1;
    for (int i = 1; i < argc; i++) {
        char *end = NULL;
        if (strcmp(argv[i], "--variant") == 0 && i + 1 < argc)
            only_variant = argv[++i];
        else if (strcmp(argv[i], "--shape") == 0 && i + 1 < argc)
            only_shape = argv[++i];
        else if (strcmp(argv[i], "--random") == 0 && i + 1 < argc &&
                 (nrandom = (int)strtol(argv[i + 1], &end, 10)) > 0 && nrandom <= 100000 && !*end)
            i++;
        else if (strcmp(argv[i], "--max-mflop") == 0 && i + 1 < argc &&
                 (shape_max_flop = strtod(argv[i + 1], &end) * 1e6, *argv[i + 1] && !*end) &&
                 shape_max_flop >= 1e6 && shape_max_flop <= 1e10) {
            shape_max_src = shape_max_flop / 4;
            i++;
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc &&
                 (seed = strtoull(argv[i + 1], &end, 10), *argv[i + 1] && !*end))
            i++;
        else {
            fprintf(stderr, "usage: test_sweep [--variant SUBSTRING] [--shape DESC | --random N [--seed S]\n"
                            "                  [--max-mflop M]]\n"
                            "  --variant  only the registry variants whose name contains SUBSTRING\n"
                            "  --shape    only DESC (a benchdnn-style descriptor, e.g.\n"
                            "             g32mb1ic128ih56oc128oh56kh3ph1; need not be in the list)\n"
                            "  --random   N random shapes (1..100000) instead of the list; each\n"
                            "             failure names its shape, which --shape then repeats\n"
                            "  --seed     seed of the random shapes (default 1)\n"
                            "  --max-mflop  largest random shape, MFLOP (1..10000, default 8;\n"
                            "             above 8 also images up to 120 pixels a side)\n");
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* a crash still shows the shape it was on */
    if (only_shape && nrandom) {
        fprintf(stderr, "test_sweep: --shape and --random exclude each other\n");
        return 2;
    }
    const gsconv_isa avail = gsconv_isa_available();
    const int nlist = only_shape ? 1 : nrandom ? nrandom : nshapes;
    printf("sweep: %d variants, %d %sshapes, ISA available: %s\n", gsconv_registry_size, nlist,
           nrandom ? "random " : "", gsconv_isa_name(avail));

    tally *tallies = calloc((size_t)gsconv_registry_size, sizeof *tallies);
    bool *skipped = calloc((size_t)gsconv_registry_size, sizeof *skipped);
    for (int vi = 0; vi < gsconv_registry_size; vi++) {
        const gsconv_variant *v = &gsconv_registry[vi];
        if (only_variant && !strstr(v->name, only_variant)) continue;
        if (!gsconv_isa_allowed(v->isa, avail)) {
            SKIP("%s skipped (no %s)", v->name, gsconv_isa_name(v->isa));
            skipped[vi] = true;
        }
    }

    /* --shape: that one shape (any descriptor, in the list or not); --random: N drawn
     * ones; else the list */
    shape_rng = (uint64_t)seed * 0x2545F4914F6CDD1Dull;
    int run_index = 0;
    for (int is = 0; is < nlist; is++) {
        char drawn[160];
        const char *shape = only_shape ? only_shape : nrandom ? drawn : shapes[is];
        if (nrandom) {
            random_shape(drawn, sizeof drawn);
            printf("random shape %d: %s\n", is + 1, drawn);
        }
        /* the data's seed is the shape's position in the list (a shape of the list gets
         * the same data alone as in the full sweep; one outside it the next position) */
        int si = only_shape || nrandom ? nshapes : is;
        for (int j = 0; only_shape && j < nshapes; j++)
            if (strcmp(only_shape, shapes[j]) == 0) si = j;
        gsconv_problem base;
        if (gsconv_problem_parse(&base, shape) != GSCONV_OK) {
            check_fail(__FILE__, __LINE__, "sweep shape %s: %s", shape, gsconv_last_error());
            continue;
        }
        for (int li = 0; li < 2; li++)
            for (int pass = 0; pass < 2; pass++) {
                const bool ints = pass == 0;
                gsconv_problem p = base;
                p.layout = li ? GSCONV_NHWC : GSCONV_NCHW;
                p.act = (si + li + pass) % 2 ? GSCONV_ACT_RELU : GSCONV_ACT_NONE;
                const bool with_bias = (si + pass) % 3 != 2;
                const size_t ns = gsconv_problem_src_elems(&p), nw = gsconv_problem_wei_elems(&p),
                             nd = gsconv_problem_dst_elems(&p);
                buffers b = {alloc_floats(ns), alloc_floats(nw), alloc_floats((size_t)p.k),
                             alloc_floats(nd), alloc_floats(nd), alloc_floats(nd),
                             alloc_floats(nd)};
                rng_state = 0x1234567u + (uint64_t)si * 7919u + (uint64_t)(li * 2 + pass);
                fill(b.src, ns, ints, 2);
                fill(b.wei, nw, ints, 2);
                fill(b.bias, (size_t)p.k, ints, 3);
                gsconv_ref_conv_impl(&p, b.src, b.wei, with_bias ? b.bias : NULL, b.ref, 1);
                float *absr = alloc_floats(nd);
                if (!with_bias) memset(b.bias, 0, (size_t)p.k * sizeof(float));
                abs_ref(&p, &b, absr);
                char desc[128];
                gsconv_problem_format(&p, desc, sizeof desc);
                buffers bw = {0}; /* the WINOGRAD class's integer data (see the top) */
                float *absr_w = NULL, *absr_t = NULL; /* absr_t: tile_max() of absr */
                for (int vi = 0; vi < gsconv_registry_size; vi++) {
                    const gsconv_variant *v = &gsconv_registry[vi];
                    if (only_variant && !strstr(v->name, only_variant)) continue;
                    if (skipped[vi]) continue;
                    if (!gsconv_registry_applicable(v, &p, avail, NULL, 0)) {
                        tallies[vi].not_applicable++;
                        continue;
                    }
                    const int nthreads = 1 + run_index++ % 3;
                    const buffers *bv = &b;
                    const float *av = absr;
                    if (!ints && v->tol == GSCONV_TOL_WINOGRAD) {
                        if (!absr_t) {
                            absr_t = alloc_floats(nd);
                            tile_max(&p, absr, absr_t);
                        }
                        av = absr_t;
                    }
                    if (ints && v->tol == GSCONV_TOL_WINOGRAD) {
                        if (!absr_w) { /* integers without zeros, made once per pass */
                            bw = (buffers){alloc_floats(ns), alloc_floats(nw), alloc_floats((size_t)p.k),
                                           alloc_floats(nd), alloc_floats(nd), alloc_floats(nd),
                                           alloc_floats(nd)};
                            rng_state = 0x7654321u + (uint64_t)si * 7919u + (uint64_t)li;
                            fill_nonzero(bw.src, ns, 2);
                            fill_nonzero(bw.wei, nw, 2);
                            fill(bw.bias, (size_t)p.k, true, 3);
                            gsconv_ref_conv_impl(&p, bw.src, bw.wei, with_bias ? bw.bias : NULL, bw.ref, 1);
                            absr_w = alloc_floats(nd);
                            if (!with_bias) memset(bw.bias, 0, (size_t)p.k * sizeof(float));
                            float *own = alloc_floats(nd);
                            abs_ref(&p, &bw, own);
                            tile_max(&p, own, absr_w);
                            gsconv_aligned_free(own);
                        }
                        bv = &bw;
                        av = absr_w;
                    }
                    test_one(v, &p, desc, bv, ints, with_bias, nthreads, av, &tallies[vi]);
                }
                if (absr_w) {
                    float *allw[] = {bw.src, bw.wei, bw.bias, bw.ref, bw.out, bw.out2, bw.shuf, absr_w};
                    for (size_t i = 0; i < sizeof allw / sizeof allw[0]; i++) gsconv_aligned_free(allw[i]);
                }
                gsconv_aligned_free(absr);
                gsconv_aligned_free(absr_t);
                float *all[] = {b.src, b.wei, b.bias, b.ref, b.out, b.out2, b.shuf};
                for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) gsconv_aligned_free(all[i]);
            }
    }

    for (int vi = 0; vi < gsconv_registry_size; vi++) {
        const gsconv_variant *v = &gsconv_registry[vi];
        if (only_variant && !strstr(v->name, only_variant)) continue;
        if (skipped[vi]) continue;
        printf("  %-32s %4d runs, %4d not applicable\n", v->name, tallies[vi].tested,
               tallies[vi].not_applicable);
        if (!only_shape && !nrandom)
            CHECK(tallies[vi].tested > 0, "%s: no sweep shape reaches this variant", v->name);
    }
    free(tallies);
    free(skipped);
    return check_summary("test_sweep");
}
