/*
 * The tuner's subcommands of the command line tool (rows of commands[] in gsconv.c):
 *   gsconv info   tools/cmd_info.c
 *   gsconv tune   tools/cmd_tune.c
 *   gsconv cache  tools/cmd_cache.c
 * Each takes argv[0] = its own name; exit 0 ok, 1 check failed, 2 bad usage / input.
 */
#ifndef GSCONV_CMD_TUNER_H
#define GSCONV_CMD_TUNER_H

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gsconv_cmd_info(int argc, char **argv);
int gsconv_cmd_tune(int argc, char **argv);
int gsconv_cmd_cache(int argc, char **argv);

/* ---- small shared helpers (static: each file gets its own copy) */

enum { TEXIT_OK = 0, TEXIT_CHECK = 1, TEXIT_USAGE = 2 };

static inline int tusage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline int tusage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "gsconv: %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try 'gsconv %s --help')\n", cmd);
    va_end(ap);
    return TEXIT_USAGE;
}

static inline int toption_error(const char *cmd, int c, char **argv)
{
    if (c == ':') return tusage(cmd, "option '%s' needs a value", argv[optind - 1]);
    return tusage(cmd, "unknown option '%s'", argv[optind - 1]);
}

/* JSON string literal of s (ASCII control characters escaped). */
static inline void tjson_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        const unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') fprintf(f, "\\%c", ch);
        else if (ch < 0x20) fprintf(f, "\\u%04x", ch);
        else fputc(ch, f);
    }
    fputc('"', f);
}

#endif
