/*
 * A tiny test harness for C tests: CHECK records a failure with file:line and goes on;
 * SKIP records a skip with a reason; check_summary() prints the closing line
 * "N passed, N failed, N skipped" and returns the exit status (77 never: a skip is not
 * a pass, but a file with only skips still exits 0 and says so).
 */
#ifndef GSCONV_TEST_CHECK_H
#define GSCONV_TEST_CHECK_H
#include <stdarg.h>
#include <stdio.h>

static int check_passed, check_failed, check_skipped;

static inline void check_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void check_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    check_failed++;
}

#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        if (cond)                                                                            \
            check_passed++;                                                                  \
        else                                                                                 \
            check_fail(__FILE__, __LINE__, __VA_ARGS__);                                     \
    } while (0)

#define SKIP(...)                                                                            \
    do {                                                                                     \
        printf("SKIP: ");                                                                    \
        printf(__VA_ARGS__);                                                                 \
        printf("\n");                                                                        \
        check_skipped++;                                                                     \
    } while (0)

static inline int check_summary(const char *name)
{
    printf("%s: %d passed, %d failed, %d skipped\n", name, check_passed, check_failed,
           check_skipped);
    return check_failed ? 1 : 0;
}
#endif
