/*
 * The standalone channel shuffle kernels (gsconv_shuffle_registry): every row this CPU
 * can run against the scalar reference, bit for bit, in its layout, over channel counts
 * that are not multiples of the vector length, sg in {1, 2, 3, 4, 5, 6, 7, 8, c}, odd
 * h*w, batch 2, 1/2/3 threads, misaligned pointers; canaries around dst catch
 * overruns, and exact-size heap blocks let ASan catch over-reads; one 12.8 MB case
 * takes the non-temporal copy path. Property: shuffle by
 * sg then by c/sg is the identity. Rows whose ISA is missing are reported as skipped.
 * Also the public gsconv_channel_shuffle against gsconv_reference_shuffle.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kernel.h"

#define CANARY 16
static const uint32_t canary_bits = 0x7fc0dead; /* a NaN nobody produces */
static const uint32_t poison_bits = 0x7fa5a5a5;

static void fill_bits(float *p, size_t n, uint32_t bits)
{
    for (size_t i = 0; i < n; i++) memcpy(p + i, &bits, sizeof bits);
}

static bool all_bits(const float *p, size_t n, uint32_t bits)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t b;
        memcpy(&b, p + i, sizeof b);
        if (b != bits) return false;
    }
    return true;
}

/* A tensor of `count` floats at offset `off` (0 or 1 float, for misalignment) in a heap
 * block with CANARY floats of canary after it and `off` before it. */
typedef struct buf {
    float *base, *p;
    size_t count;
    int off;
} buf;

static buf buf_new(size_t count, int off)
{
    buf b = {.count = count, .off = off};
    b.base = malloc((count + (size_t)off + CANARY) * sizeof(float));
    b.p = b.base + off;
    fill_bits(b.base, (size_t)off, canary_bits);
    fill_bits(b.p, count, poison_bits);
    fill_bits(b.p + count, CANARY, canary_bits);
    return b;
}

static bool buf_canaries_ok(const buf *b)
{
    return all_bits(b->base, (size_t)b->off, canary_bits) &&
           all_bits(b->p + b->count, CANARY, canary_bits);
}

/* Exact-size source (no slack after it), values all distinct. */
static float *src_new(size_t count, int off, float **block)
{
    *block = calloc(count + (size_t)off, sizeof(float));
    float *s = *block + off;
    for (size_t i = 0; i < count; i++) s[i] = (float)(i + 1) * (i % 2 ? -1.0f : 1.0f);
    return s;
}

static void run_case(const gsconv_shuffle_variant *v, int64_t n, int64_t c, int64_t h,
                     int64_t w, int64_t sg, int nthreads, int off)
{
    const size_t count = (size_t)(n * c * h * w);
    float *sblock;
    const float *src = src_new(count, off, &sblock);
    float *want = malloc(count * sizeof(float));
    gsconv_ref_shuffle_impl(v->layout, n, c, h, w, sg, src, want);

    buf d = buf_new(count, off);
    v->run(n, c, h, w, sg, src, d.p, nthreads);
    CHECK(memcmp(d.p, want, count * sizeof(float)) == 0,
          "%s n%lld c%lld h%lld w%lld sg%lld threads %d off %d: differs from the reference",
          v->name, (long long)n, (long long)c, (long long)h, (long long)w, (long long)sg,
          nthreads, off);
    CHECK(buf_canaries_ok(&d), "%s n%lld c%lld h%lld w%lld sg%lld threads %d off %d: wrote "
          "outside dst", v->name, (long long)n, (long long)c, (long long)h, (long long)w,
          (long long)sg, nthreads, off);

    /* property: shuffling by c/sg undoes the shuffle by sg */
    buf back = buf_new(count, off);
    v->run(n, c, h, w, c / sg, d.p, back.p, nthreads);
    CHECK(memcmp(back.p, src, count * sizeof(float)) == 0 && buf_canaries_ok(&back),
          "%s n%lld c%lld h%lld w%lld: shuffle by %lld then %lld is not the identity",
          v->name, (long long)n, (long long)c, (long long)h, (long long)w, (long long)sg,
          (long long)(c / sg));
    free(back.base);
    free(d.base);
    free(want);
    free(sblock);
}

