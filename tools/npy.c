/*
 * NumPy .npy float32 reader and atomic writer; see npy.h for what is accepted.
 */
#include "npy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* Headers of float32 arrays are a few hundred bytes; anything this large is not a
 * NumPy header (NumPy itself refuses headers over 10000 bytes by default). */
#define NPY_HEADER_LIMIT (1u << 20)

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static bool host_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static void swap4(void *p, size_t count)
{
    unsigned char *b = p;
    for (size_t i = 0; i < count; i++, b += 4) {
        unsigned char t = b[0];
        b[0] = b[3], b[3] = t;
        t = b[1];
        b[1] = b[2], b[2] = t;
    }
}

/* count = prod(shape), and count * 4 bytes must be addressable. */
static bool shape_count(int ndim, const int64_t *shape, size_t *count)
{
    const uint64_t lim = (uint64_t)PTRDIFF_MAX / 4; /* PTRDIFF_MAX <= SIZE_MAX */
    uint64_t c = 1;
    bool zero = false;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0) return false;
        if (shape[i] == 0) zero = true;
    }
    if (zero) {
        *count = 0;
        return true;
    }
    for (int i = 0; i < ndim; i++) {
        const uint64_t d = (uint64_t)shape[i];
        if (c > lim / d) return false;
        c *= d;
    }
    *count = (size_t)c;
    return true;
}

int npy_format_shape(char *buf, size_t len, int ndim, const int64_t *shape)
{
    size_t used = 0;
    int total = 0;
#define PUT(...)                                                                             \
    do {                                                                                     \
        int r_ = snprintf(buf ? buf + used : NULL, used < len ? len - used : 0, __VA_ARGS__); \
        if (r_ < 0) return r_;                                                               \
        total += r_;                                                                         \
        used = (size_t)total < len ? (size_t)total : len;                                    \
    } while (0)
    if (len == 0) buf = NULL;
    PUT("(");
    for (int i = 0; i < ndim; i++) PUT(i ? ", %lld" : "%lld", (long long)shape[i]);
    PUT(ndim == 1 ? ",)" : ")");
#undef PUT
    return total;
}

int npy_shape_equal(const npy_array *a, int ndim, const int64_t *shape)
{
    if (a->ndim != ndim) return 0;
    for (int i = 0; i < ndim; i++)
        if (a->shape[i] != shape[i]) return 0;
    return 1;
}

void npy_free(npy_array *a)
{
    if (!a) return;
    free(a->data);
    a->data = NULL;
    a->count = 0;
    a->ndim = 0;
}

/* ---------------------------------------------------------------- header parsing */

typedef struct hparser {
    const char *s;
    size_t len, pos;
    char *err;
    size_t errlen;
} hparser;

/* The start of the header, printable, for messages. */
static void excerpt(const char *s, size_t len, char *out, size_t outlen)
{
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < outlen; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (i >= 60) {
            if (o + 4 < outlen) memcpy(out + o, "...", 3), o += 3;
            break;
        }
        if (ch == '\n') {
            memcpy(out + o, "\\n", 2), o += 2;
        } else if (ch < 0x20 || ch >= 0x7f) {
            snprintf(out + o, outlen - o, "\\x%02x", ch);
            o += 4;
        } else {
            out[o++] = (char)ch;
        }
    }
    out[o < outlen ? o : outlen - 1] = '\0';
}

