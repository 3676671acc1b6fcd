/*
 * tools/npy.c: round trips (0-d to 4-D, zero-size, special float values), the exact
 * header layout written (version 1.0, 64-byte alignment, '\n'), versions 2.0 and 3.0 on
 * read, headers written by other tools (key order, quotes, spacing), and the rejection
 * with a precise message of every kind of bad file. Atomic writes: failures leave
 * neither a temporary file nor a changed target.
 *
 * Zero-size arrays (a 0 in the shape) are valid NumPy arrays; the reader and writer
 * accept them (the CLI then rejects them by shape, since no problem has a 0 size).
 */
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "npy.h"

static char dir[256];

static void path_of(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

static void write_bytes(const char *name, const void *buf, size_t len)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(2);
    }
    if (len && fwrite(buf, 1, len, f) != len) {
        perror(p);
        exit(2);
    }
    fclose(f);
}

static size_t read_bytes(const char *name, unsigned char *buf, size_t cap)
{
    char p[512];
    path_of(p, sizeof p, name);
    FILE *f = fopen(p, "rb");
    if (!f) return 0;
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* magic, version, header length field for `header` (exactly as given, no padding),
 * header, then `data_len` bytes of data. */
static void make_npy(const char *name, int major, int minor, const char *header,
                     size_t data_len)
{
    const size_t hl = strlen(header);
    const size_t lenbytes = major == 1 ? 2 : 4;
    unsigned char *buf = calloc(1, 8 + lenbytes + hl + data_len + 1);
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)major;
    buf[7] = (unsigned char)minor;
    for (size_t i = 0; i < lenbytes; i++) buf[8 + i] = (unsigned char)(hl >> (8 * i));
    memcpy(buf + 8 + lenbytes, header, hl);
    for (size_t i = 0; i < data_len; i++) buf[8 + lenbytes + hl + i] = (unsigned char)(i * 7);
    write_bytes(name, buf, 8 + lenbytes + hl + data_len);
    free(buf);
}

/* Reading `name` fails with a message containing `want`. */
static void expect_fail(const char *name, const char *want)
{
    char p[512], err[512] = "";
    path_of(p, sizeof p, name);
    npy_array a;
    int r = npy_read_f32(p, &a, err, sizeof err);
    CHECK(r == -1, "%s: read should fail (with '%s')", name, want);
    CHECK(strstr(err, want) != NULL, "%s: message '%s' does not contain '%s'", name, err, want);
    CHECK(a.data == NULL, "%s: data left after a failed read", name);
    CHECK(strchr(err, '\n') == NULL, "%s: message has a newline", name);
    if (r == 0) npy_free(&a);
}

/* Reading `name` succeeds with this shape. */
static void expect_ok(const char *name, int ndim, const int64_t *shape, int version)
{
    char p[512], err[512] = "";
    path_of(p, sizeof p, name);
    npy_array a;
    int r = npy_read_f32(p, &a, err, sizeof err);
    CHECK(r == 0, "%s: read failed: %s", name, err);
    if (r) return;
    CHECK(npy_shape_equal(&a, ndim, shape), "%s: wrong shape", name);
    CHECK(a.version_major == version, "%s: version %d, expected %d", name, a.version_major,
          version);
    npy_free(&a);
}

static int count_tmp_files(void)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.")) n++;
    if (d) closedir(d);
    return n;
}

