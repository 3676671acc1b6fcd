/*
 * Problems: benchdnn descriptor parsing and canonical formatting, validation with a
 * reason for every rejection, sizes, flops; the thread-local error message; names.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* ---------------------------------------------------------------- errors */

static _Thread_local char last_error[512];

gsconv_status gsconv_set_error(gsconv_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return s;
}

void gsconv_clear_error(void) { last_error[0] = '\0'; }

const char *gsconv_last_error(void) { return last_error; }

const char *gsconv_status_string(gsconv_status s)
{
    switch (s) {
    case GSCONV_OK: return "ok";
    case GSCONV_ERR_INVALID_ARGUMENT: return "invalid argument";
    case GSCONV_ERR_BAD_DESCRIPTOR: return "bad descriptor";
    case GSCONV_ERR_BAD_SHAPE: return "bad shape";
    case GSCONV_ERR_OVERFLOW: return "size overflow";
    case GSCONV_ERR_NOT_APPLICABLE: return "variant not applicable";
    case GSCONV_ERR_UNKNOWN_VARIANT: return "unknown variant";
    case GSCONV_ERR_NO_MEMORY: return "out of memory";
    case GSCONV_ERR_NO_WEIGHTS: return "weights not set";
    case GSCONV_ERR_NOT_CACHED: return "not in cache";
    case GSCONV_ERR_IO: return "i/o error";
    case GSCONV_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

/* ---------------------------------------------------------------- names */

const char *gsconv_layout_name(gsconv_layout l) { return l == GSCONV_NHWC ? "nhwc" : "nchw"; }

const char *gsconv_activation_name(gsconv_activation a)
{
    return a == GSCONV_ACT_RELU ? "relu" : "none";
}

const char *gsconv_isa_name(gsconv_isa isa)
{
    switch (isa) {
    case GSCONV_ISA_SCALAR: return "scalar";
    case GSCONV_ISA_AVX2: return "avx2";
    case GSCONV_ISA_AVX512: return "avx512";
    case GSCONV_ISA_NEON: return "neon";
    case GSCONV_ISA_BEST: return "best";
    }
    return "unknown";
}

gsconv_status gsconv_isa_parse(const char *s, gsconv_isa *out)
{
    static const struct { const char *name; gsconv_isa isa; } t[] = {
        {"scalar", GSCONV_ISA_SCALAR}, {"avx2", GSCONV_ISA_AVX2},
        {"avx512", GSCONV_ISA_AVX512}, {"neon", GSCONV_ISA_NEON},
        {"best", GSCONV_ISA_BEST},     {"any", GSCONV_ISA_BEST},
    };
    if (!s || !out) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "isa: NULL argument");
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].name) == 0) {
            *out = t[i].isa;
            return GSCONV_OK;
        }
    return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT,
                            "unknown ISA '%s' (expected scalar, avx2, avx512, neon or best)", s);
}

const char *gsconv_algo_name(gsconv_algo a)
{
    switch (a) {
    case GSCONV_ALGO_REF: return "ref";
    case GSCONV_ALGO_DIRECT: return "direct";
    case GSCONV_ALGO_GEMM: return "gemm";
    case GSCONV_ALGO_WINOGRAD: return "winograd";
    }
    return "unknown";
}

/* ---------------------------------------------------------------- geometry */

/* Largest value any single size field may take; keeps every intermediate product of
 * two fields far from int64 overflow. */
#define FIELD_MAX ((int64_t)INT32_MAX)

static int64_t out_size(int64_t i, int64_t kk, int64_t s, int64_t pad, int64_t d)
{
    return (i - gsconv_ext(kk, d) + 2 * pad) / s + 1;
}

static int64_t sym_pad(int64_t o, int64_t i, int64_t kk, int64_t s, int64_t d)
{
    return ((o - 1) * s - i + gsconv_ext(kk, d)) / 2;
}

