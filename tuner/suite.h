/*
 * Suite files: the shapes of one model, shared by the tuner (`gsconv tune`) and the
 * benchmarks (the .txt files in bench/suites).
 *
 * Format (plain text, UTF-8/ASCII):
 *   - one convolution descriptor per line (benchdnn grammar + sg<N>, see
 *     gsconv_problem_parse), optionally followed by a repeat count, whitespace separated:
 *         g3mb1ic240ih28oc240oh28kh1sg3   4
 *         g3mb1ic240ih28oc240oh28kh1sg3   x4      (same: "x" prefix allowed)
 *     The repeat count (>= 1, default 1) says how many times the model runs that layer;
 *     the benchmark report weights by it, the tuner tunes each distinct shape once.
 *   - '#' starts a comment that runs to the end of the line; blank lines are ignored.
 *   - anything else on a line (a third column, a bad descriptor, a bad count) is an
 *     error reported as "PATH:LINE: reason".
 */
#ifndef GSCONV_SUITE_H
#define GSCONV_SUITE_H

#include <stdbool.h>
#include <stddef.h>

#include "gsconv.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gsconv_suite_entry {
    char desc[256];       /* the descriptor as written in the file */
    char canon[256];      /* its canonical form (gsconv_problem_format) */
    gsconv_problem prob;  /* parsed (layout NCHW, no activation: set them as needed) */
    int repeat;           /* >= 1 */
    int line;             /* 1-based line number in the file */
} gsconv_suite_entry;

/*
 * Load a suite file. On success returns 0 and stores a malloc'ed array of *n entries in
 * *out (free it with gsconv_suite_free; *n may be 0 for a file of comments only). On
 * failure returns a nonzero gsconv_status (GSCONV_ERR_IO: cannot read;
 * GSCONV_ERR_BAD_DESCRIPTOR / BAD_SHAPE: a bad line), writes "PATH[:LINE]: reason" into
 * err (if err != NULL) and leaves *out NULL, *n 0.
 */
int gsconv_suite_load(const char *path, gsconv_suite_entry **out, int *n, char *err,
                      size_t errlen);

/* The same on a string holding the file's text; name is used in messages. */
int gsconv_suite_parse(const char *text, const char *name, gsconv_suite_entry **out, int *n,
                       char *err, size_t errlen);

void gsconv_suite_free(gsconv_suite_entry *entries);

/*
 * A suite argument: an existing file, or (no '/' in it) a name looked up as NAME or
 * NAME.txt in $GSCONV_SUITES_DIR, then in dirs[0..ndirs) (NULL or "" entries skipped).
 * True with the file in path; false if none is found.
 */
bool gsconv_suite_resolve(const char *arg, const char *const *dirs, int ndirs, char *path,
                          size_t len);

#ifdef __cplusplus
}
#endif
#endif