static int hfail(hparser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int hfail(hparser *p, const char *fmt, ...)
{
    char what[200], ex[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    excerpt(p->s, p->len, ex, sizeof ex);
    return fail(p->err, p->errlen, "malformed header at offset %zu: %s (header: %s)", p->pos,
                what, ex);
}

static bool is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\f' || ch == '\v';
}

static void skip_ws(hparser *p)
{
    while (p->pos < p->len && is_space((unsigned char)p->s[p->pos])) p->pos++;
}

static int peek(const hparser *p) { return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1; }

/* A quoted string without escapes; *str points into the header. */
static int parse_string(hparser *p, const char **str, size_t *slen, const char *what)
{
    const int q = peek(p);
    if (q != '\'' && q != '"') return hfail(p, "expected a quoted %s", what);
    const size_t start = ++p->pos;
    while (p->pos < p->len && p->s[p->pos] != q) {
        if (p->s[p->pos] == '\\') return hfail(p, "escapes in strings are not supported");
        if (p->s[p->pos] == '\n') break;
        p->pos++;
    }
    if (p->pos >= p->len || p->s[p->pos] != q) return hfail(p, "unterminated string");
    *str = p->s + start;
    *slen = p->pos - start;
    p->pos++;
    return 0;
}

static bool is_ident(int ch)
{
    return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9');
}

static int parse_bool(hparser *p, bool *out)
{
    const size_t start = p->pos;
    while (is_ident(peek(p))) p->pos++;
    const size_t n = p->pos - start;
    if (n == 4 && memcmp(p->s + start, "True", 4) == 0) return *out = true, 0;
    if (n == 5 && memcmp(p->s + start, "False", 5) == 0) return *out = false, 0;
    p->pos = start;
    return hfail(p, "fortran_order must be True or False");
}

static int parse_shape(hparser *p, int *ndim, int64_t *shape)
{
    if (peek(p) == '[') return hfail(p, "shape must be a tuple, not a list");
    if (peek(p) != '(') return hfail(p, "shape must be a tuple like (2, 3)");
    p->pos++;
    skip_ws(p);
    int n = 0;
    bool trailing_comma = false;
    if (peek(p) == ')') {
        p->pos++;
        *ndim = 0;
        return 0;
    }
    for (;;) {
        if (peek(p) == '-') return hfail(p, "shape has a negative entry");
        if (peek(p) < '0' || peek(p) > '9') return hfail(p, "shape entry is not a non-negative integer");
        uint64_t v = 0;
        while (peek(p) >= '0' && peek(p) <= '9') {
            const unsigned d = (unsigned)(peek(p) - '0');
            if (v > ((uint64_t)INT64_MAX - d) / 10) return hfail(p, "shape entry is too large");
            v = v * 10 + d;
            p->pos++;
        }
        if (peek(p) == 'L' || peek(p) == 'l') p->pos++; /* Python 2 long */
        if (is_ident(peek(p)) || peek(p) == '.')
            return hfail(p, "shape entry is not a non-negative integer");
        if (n == NPY_MAX_DIMS) return hfail(p, "shape has more than %d dimensions", NPY_MAX_DIMS);
        shape[n++] = (int64_t)v;
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            skip_ws(p);
            if (peek(p) == ')') {
                p->pos++;
                trailing_comma = true;
                break;
            }
            continue;
        }
        if (peek(p) == ')') {
            p->pos++;
            break;
        }
        return hfail(p, "expected ',' or ')' in shape");
    }
    if (n == 1 && !trailing_comma)
        return hfail(p, "shape is not a tuple: a 1-tuple is written (%lld,)", (long long)shape[0]);
    *ndim = n;
    return 0;
}

typedef struct header_info {
    char descr[32];
    bool descr_ok; /* fits in descr[] */
    bool fortran;
    int ndim;
    int64_t shape[NPY_MAX_DIMS];
} header_info;

static int parse_header(const char *s, size_t len, header_info *h, char *err, size_t errlen)
{
    hparser p = {s, len, 0, err, errlen};
    enum { K_DESCR, K_FORTRAN, K_SHAPE, K_N };
    static const char *const keys[K_N] = {"descr", "fortran_order", "shape"};
    bool seen[K_N] = {false, false, false};
    memset(h, 0, sizeof *h);

    skip_ws(&p);
    if (peek(&p) != '{') return hfail(&p, "expected '{'");
    p.pos++;
    for (;;) {
        skip_ws(&p);
        if (peek(&p) == '}') break;
        const char *key;
        size_t klen;
        if (parse_string(&p, &key, &klen, "key")) return -1;
        int k = -1;
        for (int i = 0; i < K_N; i++)
            if (strlen(keys[i]) == klen && memcmp(keys[i], key, klen) == 0) k = i;
        if (k < 0) {
            p.pos -= klen + 2;
            return hfail(&p, "unknown key '%.*s' (expected 'descr', 'fortran_order', 'shape')",
                         (int)(klen > 40 ? 40 : klen), key);
        }
        if (seen[k]) {
            p.pos -= klen + 2;
            return hfail(&p, "key '%s' appears twice", keys[k]);
        }
        seen[k] = true;
        skip_ws(&p);
        if (peek(&p) != ':') return hfail(&p, "expected ':' after key '%s'", keys[k]);
        p.pos++;
        skip_ws(&p);
        if (k == K_DESCR) {
            if (peek(&p) == '[')
                return hfail(&p, "descr is a structured dtype (a list); only '<f4' is supported");
            const char *d;
            size_t dlen;
            if (parse_string(&p, &d, &dlen, "descr string")) return -1;
            h->descr_ok = dlen < sizeof h->descr;
            memcpy(h->descr, d, h->descr_ok ? dlen : sizeof h->descr - 1);
        } else if (k == K_FORTRAN) {
            if (parse_bool(&p, &h->fortran)) return -1;
        } else {
            if (parse_shape(&p, &h->ndim, h->shape)) return -1;
        }
        skip_ws(&p);
        if (peek(&p) == ',') {
            p.pos++;
            continue;
        }
        if (peek(&p) == '}') break;
        return hfail(&p, "expected ',' or '}' after the value of '%s'", keys[k]);
    }
    p.pos++; /* '}' */
    skip_ws(&p);
    if (p.pos != p.len) return hfail(&p, "unexpected text after the closing '}'");
    for (int i = 0; i < K_N; i++)
        if (!seen[i]) {
            char ex[300];
            excerpt(s, len, ex, sizeof ex);
            return fail(err, errlen, "malformed header: no '%s' key (header: %s)", keys[i], ex);
        }
    return 0;
}