void gsconv_problem_init(gsconv_problem *p, int64_t n, int64_t c, int64_t h, int64_t w,
                         int64_t k, int64_t g, int64_t kh, int64_t kw, int64_t sh,
                         int64_t sw, int64_t ph, int64_t pw, int64_t dh, int64_t dw)
{
    memset(p, 0, sizeof *p);
    p->n = n, p->c = c, p->h = h, p->w = w, p->k = k, p->g = g;
    p->kh = kh, p->kw = kw, p->sh = sh, p->sw = sw, p->ph = ph, p->pw = pw;
    p->dh = dh, p->dw = dw, p->sg = 1;
    p->oh = sh > 0 ? out_size(h, kh, sh, ph, dh) : 0;
    p->ow = sw > 0 ? out_size(w, kw, sw, pw, dw) : 0;
    p->layout = GSCONV_NCHW;
    p->act = GSCONV_ACT_NONE;
}

/* a*b into *r unless it overflows or exceeds lim. */
static bool mul_ok(int64_t a, int64_t b, int64_t lim, int64_t *r)
{
    if (a < 0 || b < 0) return false;
    if (a != 0 && b > lim / a) return false;
    *r = a * b;
    return true;
}

static bool elems4(int64_t a, int64_t b, int64_t c, int64_t d, int64_t *r)
{
    /* at most PTRDIFF_MAX bytes of floats */
    const int64_t lim = (int64_t)(PTRDIFF_MAX / (ptrdiff_t)sizeof(float));
    int64_t x;
    return mul_ok(a, b, lim, &x) && mul_ok(x, c, lim, &x) && mul_ok(x, d, lim, r);
}

static gsconv_status why_fail(char *why, size_t len, gsconv_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static gsconv_status why_fail(char *why, size_t len, gsconv_status s, const char *fmt, ...)
{
    if (why && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, len, fmt, ap);
        va_end(ap);
    }
    return s;
}

static gsconv_status check_dim(char *why, size_t len, const char *tag, int64_t i, int64_t o,
                               int64_t kk, int64_t s, int64_t pad, int64_t d)
{
    if (i < 1 || i > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "i%s must be in 1..%d, got %lld", tag,
                        INT32_MAX, (long long)i);
    if (kk < 1 || kk > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "k%s must be in 1..%d, got %lld", tag,
                        INT32_MAX, (long long)kk);
    if (s < 1 || s > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "s%s must be in 1..%d, got %lld", tag,
                        INT32_MAX, (long long)s);
    if (d < 0 || d > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "d%s must be >= 0 (0 = dense kernel), got %lld", tag, (long long)d);
    if (pad < 0 || pad > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "p%s must be >= 0, got %lld", tag,
                        (long long)pad);
    const int64_t ext = gsconv_ext(kk, d);
    if (ext > FIELD_MAX)
        return why_fail(why, len, GSCONV_ERR_OVERFLOW, "dilated kernel extent in %s overflows",
                        tag);
    if (pad >= ext)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "p%s %lld must be smaller than the (dilated) kernel extent %lld", tag,
                        (long long)pad, (long long)ext);
    const int64_t full = out_size(i, kk, s, pad, d);
    if (o < 1 || o > FIELD_MAX) {
        if (full < 1)
            return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                            "output size o%s would be %lld: kernel extent %lld does not fit "
                            "input %lld with padding %lld",
                            tag, (long long)full, (long long)ext, (long long)i, (long long)pad);
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "o%s must be >= 1, got %lld", tag,
                        (long long)o);
    }
    /* implied far-side padding */
    const int64_t pad_r = (o - 1) * s + ext - i - pad;
    if (pad_r < -(s - 1) || pad_r >= ext)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "o%s %lld is inconsistent with i%s %lld, k%s %lld, s%s %lld, p%s %lld, "
                        "d%s %lld (expected %lld)",
                        tag, (long long)o, tag, (long long)i, tag, (long long)kk, tag,
                        (long long)s, tag, (long long)pad, tag, (long long)d, (long long)full);
    return GSCONV_OK;
}