static void test_round_trip(int ndim, const int64_t *shape, int version)
{
    char name[64], p[512], err[512] = "";
    snprintf(name, sizeof name, "rt%d_v%d.npy", ndim, version);
    path_of(p, sizeof p, name);
    size_t count = 1;
    for (int i = 0; i < ndim; i++) count *= (size_t)shape[i];
    float *x = malloc((count ? count : 1) * sizeof *x);
    for (size_t i = 0; i < count; i++) x[i] = (float)i * 0.25f - 3.0f;
    if (count > 3) {
        x[0] = NAN;
        x[1] = -0.0f;
        x[2] = INFINITY;
        x[3] = 1e-42f; /* denormal */
    }
    npy_writer w;
    int r = npy_writer_open(&w, p, err, sizeof err);
    CHECK(r == 0, "%s: open: %s", name, err);
    if (r) {
        free(x);
        return;
    }
    r = npy_writer_commit(&w, ndim, shape, x, version, err, sizeof err);
    CHECK(r == 0, "%s: commit: %s", name, err);

    /* the bytes on disk */
    static unsigned char buf[1 << 16];
    const size_t n = read_bytes(name, buf, sizeof buf);
    const size_t prefix = version == 1 ? 10 : 12;
    CHECK(n >= prefix && memcmp(buf, "\x93NUMPY", 6) == 0, "%s: magic", name);
    CHECK(buf[6] == version && buf[7] == 0, "%s: version bytes %d.%d", name, buf[6], buf[7]);
    size_t hl = version == 1 ? (size_t)(buf[8] | buf[9] << 8)
                             : (size_t)(buf[8] | buf[9] << 8 | buf[10] << 16 | (size_t)buf[11] << 24);
    CHECK((prefix + hl) % 64 == 0, "%s: header not aligned to 64: %zu", name, prefix + hl);
    CHECK(n == prefix + hl + count * 4, "%s: file size %zu, expected %zu", name, n,
          prefix + hl + count * 4);
    CHECK(buf[prefix + hl - 1] == '\n', "%s: header does not end in newline", name);
    char shp[256], want[512];
    npy_format_shape(shp, sizeof shp, ndim, shape);
    snprintf(want, sizeof want, "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }", shp);
    CHECK(memcmp(buf + prefix, want, strlen(want)) == 0, "%s: header text", name);
    for (size_t i = prefix + strlen(want); i + 1 < prefix + hl; i++)
        if (buf[i] != ' ') {
            CHECK(0, "%s: padding byte %zu is 0x%02x, not a space", name, i, buf[i]);
            break;
        }

    npy_array a;
    r = npy_read_f32(p, &a, err, sizeof err);
    CHECK(r == 0, "%s: read back: %s", name, err);
    if (r == 0) {
        CHECK(npy_shape_equal(&a, ndim, shape), "%s: shape differs", name);
        CHECK(a.count == count, "%s: count %zu, expected %zu", name, a.count, count);
        CHECK(a.data != NULL, "%s: NULL data", name);
        CHECK(a.version_major == version, "%s: version %d", name, a.version_major);
        CHECK(count == 0 || memcmp(a.data, x, count * 4) == 0, "%s: data differs", name);
        npy_free(&a);
    }
    CHECK(count_tmp_files() == 0, "%s: temporary file left", name);
    free(x);
}

static void test_format_shape(void)
{
    char b[64];
    const int64_t s[4] = {1, 3, 5, 5};
    npy_format_shape(b, sizeof b, 4, s);
    CHECK(strcmp(b, "(1, 3, 5, 5)") == 0, "format 4-D: %s", b);
    npy_format_shape(b, sizeof b, 1, s + 1);
    CHECK(strcmp(b, "(3,)") == 0, "format 1-D: %s", b);
    npy_format_shape(b, sizeof b, 0, s);
    CHECK(strcmp(b, "()") == 0, "format 0-D: %s", b);
    int need = npy_format_shape(b, 4, 4, s);
    CHECK(need == 12 && strcmp(b, "(1,") == 0, "format truncates like snprintf: %d '%s'", need, b);
}