/* ---------------------------------------------------------------- reading */

static uint32_t le16(const unsigned char *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8; }
static uint32_t le32(const unsigned char *b)
{
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int read_file(FILE *f, npy_array *out, char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fileno(f), &st) != 0) return fail(err, errlen, "cannot stat: %s", strerror(errno));
    if (S_ISDIR(st.st_mode)) return fail(err, errlen, "is a directory, not a .npy file");
    if (!S_ISREG(st.st_mode)) return fail(err, errlen, "not a regular file");
    const uint64_t fsize = (uint64_t)st.st_size;

    unsigned char pre[12];
    size_t got = fread(pre, 1, 8, f);
    if (got == 0) return fail(err, errlen, "empty file, not a .npy file");
    if (got < 6 || memcmp(pre, npy_magic, 6) != 0) {
        if (got < 6 && memcmp(pre, npy_magic, got) == 0)
            return fail(err, errlen, "truncated header: the file has only %zu bytes", got);
        return fail(err, errlen, "not a .npy file: bad magic (expected \\x93NUMPY)");
    }
    if (got < 8)
        return fail(err, errlen, "truncated header: the file ends inside the version field");
    const int major = pre[6], minor = pre[7];
    if (!((major == 1 || major == 2 || major == 3) && minor == 0))
        return fail(err, errlen, "unsupported .npy version %d.%d (1.0, 2.0 and 3.0 are supported)",
                    major, minor);
    const size_t lenbytes = major == 1 ? 2 : 4;
    if (fread(pre + 8, 1, lenbytes, f) != lenbytes)
        return fail(err, errlen, "truncated header: the file ends inside the header length field");
    const uint64_t prefix = 8 + lenbytes;
    const uint64_t hlen = major == 1 ? le16(pre + 8) : le32(pre + 8);
    if (hlen > fsize - prefix)
        return fail(err, errlen,
                    "truncated header: header length %llu goes beyond the end of the file "
                    "(%llu bytes after the %llu-byte prefix)",
                    (unsigned long long)hlen, (unsigned long long)(fsize - prefix),
                    (unsigned long long)prefix);
    if (hlen > NPY_HEADER_LIMIT)
        return fail(err, errlen, "header length %llu is implausibly large (limit %u bytes)",
                    (unsigned long long)hlen, NPY_HEADER_LIMIT);
    /* NumPy aligns data to 64 bytes (older versions: 16) but does not require it on
     * read; neither do we. */

    char *hdr = malloc((size_t)hlen + 1);
    if (!hdr) return fail(err, errlen, "out of memory reading the header");
    if (fread(hdr, 1, (size_t)hlen, f) != (size_t)hlen) {
        free(hdr);
        return fail(err, errlen, "read error in the header: %s",
                    ferror(f) ? strerror(errno) : "unexpected end of file");
    }
    hdr[hlen] = '\0';
    if (memchr(hdr, '\0', (size_t)hlen)) {
        free(hdr);
        return fail(err, errlen, "malformed header: it contains a NUL byte");
    }
    header_info h;
    int r = parse_header(hdr, (size_t)hlen, &h, err, errlen);
    free(hdr);
    if (r) return r;

    if (!h.descr_ok || strcmp(h.descr, "<f4") != 0)
        return fail(err, errlen,
                    "dtype '%s%s' is not <f4 (only little-endian float32 is supported; convert "
                    "with a.astype('<f4'))",
                    h.descr, h.descr_ok ? "" : "...");
    if (h.fortran)
        return fail(err, errlen,
                    "fortran_order True is not supported (save a C-ordered array: "
                    "np.ascontiguousarray(a))");
    char shp[NPY_MAX_DIMS * 22 + 4];
    npy_format_shape(shp, sizeof shp, h.ndim, h.shape);
    size_t count;
    if (!shape_count(h.ndim, h.shape, &count))
        return fail(err, errlen, "shape %s has too many elements (the byte size overflows)", shp);
    const uint64_t have = fsize - prefix - hlen, want = (uint64_t)count * 4;
    if (have < want)
        return fail(err, errlen,
                    "truncated data: file has %llu bytes of data, expected %llu for shape %s",
                    (unsigned long long)have, (unsigned long long)want, shp);
    if (have > want)
        return fail(err, errlen,
                    "trailing bytes: file has %llu bytes of data, expected %llu for shape %s",
                    (unsigned long long)have, (unsigned long long)want, shp);

    float *data = count > (SIZE_MAX - 64) / 4 ? NULL : aligned_alloc(64, ((count ? count : 1) * 4 + 63) / 64 * 64);
    if (!data)
        return fail(err, errlen, "out of memory: cannot allocate %llu bytes for shape %s",
                    (unsigned long long)want, shp);
    if (fread(data, 4, count, f) != count) {
        free(data);
        return fail(err, errlen, "read error in the data: %s",
                    ferror(f) ? strerror(errno) : "unexpected end of file (file changed?)");
    }
    if (!host_little_endian()) swap4(data, count);
    out->ndim = h.ndim;
    memcpy(out->shape, h.shape, sizeof h.shape);
    out->count = count;
    out->data = data;
    out->version_major = major;
    return 0;
}