gsconv_status gsconv_problem_check(const gsconv_problem *p, char *why, size_t len)
{
    if (!p) return why_fail(why, len, GSCONV_ERR_INVALID_ARGUMENT, "problem is NULL");
    struct { const char *name; int64_t v; } pos[] = {
        {"mb", p->n}, {"ic", p->c}, {"oc", p->k}, {"g", p->g}, {"sg", p->sg},
    };
    for (size_t i = 0; i < sizeof pos / sizeof pos[0]; i++)
        if (pos[i].v < 1 || pos[i].v > FIELD_MAX)
            return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "%s must be in 1..%d, got %lld",
                            pos[i].name, INT32_MAX, (long long)pos[i].v);
    if (p->c % p->g)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "ic %lld is not a multiple of g %lld", (long long)p->c, (long long)p->g);
    if (p->k % p->g)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "oc %lld is not a multiple of g %lld", (long long)p->k, (long long)p->g);
    if (p->k % p->sg)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE,
                        "oc %lld is not a multiple of sg %lld", (long long)p->k, (long long)p->sg);
    if (p->layout != GSCONV_NCHW && p->layout != GSCONV_NHWC)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "unknown layout %d", (int)p->layout);
    if (p->act != GSCONV_ACT_NONE && p->act != GSCONV_ACT_RELU)
        return why_fail(why, len, GSCONV_ERR_BAD_SHAPE, "unknown activation %d", (int)p->act);
    gsconv_status s = check_dim(why, len, "h", p->h, p->oh, p->kh, p->sh, p->ph, p->dh);
    if (s) return s;
    s = check_dim(why, len, "w", p->w, p->ow, p->kw, p->sw, p->pw, p->dw);
    if (s) return s;
    int64_t e;
    if (!elems4(p->n, p->c, p->h, p->w, &e))
        return why_fail(why, len, GSCONV_ERR_OVERFLOW, "src element count mb*ic*ih*iw overflows");
    if (!elems4(p->k, p->c / p->g, p->kh, p->kw, &e))
        return why_fail(why, len, GSCONV_ERR_OVERFLOW,
                        "weights element count oc*(ic/g)*kh*kw overflows");
    if (!elems4(p->n, p->k, p->oh, p->ow, &e))
        return why_fail(why, len, GSCONV_ERR_OVERFLOW, "dst element count mb*oc*oh*ow overflows");
    return GSCONV_OK;
}

gsconv_status gsconv_problem_validate(const gsconv_problem *p)
{
    char why[256];
    gsconv_status s = gsconv_problem_check(p, why, sizeof why);
    if (s) return gsconv_set_error(s, "%s", why);
    return GSCONV_OK;
}

size_t gsconv_problem_src_elems(const gsconv_problem *p)
{
    return (size_t)p->n * (size_t)p->c * (size_t)p->h * (size_t)p->w;
}
size_t gsconv_problem_wei_elems(const gsconv_problem *p)
{
    return (size_t)p->k * (size_t)(p->c / p->g) * (size_t)p->kh * (size_t)p->kw;
}
size_t gsconv_problem_dst_elems(const gsconv_problem *p)
{
    return (size_t)p->n * (size_t)p->k * (size_t)p->oh * (size_t)p->ow;
}
double gsconv_problem_flops(const gsconv_problem *p)
{
    return 2.0 * (double)p->n * (double)p->k * (double)p->oh * (double)p->ow *
           (double)(p->c / p->g) * (double)p->kh * (double)p->kw;
}

/* ---------------------------------------------------------------- parsing */

enum { F_G, F_MB, F_IC, F_IH, F_IW, F_OC, F_OH, F_OW, F_KH, F_KW, F_SH, F_SW, F_PH, F_PW,
       F_DH, F_DW, F_SG, F_COUNT };

static const char *const field_names[F_COUNT] = {
    "g", "mb", "ic", "ih", "iw", "oc", "oh", "ow", "kh", "kw",
    "sh", "sw", "ph", "pw", "dh", "dw", "sg",
};

