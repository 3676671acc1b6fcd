/*
 * Loading Google Benchmark JSON result files, model totals, statistics (results.h).
 */
#include "gsconv.h"
#include "results.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- small helpers */

static char *xstrdup(const char *s)
{
    size_t n = strlen(s ? s : "") + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s ? s : "", n);
    return d;
}

static void copy_str(char *dst, size_t len, const char *src)
{
    if (!len) return;
    snprintf(dst, len, "%s", src ? src : "");
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double gsr_median(const double *v, int n)
{
    if (n <= 0) return NAN;
    double *t = malloc(sizeof *t * (size_t)n);
    if (!t) return NAN;
    memcpy(t, v, sizeof *t * (size_t)n);
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    const double m = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
    free(t);
    return m;
}

double gsr_geomean(const double *v, int n)
{
    double s = 0;
    int k = 0;
    for (int i = 0; i < n; i++)
        if (isfinite(v[i]) && v[i] > 0) s += log(v[i]), k++;
    return k ? exp(s / k) : NAN;
}

typedef struct ranked {
    double v;
    int side;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    return cmp_double(&((const ranked *)a)->v, &((const ranked *)b)->v);
}

double gsr_mann_whitney_p(const double *a, int na, const double *b, int nb)
{
    if (na <= 0 || nb <= 0) return 1.0;
    const int n = na + nb;
    ranked *r = malloc(sizeof *r * (size_t)n);
    if (!r) return 1.0;
    for (int i = 0; i < na; i++) r[i] = (ranked){a[i], 0};
    for (int i = 0; i < nb; i++) r[na + i] = (ranked){b[i], 1};
    qsort(r, (size_t)n, sizeof *r, cmp_ranked);
    /* average ranks over ties; tie term sum(t^3 - t) */
    double rank_a = 0, ties = 0;
    for (int i = 0; i < n;) {
        int j = i;
        while (j + 1 < n && r[j + 1].v == r[i].v) j++;
        const double t = j - i + 1, avg = 0.5 * (i + j) + 1.0; /* ranks are 1-based */
        for (int k = i; k <= j; k++)
            if (r[k].side == 0) rank_a += avg;
        ties += t * t * t - t;
        i = j + 1;
    }
    free(r);
    const double u = rank_a - 0.5 * na * (na + 1.0);
    const double mu = 0.5 * na * nb;
    const double var = na * (double)nb / 12.0 * ((n + 1.0) - ties / ((double)n * (n - 1.0)));
    if (!(var > 0)) return 1.0;
    double z = (fabs(u - mu) - 0.5) / sqrt(var);
    if (z < 0) z = 0;
    return erfc(z / sqrt(2.0)); /* two-sided: 2 * (1 - Phi(z)) */
}

int gsr_write_atomic(const char *path, const char *data, size_t len)
{
    const size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) return -1;
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    const int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    size_t off = 0;
    while (off < len) {
        const ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            const int e = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            errno = e;
            return -1;
        }
        off += (size_t)w;
    }
    /* mkstemp creates 0600; results are ordinary files */
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        const int e = errno;
        unlink(tmp);
        free(tmp);
        errno = e;
        return -1;
    }
    free(tmp);
    return 0;
}

/* ---------------------------------------------------------------- names */

bool gsr_parse_name(const char *name, char *suite, size_t suite_len, char *desc,
                    size_t desc_len, char *layout, size_t layout_len, char *backend,
                    size_t backend_len)
{
    const char *f[4];
    size_t fl[4];
    const char *p = name;
    for (int i = 0; i < 4; i++) {
        const char *e = strchr(p, '/');
        if (!e && i < 3) return false;
        if (!e) e = p + strlen(p);
        f[i] = p;
        fl[i] = (size_t)(e - p);
        if (!fl[i]) return false;
        p = *e ? e + 1 : e;
    }
    if (!(fl[2] == 4 && (!strncmp(f[2], "nchw", 4) || !strncmp(f[2], "nhwc", 4)))) return false;
    if (fl[0] >= suite_len || fl[1] >= desc_len || fl[2] >= layout_len || fl[3] >= backend_len)
        return false;
    memcpy(suite, f[0], fl[0]), suite[fl[0]] = 0;
    memcpy(desc, f[1], fl[1]), desc[fl[1]] = 0;
    memcpy(layout, f[2], fl[2]), layout[fl[2]] = 0;
    memcpy(backend, f[3], fl[3]), backend[fl[3]] = 0;
    return true;
}