int npy_read_f32(const char *path, npy_array *out, char *err, size_t errlen)
{
    if (!out) return fail(err, errlen, "npy_read_f32: NULL argument");
    memset(out, 0, sizeof *out);
    if (!path) return fail(err, errlen, "npy_read_f32: NULL argument");
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, errlen, "cannot open: %s", strerror(errno));
    int r = read_file(f, out, err, errlen);
    fclose(f);
    return r;
}

/* ---------------------------------------------------------------- writing */

/* The temporary file of the open writer, removed by the signal handler. */
static char *volatile sig_tmp;
static const int sig_list[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIG_LIST ((int)(sizeof sig_list / sizeof sig_list[0]))
static struct sigaction sig_old[NSIG_LIST];
static bool sig_installed[NSIG_LIST];

static void on_signal(int sig)
{
    char *t = sig_tmp;
    if (t) unlink(t);
    signal(sig, SIG_DFL);
    raise(sig);
}

static void signals_install(char *tmp)
{
    sig_tmp = tmp;
    for (int i = 0; i < NSIG_LIST; i++) {
        struct sigaction cur;
        sig_installed[i] = false;
        if (sigaction(sig_list[i], NULL, &cur) != 0 || cur.sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sig_list[i], &sa, &sig_old[i]) == 0) sig_installed[i] = true;
    }
}

static void signals_restore(void)
{
    for (int i = 0; i < NSIG_LIST; i++)
        if (sig_installed[i]) {
            sigaction(sig_list[i], &sig_old[i], NULL);
            sig_installed[i] = false;
        }
    sig_tmp = NULL;
}

static void writer_clear(npy_writer *w)
{
    free(w->path);
    free(w->tmp);
    w->path = w->tmp = NULL;
    w->fd = -1;
}

int npy_writer_open(npy_writer *w, const char *path, char *err, size_t errlen)
{
    if (!w) return fail(err, errlen, "npy_writer_open: NULL argument");
    w->path = w->tmp = NULL;
    w->fd = -1;
    if (!path || !*path) return fail(err, errlen, "empty output path");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return fail(err, errlen, "is a directory");
    const size_t n = strlen(path);
    w->path = malloc(n + 1);
    w->tmp = malloc(n + sizeof ".tmp.XXXXXX");
    if (!w->path || !w->tmp) {
        writer_clear(w);
        return fail(err, errlen, "out of memory");
    }
    memcpy(w->path, path, n + 1);
    memcpy(w->tmp, path, n);
    memcpy(w->tmp + n, ".tmp.XXXXXX", sizeof ".tmp.XXXXXX");
    w->fd = mkstemp(w->tmp);
    if (w->fd < 0) {
        int e = errno;
        writer_clear(w);
        return fail(err, errlen, "cannot create a temporary file next to it: %s", strerror(e));
    }
    /* mkstemp makes 0600; give the file the mode a plain fopen would */
    const mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(w->fd, 0666 & ~mask); /* not fatal: the data is right either way */
    signals_install(w->tmp);
    return 0;
}

void npy_writer_abort(npy_writer *w)
{
    if (!w || !w->tmp) return;
    signals_restore();
    if (w->fd >= 0) close(w->fd);
    unlink(w->tmp);
    writer_clear(w);
}