gsconv_status gsconv_problem_parse(gsconv_problem *out, const char *desc)
{
    if (!out || !desc)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "descriptor: NULL argument");
    int64_t v[F_COUNT];
    bool has[F_COUNT] = {false};
    const char *s = desc;
    if (!*s) return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR, "empty descriptor");
    while (*s) {
        if (*s == '_') {
            s++;
            continue;
        }
        /* longest field name that matches here (two letters before one) */
        int f = -1;
        for (int i = 0; i < F_COUNT; i++) {
            size_t l = strlen(field_names[i]);
            if (strncmp(s, field_names[i], l) == 0 && isdigit((unsigned char)s[l]) &&
                (f < 0 || strlen(field_names[f]) < l))
                f = i;
        }
        if (f < 0) {
            static const char *const three_d[] = {"id", "od", "kd", "sd", "pd", "dd"};
            for (size_t i = 0; i < sizeof three_d / sizeof three_d[0]; i++)
                if (strncmp(s, three_d[i], 2) == 0 && isdigit((unsigned char)s[2]))
                    return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR,
                                            "descriptor '%s': 3-D field '%s' is not supported "
                                            "(2-D convolutions only)",
                                            desc, three_d[i]);
            if (*s == 'n' && !isdigit((unsigned char)s[1])) break; /* "n<name>" label */
            const char *what = isdigit((unsigned char)*s) ? "a number without a field name"
                                                          : "an unknown field";
            return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR,
                                    "descriptor '%s': %s at offset %d ('%.8s')", desc, what,
                                    (int)(s - desc), s);
        }
        if (has[f])
            return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR,
                                    "descriptor '%s': field '%s' given twice", desc,
                                    field_names[f]);
        s += strlen(field_names[f]);
        errno = 0;
        char *end;
        long long x = strtoll(s, &end, 10);
        if (errno == ERANGE || x > FIELD_MAX)
            return gsconv_set_error(GSCONV_ERR_OVERFLOW,
                                    "descriptor '%s': value of '%s' is too large (max %d)", desc,
                                    field_names[f], INT32_MAX);
        has[f] = true;
        v[f] = x;
        s = end;
    }
    for (int i = 0; i < F_COUNT; i++)
        if (!has[i]) v[i] = 0;

    if (!has[F_IC] || !has[F_OC])
        return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR, "descriptor '%s': ic and oc are required",
                                desc);
    if (!has[F_IH] && !has[F_IW])
        return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR,
                                "descriptor '%s': an input size (ih) is required", desc);
    /* zero-or-negative checks that the defaults would otherwise hide */
    for (int i = 0; i < F_COUNT; i++) {
        bool may_be_zero = i == F_PH || i == F_PW || i == F_DH || i == F_DW;
        if (has[i] && !may_be_zero && v[i] <= 0)
            return gsconv_set_error(GSCONV_ERR_BAD_SHAPE, "descriptor '%s': %s must be >= 1",
                                    desc, field_names[i]);
    }

    /* 1-D descriptors: no h field at all, height 1 */
    const bool any_h = has[F_IH] || has[F_OH] || has[F_KH] || has[F_SH] || has[F_PH] || has[F_DH];
    if (any_h && !has[F_IH])
        return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR, "descriptor '%s': ih is required", desc);
    if (any_h && !has[F_KH])
        return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR, "descriptor '%s': kh is required", desc);

    gsconv_problem p;
    memset(&p, 0, sizeof p);
    p.g = has[F_G] ? v[F_G] : 1;
    p.n = has[F_MB] ? v[F_MB] : 2;
    p.c = v[F_IC];
    p.k = v[F_OC];
    p.sg = has[F_SG] ? v[F_SG] : 1;
    if (any_h) {
        p.h = v[F_IH];
        p.kh = v[F_KH];
        p.sh = has[F_SH] ? v[F_SH] : 1;
        p.dh = has[F_DH] ? v[F_DH] : 0;
        if (!has[F_OH]) {
            p.ph = has[F_PH] ? v[F_PH] : 0;
            p.oh = out_size(p.h, p.kh, p.sh, p.ph, p.dh);
        } else {
            p.oh = v[F_OH];
            p.ph = has[F_PH] ? v[F_PH] : sym_pad(p.oh, p.h, p.kh, p.sh, p.dh);
        }
    } else {
        p.h = p.kh = p.sh = p.oh = 1;
        p.ph = p.dh = 0;
    }
    /* w: missing fields copy their h counterpart (square problems) */
    p.w = has[F_IW] ? v[F_IW] : p.h;
    p.kw = has[F_KW] ? v[F_KW] : p.kh;
    p.sw = has[F_SW] ? v[F_SW] : p.sh;
    p.dw = has[F_DW] ? v[F_DW] : p.dh;
    if (!any_h && (!has[F_IW] || !has[F_KW]))
        return gsconv_set_error(GSCONV_ERR_BAD_DESCRIPTOR,
                                "descriptor '%s': iw and kw are required without ih", desc);
    const bool w_like_h = any_h && p.w == p.h && p.kw == p.kh && p.sw == p.sh && p.dw == p.dh &&
                          (!has[F_PW] || v[F_PW] == p.ph);
    const bool has_pw = has[F_PW] || (any_h && has[F_PH]);
    const int64_t pw = has[F_PW] ? v[F_PW] : p.ph;
    if (has[F_OW] || (w_like_h && has[F_OH])) {
        p.ow = has[F_OW] ? v[F_OW] : p.oh;
        p.pw = has_pw ? pw : sym_pad(p.ow, p.w, p.kw, p.sw, p.dw);
    } else {
        p.pw = has_pw ? pw : 0;
        p.ow = out_size(p.w, p.kw, p.sw, p.pw, p.dw);
    }
    p.layout = GSCONV_NCHW;
    p.act = GSCONV_ACT_NONE;

    char why[256];
    gsconv_status st = gsconv_problem_check(&p, why, sizeof why);
    if (st) return gsconv_set_error(st, "descriptor '%s': %s", desc, why);
    *out = p;
    return GSCONV_OK;
}

