/*
 * Suite file parser (format in suite.h).
 */
#include <sys/stat.h>

#include "suite.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(char *err, size_t errlen, int status, const char *name, int line,
                const char *fmt, const char *arg)
{
    if (err && errlen) {
        char msg[512];
        snprintf(msg, sizeof msg, fmt, arg);
        if (line > 0)
            snprintf(err, errlen, "%s:%d: %s", name, line, msg);
        else
            snprintf(err, errlen, "%s: %s", name, msg);
    }
    return status;
}

/* Next whitespace-separated token in [*s, end); returns its length, 0 at the end. */
static size_t next_token(const char **s, const char *end, const char **tok)
{
    const char *p = *s;
    while (p < end && isspace((unsigned char)*p)) p++;
    const char *t = p;
    while (p < end && !isspace((unsigned char)*p)) p++;
    *tok = t;
    *s = p;
    return (size_t)(p - t);
}

int gsconv_suite_parse(const char *text, const char *name, gsconv_suite_entry **out, int *n,
                       char *err, size_t errlen)
{
    if (!out || !n || !text) return fail(err, errlen, GSCONV_ERR_INVALID_ARGUMENT, "suite", 0, "%s", "NULL argument");
    if (!name) name = "suite";
    *out = NULL;
    *n = 0;
    gsconv_suite_entry *v = NULL;
    int cnt = 0, cap = 0, line = 0;
    const char *s = text;
    while (*s) {
        line++;
        const char *eol = strchr(s, '\n');
        if (!eol) eol = s + strlen(s);
        const char *hash = memchr(s, '#', (size_t)(eol - s));
        const char *end = hash ? hash : eol;
        const char *cur = s, *tok;
        size_t len = next_token(&cur, end, &tok);
        s = *eol ? eol + 1 : eol;
        if (len == 0) continue;
        char desc[256];
        if (len >= sizeof desc) {
            free(v);
            return fail(err, errlen, GSCONV_ERR_BAD_DESCRIPTOR, name, line, "%s", "descriptor too long");
        }
        memcpy(desc, tok, len);
        desc[len] = 0;
        long repeat = 1;
        const char *rt;
        size_t rlen = next_token(&cur, end, &rt);
        if (rlen) {
            char rb[32];
            if (rlen >= sizeof rb) rlen = sizeof rb - 1;
            memcpy(rb, rt, rlen);
            rb[rlen] = 0;
            const char *num = rb[0] == 'x' || rb[0] == 'X' ? rb + 1 : rb;
            char *e;
            errno = 0;
            repeat = *num && isdigit((unsigned char)*num) ? strtol(num, &e, 10) : -1;
            if (repeat < 1 || repeat > 1000000000 || errno || *e) {
                free(v);
                return fail(err, errlen, GSCONV_ERR_BAD_DESCRIPTOR, name, line,
                            "bad repeat count '%s' (want N or xN, N >= 1)", rb);
            }
            const char *extra;
            if (next_token(&cur, end, &extra)) {
                free(v);
                return fail(err, errlen, GSCONV_ERR_BAD_DESCRIPTOR, name, line, "%s",
                            "unexpected third column (want: DESC [REPEAT])");
            }
        }
        gsconv_problem p;
        gsconv_status st = gsconv_problem_parse(&p, desc);
        if (st != GSCONV_OK) {
            free(v);
            char msg[512];
            snprintf(msg, sizeof msg, "'%s': %s", desc, gsconv_last_error());
            return fail(err, errlen, st, name, line, "%s", msg);
        }
        if (cnt == cap) {
            cap = cap ? cap * 2 : 16;
            gsconv_suite_entry *nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                free(v);
                return fail(err, errlen, GSCONV_ERR_NO_MEMORY, name, line, "%s", "out of memory");
            }
            v = nv;
        }
        gsconv_suite_entry *e = &v[cnt++];
        memset(e, 0, sizeof *e);
        snprintf(e->desc, sizeof e->desc, "%s", desc);
        gsconv_problem_format(&p, e->canon, sizeof e->canon);
        e->prob = p;
        e->repeat = (int)repeat;
        e->line = line;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int gsconv_suite_load(const char *path, gsconv_suite_entry **out, int *n, char *err,
                      size_t errlen)
{
    if (out) *out = NULL;
    if (n) *n = 0;
    if (!path) return fail(err, errlen, GSCONV_ERR_INVALID_ARGUMENT, "suite", 0, "%s", "NULL path");
    FILE *f = fopen(path, "rb");
    if (!f) return fail(err, errlen, GSCONV_ERR_IO, path, 0, "%s", strerror(errno));
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            fclose(f);
            return fail(err, errlen, GSCONV_ERR_NO_MEMORY, path, 0, "%s", "out of memory");
        }
        len += fread(buf + len, 1, cap - len - 1, f);
        if (len < cap - 1) break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) free(buf);
        buf = nb;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(buf);
        return fail(err, errlen, GSCONV_ERR_IO, path, 0, "%s", "read error");
    }
    buf[len] = 0;
    if (memchr(buf, 0, len)) {
        free(buf);
        return fail(err, errlen, GSCONV_ERR_BAD_DESCRIPTOR, path, 0, "%s", "binary file (NUL byte)");
    }
    int r = gsconv_suite_parse(buf, path, out, n, err, errlen);
    free(buf);
    return r;
}

void gsconv_suite_free(gsconv_suite_entry *entries) { free(entries); }

static bool suite_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

bool gsconv_suite_resolve(const char *arg, const char *const *dirs, int ndirs, char *path,
                          size_t len)
{
    if (suite_file_exists(arg)) return snprintf(path, len, "%s", arg), true;
    if (strchr(arg, '/') || !*arg) return false;
    const bool txt = strlen(arg) > 4 && !strcmp(arg + strlen(arg) - 4, ".txt");
    for (int i = -1; i < ndirs; i++) {
        const char *d = i < 0 ? getenv("GSCONV_SUITES_DIR") : dirs[i];
        if (!d || !d[0]) continue;
        if (snprintf(path, len, "%s/%s%s", d, arg, txt ? "" : ".txt") >= (int)len) continue;
        if (suite_file_exists(path)) return true;
    }
    return false;
}