static void test_variant(const gsconv_shuffle_variant *v)
{
    static const int64_t cs[] = {6, 12, 24, 30, 36, 56, 96, 240, 288};
    static const int64_t sgs[] = {1, 2, 3, 4, 5, 6, 7, 8, 0 /* = c */};
    static const int64_t hws[][2] = {{1, 1}, {3, 5}, {7, 3}, {4, 4}, {7, 7}, {8, 8}};
    const int before = check_failed;
    for (size_t ci = 0; ci < sizeof cs / sizeof cs[0]; ci++)
        for (size_t si = 0; si < sizeof sgs / sizeof sgs[0]; si++) {
            const int64_t c = cs[ci], sg = sgs[si] ? sgs[si] : c;
            if (c % sg || (sgs[si] == 0 && c <= 8)) continue;
            for (size_t k = 0; k < sizeof hws / sizeof hws[0]; k++)
                run_case(v, 2, c, hws[k][0], hws[k][1], sg, 1, (int)(k % 2));
            /* large enough for several threads: contiguous ranges with remainders */
            if (c >= 96)
                for (int t = 1; t <= 3; t++) run_case(v, 2, c, 17, 15, sg, t, t == 2);
        }
    /* many planes / pixels of one channel pair */
    for (int t = 1; t <= 3; t++) run_case(v, 3, 2, 101, 103, 2, t, 0);
    /* > 12 MiB: the copies switch to non-temporal stores (planes and identity) */
    run_case(v, 2, 6, 513, 521, 3, 1, 1);
    run_case(v, 2, 6, 513, 521, 3, 3, 0);
    run_case(v, 2, 6, 513, 521, 1, 2, 1);
    printf("%s: %s\n", v->name, check_failed == before ? "ok" : "FAILED");
}

static void test_public(void)
{
    const gsconv_layout lays[] = {GSCONV_NCHW, GSCONV_NHWC};
    for (int li = 0; li < 2; li++) {
        const int64_t n = 2, c = 240, h = 5, w = 7, sg = 3;
        const size_t count = (size_t)(n * c * h * w);
        float *sblock;
        const float *src = src_new(count, 0, &sblock);
        float *a = malloc(count * sizeof(float)), *b = malloc(count * sizeof(float));
        CHECK(gsconv_reference_shuffle(lays[li], n, c, h, w, sg, src, a) == GSCONV_OK, "%s",
              gsconv_last_error());
        CHECK(gsconv_channel_shuffle(lays[li], n, c, h, w, sg, src, b) == GSCONV_OK, "%s",
              gsconv_last_error());
        CHECK(memcmp(a, b, count * sizeof(float)) == 0, "gsconv_channel_shuffle %s differs",
              gsconv_layout_name(lays[li]));
        CHECK(gsconv_channel_shuffle(lays[li], n, c, h, w, 7, src, b) == GSCONV_ERR_BAD_SHAPE,
              "c %% sg != 0 accepted");
        CHECK(gsconv_channel_shuffle(lays[li], n, c, h, w, 3, NULL, b) ==
                  GSCONV_ERR_INVALID_ARGUMENT,
              "NULL src accepted");
        const gsconv_shuffle_variant *v = gsconv_shuffle_best(lays[li], gsconv_isa_available());
        CHECK(v && v->layout == lays[li], "no shuffle row for %s", gsconv_layout_name(lays[li]));
        if (v) printf("dispatch %s -> %s\n", gsconv_layout_name(lays[li]), v->name);
        free(a);
        free(b);
        free(sblock);
    }
}

int main(void)
{
    const gsconv_isa avail = gsconv_isa_available();
    int nl[2] = {0, 0};
    for (int i = 0; i < gsconv_shuffle_registry_size; i++) {
        const gsconv_shuffle_variant *v = &gsconv_shuffle_registry[i];
        nl[v->layout == GSCONV_NHWC]++;
        if (!gsconv_isa_allowed(v->isa, avail)) {
            SKIP("%s: skipped (no %s)", v->name, gsconv_isa_name(v->isa));
            continue;
        }
        test_variant(v);
    }
    CHECK(nl[0] >= 1 && nl[1] >= 1, "shuffle table lacks a layout (%d nchw, %d nhwc rows)",
          nl[0], nl[1]);
    test_public();
    return check_summary("test_shuffle");
}