/* ---------------------------------------------------------------- formatting */

typedef struct { char *buf; size_t len; size_t used; } sbuf;

static void put(sbuf *b, const char *name, int64_t v)
{
    char tmp[48];
    int l = snprintf(tmp, sizeof tmp, "%s%lld", name, (long long)v);
    for (int i = 0; i < l; i++) {
        if (b->used + 1 < b->len) b->buf[b->used] = tmp[i];
        b->used++;
    }
}

int gsconv_problem_format(const gsconv_problem *p, char *buf, size_t len)
{
    sbuf b = {buf, len, 0};
    bool print_w = p->w != p->h || p->ow != p->oh || p->kw != p->kh || p->sw != p->sh ||
                   p->pw != p->ph || p->dw != p->dh;
    put(&b, "g", p->g);
    put(&b, "mb", p->n);
    put(&b, "ic", p->c);
    put(&b, "ih", p->h);
    if (print_w) put(&b, "iw", p->w);
    put(&b, "oc", p->k);
    put(&b, "oh", p->oh);
    if (print_w) put(&b, "ow", p->ow);
    put(&b, "kh", p->kh);
    if (print_w) put(&b, "kw", p->kw);
    if (p->sh != 1 || print_w) put(&b, "sh", p->sh);
    if (print_w) put(&b, "sw", p->sw);
    if (print_w || p->ph != 0 || sym_pad(p->oh, p->h, p->kh, p->sh, p->dh) != 0)
        put(&b, "ph", p->ph);
    if (print_w) put(&b, "pw", p->pw);
    if (p->dh != 0 || print_w) put(&b, "dh", p->dh);
    if (print_w) put(&b, "dw", p->dw);
    if (p->sg != 1) put(&b, "sg", p->sg);
    if (b.len) b.buf[b.used < b.len ? b.used : b.len - 1] = '\0';
    return (int)b.used;
}