static void test_accepted_headers(void)
{
    const int64_t s3[1] = {3}, s23[2] = {2, 3};
    /* keys in another order, double quotes, no trailing comma, no padding, no newline */
    make_npy("ok_order.npy", 1, 0, "{\"shape\": (3,), \"fortran_order\": False, \"descr\": \"<f4\"}", 12);
    expect_ok("ok_order.npy", 1, s3, 1);
    /* odd spacing, tabs, spaces inside the tuple, trailing comma in the tuple */
    make_npy("ok_space.npy", 1, 0, "  {'descr':'<f4' ,\t'fortran_order' :False,'shape':( 2 , 3 , ) ,}   \n", 24);
    expect_ok("ok_space.npy", 2, s23, 1);
    /* Python 2 long suffix */
    make_npy("ok_long.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }\n", 24);
    expect_ok("ok_long.npy", 2, s23, 1);
    /* version 2.0 and 3.0 written by hand (not by our writer) */
    make_npy("ok_v2.npy", 2, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", 12);
    expect_ok("ok_v2.npy", 1, s3, 2);
    make_npy("ok_v3.npy", 3, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }  \n", 24);
    expect_ok("ok_v3.npy", 2, s23, 3);
    /* 0-d: one element */
    make_npy("ok_0d.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n", 4);
    expect_ok("ok_0d.npy", 0, s3, 1);
    /* zero-size */
    const int64_t s30[2] = {3, 0};
    make_npy("ok_empty.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 0), }\n", 0);
    expect_ok("ok_empty.npy", 2, s30, 1);
}

static void test_bad_files(void)
{
    const char *good_pre = "{'descr': '<f4', 'fortran_order': False, 'shape': ";
    char h[512];

    write_bytes("empty.npy", "", 0);
    expect_fail("empty.npy", "empty file");
    write_bytes("magic.npy", "\x93NUMPZ\x01\x00\x10\x00{}              ", 26);
    expect_fail("magic.npy", "bad magic");
    write_bytes("text.npy", "hello world, not numpy\n", 23);
    expect_fail("text.npy", "bad magic");
    write_bytes("short_magic.npy", "\x93NUM", 4);
    expect_fail("short_magic.npy", "truncated header");
    write_bytes("no_len.npy", "\x93NUMPY\x01\x00\x40", 9);
    expect_fail("no_len.npy", "header length field");
    make_npy("v4.npy", 4, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", 12);
    expect_fail("v4.npy", "unsupported .npy version 4.0");
    make_npy("v11.npy", 1, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", 12);
    expect_fail("v11.npy", "unsupported .npy version 1.1");

    /* header length beyond the end of the file (v1 and a huge v2 length) */
    write_bytes("hlen.npy", "\x93NUMPY\x01\x00\x76\x00{'descr': '<f4'", 25);
    expect_fail("hlen.npy", "header length 118 goes beyond the end of the file");
    write_bytes("hlen2.npy", "\x93NUMPY\x02\x00\xff\xff\xff\xff{'descr'", 20);
    expect_fail("hlen2.npy", "header length 4294967295 goes beyond the end of the file");

    /* data size */
    snprintf(h, sizeof h, "%s(4,), }\n", good_pre);
    make_npy("trunc.npy", 1, 0, h, 12);
    expect_fail("trunc.npy", "truncated data: file has 12 bytes of data, expected 16");
    make_npy("extra.npy", 1, 0, h, 20);
    expect_fail("extra.npy", "file has 20 bytes of data, expected 16");
    make_npy("extra1.npy", 1, 0, h, 17);
    expect_fail("extra1.npy", "trailing bytes");

    /* dtypes */
    make_npy("f8.npy", 1, 0, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 16);
    expect_fail("f8.npy", "dtype '<f8' is not <f4");
    make_npy("be.npy", 1, 0, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("be.npy", "dtype '>f4' is not <f4");
    make_npy("u1.npy", 1, 0, "{'descr': '|u1', 'fortran_order': False, 'shape': (8,), }\n", 8);
    expect_fail("u1.npy", "dtype '|u1' is not <f4");
    make_npy("eq.npy", 1, 0, "{'descr': '=f4', 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("eq.npy", "dtype '=f4' is not <f4");
    make_npy("struct.npy", 1, 0, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("struct.npy", "structured dtype");
    make_npy("descr_int.npy", 1, 0, "{'descr': 4, 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("descr_int.npy", "expected a quoted descr string");

    /* fortran order */
    make_npy("fortran.npy", 1, 0, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", 16);
    expect_fail("fortran.npy", "fortran_order True is not supported");
    make_npy("fortran_x.npy", 1, 0, "{'descr': '<f4', 'fortran_order': Falsey, 'shape': (2,), }\n", 8);
    expect_fail("fortran_x.npy", "fortran_order must be True or False");

    /* malformed dicts */
    make_npy("no_brace.npy", 1, 0, "'descr': '<f4', 'fortran_order': False, 'shape': (2,)\n", 8);
    expect_fail("no_brace.npy", "expected '{'");
    make_npy("no_close.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), \n", 8);
    expect_fail("no_close.npy", "malformed header");
    make_npy("no_colon.npy", 1, 0, "{'descr' '<f4', 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("no_colon.npy", "expected ':' after key 'descr'");
    make_npy("no_comma.npy", 1, 0, "{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_fail("no_comma.npy", "expected ',' or '}' after the value of 'descr'");
    make_npy("unknown_key.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1}\n", 8);
    expect_fail("unknown_key.npy", "unknown key 'x'");
    make_npy("dup_key.npy", 1, 0, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}\n", 8);
    expect_fail("dup_key.npy", "key 'descr' appears twice");
    make_npy("missing_shape.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False}\n", 8);
    expect_fail("missing_shape.npy", "no 'shape' key");
    make_npy("unterminated.npy", 1, 0, "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}\n", 8);
    expect_fail("unterminated.npy", "malformed header");
    make_npy("after.npy", 1, 0, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), } x\n", 8);
    expect_fail("after.npy", "unexpected text after the closing '}'");
    write_bytes("nul.npy", "\x93NUMPY\x01\x00\x04\x00{\0}\n", 14);
    expect_fail("nul.npy", "NUL byte");

    /* shapes */
    snprintf(h, sizeof h, "%s(-1,), }\n", good_pre);
    make_npy("neg.npy", 1, 0, h, 0);
    expect_fail("neg.npy", "negative entry");
    snprintf(h, sizeof h, "%s(2, -3), }\n", good_pre);
    make_npy("neg2.npy", 1, 0, h, 0);
    expect_fail("neg2.npy", "negative entry");
    snprintf(h, sizeof h, "%s('a',), }\n", good_pre);
    make_npy("nonnum.npy", 1, 0, h, 0);
    expect_fail("nonnum.npy", "not a non-negative integer");
    snprintf(h, sizeof h, "%s(1.5,), }\n", good_pre);
    make_npy("float_dim.npy", 1, 0, h, 8);
    expect_fail("float_dim.npy", "not a non-negative integer");
    snprintf(h, sizeof h, "%s(2x,), }\n", good_pre);
    make_npy("junk_dim.npy", 1, 0, h, 8);
    expect_fail("junk_dim.npy", "not a non-negative integer");
    snprintf(h, sizeof h, "%s(3), }\n", good_pre);
    make_npy("not_tuple.npy", 1, 0, h, 12);
    expect_fail("not_tuple.npy", "a 1-tuple is written (3,)");
    snprintf(h, sizeof h, "%s[3], }\n", good_pre);
    make_npy("list.npy", 1, 0, h, 12);
    expect_fail("list.npy", "not a list");
    snprintf(h, sizeof h, "%s(,), }\n", good_pre);
    make_npy("comma_only.npy", 1, 0, h, 0);
    expect_fail("comma_only.npy", "not a non-negative integer");
    snprintf(h, sizeof h, "%s(2 3), }\n", good_pre);
    make_npy("no_sep.npy", 1, 0, h, 24);
    expect_fail("no_sep.npy", "expected ',' or ')' in shape");
    /* overflow: the product does not fit, one entry does not fit int64 */
    snprintf(h, sizeof h, "%s(4294967296, 4294967296, 4), }\n", good_pre);
    make_npy("overflow.npy", 1, 0, h, 16);
    expect_fail("overflow.npy", "has too many elements");
    snprintf(h, sizeof h, "%s(2305843009213693952,), }\n", good_pre); /* 2^61 * 4 bytes */
    make_npy("overflow_bytes.npy", 1, 0, h, 16);
    expect_fail("overflow_bytes.npy", "has too many elements");
    snprintf(h, sizeof h, "%s(99999999999999999999,), }\n", good_pre);
    make_npy("overflow_entry.npy", 1, 0, h, 16);
    expect_fail("overflow_entry.npy", "shape entry is too large");
    /* a large but representable shape must fail on the data size, not allocate */
    snprintf(h, sizeof h, "%s(1000000, 1000000), }\n", good_pre);
    make_npy("big.npy", 1, 0, h, 16);
    expect_fail("big.npy", "truncated data: file has 16 bytes of data, expected 4000000000000");
    /* too many dimensions */
    {
        char many[1024];
        int o = snprintf(many, sizeof many, "%s(", good_pre);
        for (int i = 0; i < 65; i++) o += snprintf(many + o, sizeof many - (size_t)o, "1, ");
        snprintf(many + o, sizeof many - (size_t)o, "), }\n");
        make_npy("dims.npy", 1, 0, many, 4);
        expect_fail("dims.npy", "more than 64 dimensions");
    }

    /* not files */
    expect_fail("does_not_exist.npy", "cannot open");
    {
        char p[512];
        path_of(p, sizeof p, "subdir.npy");
        mkdir(p, 0700);
        expect_fail("subdir.npy", "is a directory");
        rmdir(p);
    }
}

static void test_atomic_writes(void)
{
    char p[512], err[512];
    const int64_t s[1] = {4};
    const float x[4] = {1, 2, 3, 4};

    /* a directory that does not exist: fails, nothing created */
    path_of(p, sizeof p, "nodir/y.npy");
    CHECK(npy_write_f32(p, 1, s, x, err, sizeof err) == -1, "write into a missing directory");
    CHECK(strstr(err, "temporary file") != NULL, "missing dir message: %s", err);

    /* the path is a directory */
    path_of(p, sizeof p, "adir");
    mkdir(p, 0700);
    CHECK(npy_write_f32(p, 1, s, x, err, sizeof err) == -1, "write onto a directory");
    CHECK(strstr(err, "is a directory") != NULL, "directory message: %s", err);
    rmdir(p);

    /* abort leaves an existing file untouched and no temporary file */
    write_bytes("keep.npy", "precious", 8);
    path_of(p, sizeof p, "keep.npy");
    npy_writer w;
    CHECK(npy_writer_open(&w, p, err, sizeof err) == 0, "open: %s", err);
    CHECK(count_tmp_files() == 1, "the temporary file exists while open");
    npy_writer_abort(&w);
    unsigned char buf[64];
    size_t n = read_bytes("keep.npy", buf, sizeof buf);
    CHECK(n == 8 && memcmp(buf, "precious", 8) == 0, "abort changed the target");
    CHECK(count_tmp_files() == 0, "abort left a temporary file");

    /* a failing commit (bad shape) is an abort too */
    CHECK(npy_writer_open(&w, p, err, sizeof err) == 0, "open: %s", err);
    const int64_t bad[1] = {-1};
    CHECK(npy_writer_commit(&w, 1, bad, x, 1, err, sizeof err) == -1, "negative shape written");
    n = read_bytes("keep.npy", buf, sizeof buf);
    CHECK(n == 8 && memcmp(buf, "precious", 8) == 0, "failed commit changed the target");
    CHECK(count_tmp_files() == 0, "failed commit left a temporary file");
    CHECK(w.tmp == NULL && w.path == NULL, "writer not cleared after a failed commit");

    /* a successful write replaces it, with the usual file mode */
    const mode_t old = umask(022);
    CHECK(npy_write_f32(p, 1, s, x, err, sizeof err) == 0, "write: %s", err);
    umask(old);
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644, "mode %o, expected 644",
          (unsigned)(st.st_mode & 0777));
    npy_array a;
    CHECK(npy_read_f32(p, &a, err, sizeof err) == 0, "read: %s", err);
    CHECK(a.count == 4 && a.data && a.data[3] == 4.0f, "replaced data");
    npy_free(&a);
}

static void cleanup(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[512];
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        path_of(p, sizeof p, e->d_name);
        unlink(p);
    }
    if (d) closedir(d);
    rmdir(dir);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/gsconv_test_npy.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_format_shape();
    const int64_t s1[1] = {7}, s2[2] = {3, 5}, s3[3] = {2, 3, 4}, s4[4] = {1, 3, 5, 7};
    const int64_t s0[1] = {0}, sz[2] = {3, 0};
    test_round_trip(1, s1, 1);
    test_round_trip(2, s2, 1);
    test_round_trip(3, s3, 1);
    test_round_trip(4, s4, 1);
    test_round_trip(0, s0, 1);  /* 0-d: one element */
    test_round_trip(2, sz, 1);  /* zero-size */
    test_round_trip(4, s4, 2);  /* forced version 2.0 */
    test_round_trip(3, s3, 3);  /* forced version 3.0 */
    test_accepted_headers();
    test_bad_files();
    test_atomic_writes();
    cleanup();
    return check_summary("test_npy");
}