/* magic + version + length + header dict padded with spaces and '\n' to 64 bytes. */
static char *make_header(int ndim, const int64_t *shape, int min_version, size_t *out_len)
{
    const int slen = npy_format_shape(NULL, 0, ndim, shape);
    if (slen < 0) return NULL;
    const char *fmt = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }";
    const size_t dlen = strlen(fmt) - 2 + (size_t)slen;
    int version = min_version < 1 ? 1 : min_version;
    size_t prefix, total;
    for (;;) {
        prefix = version == 1 ? 10 : 12;
        total = (prefix + dlen + 1 + 63) / 64 * 64;
        if (version != 1 || total - prefix <= 65535) break;
        version = 2;
    }
    char *buf = malloc(total + 1);
    if (!buf) return NULL;
    const size_t hlen = total - prefix;
    memcpy(buf, npy_magic, 6);
    buf[6] = (char)version;
    buf[7] = 0;
    for (size_t i = 0; i < prefix - 8; i++) buf[8 + i] = (char)((hlen >> (8 * i)) & 0xff);
    char *d = buf + prefix;
    int r = snprintf(d, dlen + 1, "{'descr': '<f4', 'fortran_order': False, 'shape': ");
    npy_format_shape(d + r, dlen + 1 - (size_t)r, ndim, shape);
    strcat(d, ", }");
    memset(d + dlen, ' ', hlen - dlen - 1);
    buf[total - 1] = '\n';
    buf[total] = '\0';
    *out_len = total;
    return buf;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t r = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
        if (r < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

int npy_writer_commit(npy_writer *w, int ndim, const int64_t *shape, const float *data,
                      int min_version, char *err, size_t errlen)
{
    if (!w || !w->tmp) return fail(err, errlen, "npy_writer_commit: writer is not open");
    int r = -1;
    char *hdr = NULL;
    size_t count = 0, hlen = 0;
    if (ndim < 0 || ndim > NPY_MAX_DIMS || (ndim && !shape)) {
        fail(err, errlen, "cannot write %d dimensions (0..%d)", ndim, NPY_MAX_DIMS);
        goto out;
    }
    if (min_version < 1 || min_version > 3) {
        fail(err, errlen, "cannot write .npy version %d.0", min_version);
        goto out;
    }
    if (!shape_count(ndim, shape, &count)) {
        fail(err, errlen, "invalid shape (negative entry or too many elements)");
        goto out;
    }
    if (count && !data) {
        fail(err, errlen, "npy_writer_commit: NULL data");
        goto out;
    }
    if (!(hdr = make_header(ndim, shape, min_version, &hlen))) {
        fail(err, errlen, "out of memory");
        goto out;
    }
    if (write_all(w->fd, hdr, hlen) != 0) {
        fail(err, errlen, "write failed: %s", strerror(errno));
        goto out;
    }
    if (host_little_endian()) {
        if (count && write_all(w->fd, data, count * 4) != 0) {
            fail(err, errlen, "write failed: %s", strerror(errno));
            goto out;
        }
    } else {
        float chunk[1024];
        for (size_t i = 0; i < count; i += 1024) {
            const size_t m = count - i < 1024 ? count - i : 1024;
            memcpy(chunk, data + i, m * 4);
            swap4(chunk, m);
            if (write_all(w->fd, chunk, m * 4) != 0) {
                fail(err, errlen, "write failed: %s", strerror(errno));
                goto out;
            }
        }
    }
    if (fsync(w->fd) != 0) {
        fail(err, errlen, "fsync failed: %s", strerror(errno));
        goto out;
    }
    const int fd = w->fd;
    w->fd = -1;
    if (close(fd) != 0) {
        fail(err, errlen, "close failed: %s", strerror(errno));
        goto out;
    }
    if (rename(w->tmp, w->path) != 0) {
        fail(err, errlen, "cannot rename the temporary file into place: %s", strerror(errno));
        goto out;
    }
    /* make the rename durable too (best effort) */
    {
        char *slash = strrchr(w->path, '/');
        const char *dir = ".";
        if (slash == w->path) dir = "/";
        else if (slash) *slash = '\0', dir = w->path;
        int dfd = open(dir, O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
    }
    signals_restore();
    writer_clear(w);
    free(hdr);
    return 0;
out:
    free(hdr);
    npy_writer_abort(w);
    return r;
}

int npy_write_f32(const char *path, int ndim, const int64_t *shape, const float *data,
                  char *err, size_t errlen)
{
    npy_writer w;
    if (npy_writer_open(&w, path, err, errlen)) return -1;
    return npy_writer_commit(&w, ndim, shape, data, 1, err, errlen);
}