/* ---------------------------------------------------------------- loading */

enum { C_GFLOPS, C_BYTES, C_PEAK, C_ROOF, C_REPEAT, C_RSRC, C_RDST, NCOUNTERS };
static const char *const counter_names[NCOUNTERS] = {
    "GFLOP/s", "bytes/s", "peak_frac", "roofline_frac", "repeat", "reorder_src_ms",
    "reorder_dst_ms"};

typedef struct dvec {
    double *v;
    int n, cap;
} dvec;

static int dvec_push(dvec *d, double x)
{
    if (d->n == d->cap) {
        const int cap = d->cap ? 2 * d->cap : 8;
        double *v = realloc(d->v, sizeof *v * (size_t)cap);
        if (!v) return -1;
        d->v = v, d->cap = cap;
    }
    d->v[d->n++] = x;
    return 0;
}

typedef struct acc {
    dvec times, counters[NCOUNTERS];
    double median_aggregate;
} acc;

static const char *ctx_str(json_t *ctx, const char *key)
{
    json_t *v = json_object_get(ctx, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static double ctx_num(json_t *ctx, const char *key)
{
    json_t *v = json_object_get(ctx, key);
    if (json_is_number(v)) return json_number_value(v);
    if (json_is_string(v) && *json_string_value(v)) {
        char *end;
        const double d = strtod(json_string_value(v), &end);
        if (!*end) return d;
    }
    return NAN;
}

static double unit_seconds(const char *u)
{
    if (!strcmp(u, "ns")) return 1e-9;
    if (!strcmp(u, "us")) return 1e-6;
    if (!strcmp(u, "ms")) return 1e-3;
    if (!strcmp(u, "s")) return 1.0;
    return NAN;
}

static int fail(char *err, size_t errlen, const char *path, const char *fmt, const char *what)
{
    if (err && errlen) {
        char msg[256];
        snprintf(msg, sizeof msg, fmt, what ? what : "");
        snprintf(err, errlen, "%s: %s", path, msg);
    }
    return 2;
}

/* Google Benchmark writes non-finite doubles as bare NaN / inf / -nan (a "cv" aggregate of
 * a counter that is always 0, for one), which is not JSON: outside strings they become
 * null before parsing (same line numbers). */
static char *sanitize_nonfinite(const char *in, size_t len, size_t *outlen)
{
    static const char *const toks[] = {"-Infinity", "Infinity", "-NaN", "NaN", "-nan", "nan",
                                       "-inf", "inf"};
    char *out = malloc(len + len / 2 + 16); /* "nan" (3) -> "null" (4) grows by a third */
    if (!out) return NULL;
    size_t o = 0;
    bool in_str = false;
    for (size_t i = 0; i < len;) {
        const char ch = in[i];
        if (in_str) {
            out[o++] = ch;
            if (ch == '\\' && i + 1 < len) out[o++] = in[++i];
            else if (ch == '"') in_str = false;
            i++;
            continue;
        }
        if (ch == '"') {
            in_str = true;
            out[o++] = in[i++];
            continue;
        }
        size_t k = 0;
        for (; k < sizeof toks / sizeof toks[0]; k++) {
            const size_t tl = strlen(toks[k]);
            if (i + tl <= len && !memcmp(in + i, toks[k], tl) &&
                (i + tl == len || !(in[i + tl] >= 'a' && in[i + tl] <= 'z'))) {
                memcpy(out + o, "null", 4);
                o += 4;
                i += tl;
                break;
            }
        }
        if (k == sizeof toks / sizeof toks[0]) out[o++] = in[i++];
    }
    out[o] = 0;
    *outlen = o;
    return out;
}

static json_t *load_json(const char *path, json_error_t *je, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (err && errlen) snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    while (text) {
        const size_t got = fread(text + len, 1, cap - len, fp);
        len += got;
        if (len < cap) break;
        char *t = realloc(text, cap * 2);
        if (!t) free(text);
        text = t;
        cap *= 2;
    }
    const bool rerr = ferror(fp);
    fclose(fp);
    if (!text || rerr) {
        free(text);
        if (err && errlen) snprintf(err, errlen, "%s: cannot read: %s", path, rerr ? "I/O error" : "out of memory");
        return NULL;
    }
    size_t clen = 0;
    char *clean = sanitize_nonfinite(text, len, &clen);
    free(text);
    if (!clean) {
        if (err && errlen) snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    json_t *root = json_loadb(clean, clen, JSON_REJECT_DUPLICATES, je);
    free(clean);
    if (!root && err && errlen)
        snprintf(err, errlen, "%s: not valid JSON: %s (line %d, column %d)", path, je->text, je->line,
                 je->column);
    return root;
}

int gsr_load(const char *path, gsr_file *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->peak_gflops = f->bandwidth_gbs = f->bw_l2_gbs = f->bw_l3_gbs = NAN;
    f->path = xstrdup(path);
    json_error_t je;
    json_t *root = load_json(path, &je, err, errlen);
    if (!root) return 2;
    int rc = 0;
    acc *accs = NULL;
    json_t *ctx = json_object_get(root, "context");
    json_t *benches = json_object_get(root, "benchmarks");
    if (!json_is_object(root) || !json_is_object(ctx) || !json_is_array(benches)) {
        rc = fail(err, errlen, path,
                  "not a Google Benchmark result (needs a \"context\" object and a "
                  "\"benchmarks\" array)%s", NULL);
        goto out;
    }
    copy_str(f->host, sizeof f->host, ctx_str(ctx, "host_name"));
    copy_str(f->date, sizeof f->date, ctx_str(ctx, "date"));
    copy_str(f->executable, sizeof f->executable, ctx_str(ctx, "executable"));
    copy_str(f->version, sizeof f->version, ctx_str(ctx, "gsconv_version"));
    copy_str(f->commit, sizeof f->commit, ctx_str(ctx, "gsconv_commit"));
    copy_str(f->isa, sizeof f->isa, ctx_str(ctx, "gsconv_isa"));
    copy_str(f->threads, sizeof f->threads, ctx_str(ctx, "gsconv_threads"));
    copy_str(f->fingerprint, sizeof f->fingerprint, ctx_str(ctx, "gsconv_fingerprint"));
    copy_str(f->machine_key, sizeof f->machine_key, ctx_str(ctx, "gsconv_machine_key"));
    copy_str(f->peak_source, sizeof f->peak_source, ctx_str(ctx, "gsconv_peak_source"));
    copy_str(f->bandwidth_source, sizeof f->bandwidth_source, ctx_str(ctx, "gsconv_bandwidth_source"));
    copy_str(f->peers, sizeof f->peers, ctx_str(ctx, "gsconv_peers"));
    f->gsconv = f->version[0] != 0;
    f->peak_gflops = ctx_num(ctx, "gsconv_peak_gflops");
    f->bandwidth_gbs = ctx_num(ctx, "gsconv_bandwidth_gbs");
    f->bw_l2_gbs = ctx_num(ctx, "gsconv_bw_l2_gbs");
    f->bw_l3_gbs = ctx_num(ctx, "gsconv_bw_l3_gbs");
    {
        const char *key;
        json_t *val;
        const char *pre = "gsconv_suite_title:";
        const size_t pl = strlen(pre);
        int nt = 0;
        json_object_foreach(ctx, key, val) if (!strncmp(key, pre, pl)) nt++;
        if (nt) {
            f->suite_name = calloc((size_t)nt, sizeof *f->suite_name);
            f->suite_title = calloc((size_t)nt, sizeof *f->suite_title);
            f->suite_layers = calloc((size_t)nt, sizeof *f->suite_layers);
            if (!f->suite_name || !f->suite_title || !f->suite_layers) {
                rc = fail(err, errlen, path, "out of memory%s", NULL);
                goto out;
            }
            json_object_foreach(ctx, key, val)
            {
                if (strncmp(key, pre, pl) || !json_is_string(val)) continue;
                copy_str(f->suite_name[f->nsuite_titles], 64, key + pl);
                copy_str(f->suite_title[f->nsuite_titles], 128, json_string_value(val));
                char lk[128];
                snprintf(lk, sizeof lk, "gsconv_suite_layers:%s", key + pl);
                const double nl = ctx_num(ctx, lk);
                f->suite_layers[f->nsuite_titles] = isfinite(nl) && nl > 0 ? (int)nl : 0;
                f->nsuite_titles++;
            }
        }
    }

    const size_t nentries = json_array_size(benches);
    f->b = calloc(nentries ? nentries : 1, sizeof *f->b);
    accs = calloc(nentries ? nentries : 1, sizeof *accs);
    if (!f->b || !accs) {
        rc = fail(err, errlen, path, "out of memory%s", NULL);
        goto out;
    }
    for (size_t i = 0; i < nentries; i++) {
        json_t *e = json_array_get(benches, i);
        if (!json_is_object(e)) {
            rc = fail(err, errlen, path, "a \"benchmarks\" entry is not an object%s", NULL);
            goto out;
        }
        json_t *jn = json_object_get(e, "run_name");
        if (!json_is_string(jn)) jn = json_object_get(e, "name");
        if (!json_is_string(jn)) {
            rc = fail(err, errlen, path, "a \"benchmarks\" entry has no \"name\"%s", NULL);
            goto out;
        }
        const char *name = json_string_value(jn);
        int k = 0;
        while (k < f->nb && strcmp(f->b[k].name, name)) k++;
        gsr_bench *b = &f->b[k];
        acc *a = &accs[k];
        if (k == f->nb) {
            f->nb++;
            b->name = xstrdup(name);
            b->error_message = xstrdup("");
            b->label = xstrdup("");
            b->order = (int)i;
            b->median = NAN;
            a->median_aggregate = NAN;
            if (!b->name || !b->error_message || !b->label) {
                rc = fail(err, errlen, path, "out of memory%s", NULL);
                goto out;
            }
            b->parsed = gsr_parse_name(name, b->suite, sizeof b->suite, b->desc, sizeof b->desc,
                                       b->layout, sizeof b->layout, b->backend, sizeof b->backend);
        }
        json_t *jl = json_object_get(e, "label");
        if (json_is_string(jl) && !b->label[0]) {
            free(b->label);
            b->label = xstrdup(json_string_value(jl));
        }
        if (json_is_true(json_object_get(e, "error_occurred"))) {
            b->error = true;
            json_t *m = json_object_get(e, "error_message");
            free(b->error_message);
            b->error_message = xstrdup(json_is_string(m) ? json_string_value(m) : "error");
            continue;
        }
        json_t *rt = json_object_get(e, "real_time");
        json_t *tu = json_object_get(e, "time_unit");
        if (!json_is_number(rt)) continue;
        const double scale = unit_seconds(json_is_string(tu) ? json_string_value(tu) : "ns");
        if (!isfinite(scale)) {
            rc = fail(err, errlen, path, "unknown time_unit \"%s\"", json_string_value(tu));
            goto out;
        }
        const double t = json_number_value(rt) * scale;
        const char *run_type = json_string_value(json_object_get(e, "run_type"));
        if (run_type && !strcmp(run_type, "aggregate")) {
            const char *an = json_string_value(json_object_get(e, "aggregate_name"));
            if (an && !strcmp(an, "median")) a->median_aggregate = t;
            continue;
        }
        if (dvec_push(&a->times, t)) {
            rc = fail(err, errlen, path, "out of memory%s", NULL);
            goto out;
        }
        for (int c = 0; c < NCOUNTERS; c++) {
            json_t *cv = json_object_get(e, counter_names[c]);
            if (json_is_number(cv) && dvec_push(&a->counters[c], json_number_value(cv))) {
                rc = fail(err, errlen, path, "out of memory%s", NULL);
                goto out;
            }
        }
    }
    for (int k = 0; k < f->nb; k++) {
        gsr_bench *b = &f->b[k];
        acc *a = &accs[k];
        b->times = a->times.v;
        b->ntimes = a->times.n;
        a->times.v = NULL;
        b->median = b->ntimes ? gsr_median(b->times, b->ntimes) : a->median_aggregate;
        double *dst[NCOUNTERS] = {&b->gflops, &b->bytes_per_s, &b->peak_frac, &b->roofline_frac,
                                  &b->repeat, &b->reorder_src_ms, &b->reorder_dst_ms};
        for (int c = 0; c < NCOUNTERS; c++)
            *dst[c] = gsr_median(a->counters[c].v, a->counters[c].n);
    }
out:
    if (accs) {
        const size_t ne = json_is_array(benches) ? json_array_size(benches) : 0;
        for (size_t i = 0; i < ne; i++) {
            free(accs[i].times.v);
            for (int c = 0; c < NCOUNTERS; c++) free(accs[i].counters[c].v);
        }
        free(accs);
    }
    json_decref(root);
    return rc;
}

void gsr_free(gsr_file *f)
{
    if (!f) return;
    for (int i = 0; i < f->nb; i++) {
        free(f->b[i].name);
        free(f->b[i].times);
        free(f->b[i].error_message);
        free(f->b[i].label);
    }
    free(f->b);
    free(f->suite_name);
    free(f->suite_title);
    free(f->suite_layers);
    free(f->path);
    memset(f, 0, sizeof *f);
}

const char *gsr_suite_title(const gsr_file *f, const char *suite)
{
    for (int i = 0; i < f->nsuite_titles; i++)
        if (!strcmp(f->suite_name[i], suite)) return f->suite_title[i];
    return suite;
}

int gsr_suite_layers(const gsr_file *f, const char *suite)
{
    for (int i = 0; i < f->nsuite_titles; i++)
        if (!strcmp(f->suite_name[i], suite)) return f->suite_layers[i];
    return 0;
}

const char *gsr_coverage(const gsr_file *f, const char *suite, int layers, char *buf, size_t len)
{
    const int all = gsr_suite_layers(f, suite);
    if (all > layers)
        snprintf(buf, len, "%d of %d layers", layers, all);
    else
        snprintf(buf, len, "all convolutions");
    return buf;
}

const gsr_bench *gsr_find(const gsr_file *f, const char *suite, const char *desc,
                          const char *layout, const char *backend)
{
    for (int i = 0; i < f->nb; i++) {
        const gsr_bench *b = &f->b[i];
        if (b->parsed && !strcmp(b->suite, suite) && !strcmp(b->desc, desc) &&
            !strcmp(b->layout, layout) && !strcmp(b->backend, backend))
            return b;
    }
    return NULL;
}

/* ---------------------------------------------------------------- totals */

int gsr_totals(const gsr_file *f, gsr_total **out, int *n)
{
    *out = NULL;
    *n = 0;
    gsr_total *t = calloc((size_t)(f->nb ? f->nb : 1), sizeof *t);
    if (!t) return -1;
    int nt = 0;
    for (int i = 0; i < f->nb; i++) {
        const gsr_bench *b = &f->b[i];
        if (!b->parsed) continue;
        int k = 0;
        while (k < nt && !(!strcmp(t[k].suite, b->suite) && !strcmp(t[k].layout, b->layout) &&
                           !strcmp(t[k].backend, b->backend)))
            k++;
        if (k == nt) {
            copy_str(t[k].suite, sizeof t[k].suite, b->suite);
            copy_str(t[k].layout, sizeof t[k].layout, b->layout);
            copy_str(t[k].backend, sizeof t[k].backend, b->backend);
            nt++;
        }
        if (!b->error && isfinite(b->median)) {
            const double rep = isfinite(b->repeat) && b->repeat > 0 ? b->repeat : 1.0;
            t[k].seconds += b->median * rep;
            t[k].measured++;
        }
    }
    /* layers per (suite, layout): distinct descriptors over every backend */
    for (int k = 0; k < nt; k++) {
        int layers = 0;
        for (int i = 0; i < f->nb; i++) {
            const gsr_bench *b = &f->b[i];
            if (!b->parsed || strcmp(b->suite, t[k].suite) || strcmp(b->layout, t[k].layout)) continue;
            int j = 0;
            for (; j < i; j++) {
                const gsr_bench *c = &f->b[j];
                if (c->parsed && !strcmp(c->suite, b->suite) && !strcmp(c->layout, b->layout) &&
                    !strcmp(c->desc, b->desc))
                    break;
            }
            if (j == i) layers++;
        }
        t[k].layers = layers;
    }
    *out = t;
    *n = nt;
    return 0;
}

const char *gsr_backend_pretty(const char *backend, char *buf, size_t len)
{
    if (!strcmp(backend, "gsconv:tuned"))
        snprintf(buf, len, "gsconv");
    else if (!strncmp(backend, "gsconv:", 7))
        snprintf(buf, len, "gsconv %s", backend + 7);
    else if (!strcmp(backend, "onednn:best"))
        snprintf(buf, len, "oneDNN");
    else if (!strcmp(backend, "onednn:plain"))
        snprintf(buf, len, "oneDNN (plain)");
    else if (!strcmp(backend, "xnnpack"))
        snprintf(buf, len, "XNNPACK");
    else
        snprintf(buf, len, "%s", backend);
    return buf;
}

void gsr_print_totals(const gsr_file *f, void *stdio_file)
{
    FILE *o = stdio_file;
    gsr_total *t;
    int nt;
    if (gsr_totals(f, &t, &nt)) return;
    bool *done = calloc((size_t)(nt ? nt : 1), sizeof *done);
    if (!done) {
        free(t);
        return;
    }
    for (int k = 0; k < nt; k++) {
        if (done[k]) continue;
        char cov[64];
        fprintf(o, "%s (%s), %s:", gsr_suite_title(f, t[k].suite), t[k].layout,
                gsr_coverage(f, t[k].suite, t[k].layers, cov, sizeof cov));
        const char *sep = " ";
        for (int j = k; j < nt; j++) {
            if (done[j] || strcmp(t[j].suite, t[k].suite) || strcmp(t[j].layout, t[k].layout)) continue;
            done[j] = true;
            if (gsr_backend_shuffle_only(t[j].backend)) continue; /* the line below */
            char pb[128];
            gsr_backend_pretty(t[j].backend, pb, sizeof pb);
            if (t[j].measured == t[j].layers)
                fprintf(o, "%s%s %.3f ms", sep, pb, t[j].seconds * 1e3);
            else
                fprintf(o, "%s%s n/a (%d/%d layers)", sep, pb, t[j].measured, t[j].layers);
            sep = ", ";
        }
        fprintf(o, "\n");
        gsr_shuffle_sums sh;
        if (gsr_shuffle_totals(f, t[k].suite, t[k].layout, &sh) && sh.layers > 0) {
            fprintf(o, "  its %d layer(s) with a shuffle:", sh.layers);
            if (sh.complete[0] && sh.complete[1])
                fprintf(o, " fused %.4g ms, conv + standalone shuffle %.4g ms (fused/unfused %.2f);",
                        sh.ms[0], sh.ms[1], sh.ms[0] / sh.ms[1]);
            if (sh.complete[2] && sh.complete[3])
                fprintf(o, " standalone shuffles %.4g ms, memcpy of the same bytes %.4g ms (%.0f%% of "
                        "copy bandwidth)",
                        sh.ms[2], sh.ms[3], 100.0 * sh.ms[3] / sh.ms[2]);
            fprintf(o, "\n");
        }
    }
    free(done);
    free(t);
}

bool gsr_backend_shuffle_only(const char *backend)
{
    return !strcmp(backend, "gsconv:unfused") || !strncmp(backend, "shuffle:", 8);
}

bool gsr_shuffle_totals(const gsr_file *f, const char *suite, const char *layout, gsr_shuffle_sums *out)
{
    static const char *const be[4] = {"gsconv:tuned", "gsconv:unfused", "shuffle:gsconv", "shuffle:copy"};
    memset(out, 0, sizeof *out);
    for (int c = 0; c < 4; c++) out->complete[c] = true;
    bool any = false;
    for (int i = 0; i < f->nb; i++) {
        const gsr_bench *b = &f->b[i];
        if (!b->parsed || strcmp(b->suite, suite) || strcmp(b->layout, layout)) continue;
        /* one layer: its first benchmark in the file */
        int j = 0;
        for (; j < i; j++) {
            const gsr_bench *c = &f->b[j];
            if (c->parsed && !strcmp(c->suite, suite) && !strcmp(c->layout, layout) && !strcmp(c->desc, b->desc))
                break;
        }
        if (j < i) continue;
        gsconv_problem p;
        if (gsconv_problem_parse(&p, b->desc) != GSCONV_OK || p.sg <= 1) continue;
        out->layers++;
        for (int c = 0; c < 4; c++) {
            const gsr_bench *x = gsr_find(f, suite, b->desc, layout, be[c]);
            if (!x || x->error || !isfinite(x->median)) {
                out->complete[c] = false;
                continue;
            }
            any = any || c > 0;
            out->ms[c] += x->median * (isfinite(x->repeat) && x->repeat > 0 ? x->repeat : 1.0) * 1e3;
        }
    }
    return any;
}

int gsr_store_totals(const char *path, char *err, size_t errlen)
{
    gsr_file f;
    int rc = gsr_load(path, &f, err, errlen);
    if (rc) {
        gsr_free(&f);
        return rc;
    }
    gsr_total *t = NULL;
    int nt = 0;
    json_t *root = NULL;
    char *text = NULL;
    if (gsr_totals(&f, &t, &nt)) {
        snprintf(err, errlen, "%s: out of memory", path);
        rc = 2;
        goto out;
    }
    json_error_t je;
    root = load_json(path, &je, err, errlen);
    json_t *arr = json_array();
    if (!root || !arr) {
        json_decref(arr);
        if (root) snprintf(err, errlen, "%s: out of memory", path);
        rc = 2;
        goto out;
    }
    for (int k = 0; k < nt; k++) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:i, s:b}", "suite", t[k].suite,
                              "title", gsr_suite_title(&f, t[k].suite), "layout", t[k].layout,
                              "backend", t[k].backend, "total_ms", t[k].seconds * 1e3, "layers",
                              t[k].layers, "layers_measured", t[k].measured, "complete",
                              t[k].measured == t[k].layers);
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            snprintf(err, errlen, "%s: out of memory", path);
            rc = 2;
            goto out;
        }
    }
    json_object_set_new(root, "gsconv_model_totals", arr);
    text = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (!text) {
        snprintf(err, errlen, "%s: cannot format JSON", path);
        rc = 2;
        goto out;
    }
    const size_t len = strlen(text);
    text[len] = 0;
    char *withnl = realloc(text, len + 2);
    if (withnl) {
        text = withnl;
        text[len] = '\n', text[len + 1] = 0;
    }
    if (gsr_write_atomic(path, text, strlen(text))) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        rc = 2;
    }
out:
    free(text);
    json_decref(root);
    free(t);
    gsr_free(&f);
    return rc;
}
