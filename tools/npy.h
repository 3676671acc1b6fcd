/*
 * Reading and writing NumPy .npy files of float32 — just what the gsconv command line
 * tool needs, with a precise message for every file it rejects.
 *
 * Read: format versions 1.0, 2.0 and 3.0 (header length u16 for 1.0, u32 for 2.0/3.0;
 * the 3.0 header is utf-8, which changes nothing here since every accepted token is
 * ASCII). The header is a Python dict literal with exactly the keys 'descr',
 * 'fortran_order' and 'shape', in any order, with any spacing, an optional trailing
 * comma, single or double quotes; after the closing brace only whitespace (NumPy pads
 * with spaces and ends with '\n'). Accepted: descr '<f4' only (little-endian float32,
 * which is what NumPy writes for float32 on every common machine; '=f4', '>f4', '<f8'
 * etc. are rejected — convert with a.astype('<f4')), fortran_order False only, shape a
 * tuple of non-negative integers ("(3,)", "()", "(2, 3)"; a Python-2 "L" suffix is
 * tolerated). The data must be exactly prod(shape) * 4 bytes: fewer is "truncated",
 * more is "trailing bytes"; both are errors.
 *
 * Zero-size arrays (a 0 in the shape) are valid NumPy arrays and are read and written;
 * a 0-d array (shape ()) holds one element. Callers that need a particular shape
 * compare it themselves (npy_format_shape prints it NumPy's way).
 *
 * Write: version 1.0, the header padded with spaces so that magic + length + header is
 * a multiple of 64 bytes and ends in '\n'; version 2.0 only when the header does not fit
 * in 65535 bytes. Writing is atomic: the data goes to a temporary file "PATH.tmp.XXXXXX"
 * in the same directory (mkstemp), which is fsynced and renamed over PATH; on any error
 * the temporary file is removed and an existing file at PATH is left untouched.
 *
 * Errors: functions return 0 on success and -1 on failure, with a one-line message
 * (no trailing newline, no file name) in err.
 */
#ifndef GSCONV_NPY_H
#define GSCONV_NPY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NPY_MAX_DIMS 64 /* NumPy 2's limit (NumPy 1 allows 32) */

typedef struct npy_array {
    int ndim;
    int64_t shape[NPY_MAX_DIMS];
    size_t count;      /* product of shape (1 for ndim 0) */
    float *data;       /* count floats; never NULL after a successful read */
    int version_major; /* of the file read: 1, 2 or 3 */
} npy_array;

/* Read a '<f4' .npy file. On failure *out is left empty (data NULL). */
int npy_read_f32(const char *path, npy_array *out, char *err, size_t errlen);
void npy_free(npy_array *a);

/* "(1, 3, 5, 5)", "(3,)", "()" — like Python's repr of a tuple. Returns the length it
 * needs, like snprintf. */
int npy_format_shape(char *buf, size_t len, int ndim, const int64_t *shape);

/* Does the array have exactly this shape? */
int npy_shape_equal(const npy_array *a, int ndim, const int64_t *shape);

/*
 * Atomic writer in two steps, so that a caller can create the temporary file before a
 * long computation (a bad output path fails early) and commit it afterwards:
 *   npy_writer w; npy_writer_open(&w, path, ...); ... npy_writer_commit(&w, ...);
 * or npy_writer_abort(&w) on a later error. After commit or abort w holds nothing.
 * While a writer is open, SIGINT/SIGTERM/SIGHUP remove its temporary file before the
 * process dies (one writer at a time may be open).
 */
typedef struct npy_writer {
    char *path; /* final name */
    char *tmp;  /* temporary name, NULL when not open */
    int fd;
} npy_writer;

int npy_writer_open(npy_writer *w, const char *path, char *err, size_t errlen);
/* min_version: 1 normally; 2 or 3 force that version (tests, large headers). */
int npy_writer_commit(npy_writer *w, int ndim, const int64_t *shape, const float *data,
                      int min_version, char *err, size_t errlen);
void npy_writer_abort(npy_writer *w);

/* open + commit with min_version 1. */
int npy_write_f32(const char *path, int ndim, const int64_t *shape, const float *data,
                  char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
