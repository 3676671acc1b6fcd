/*
 * gsconv bench [SUITE...] [options]: runs the gsconv-bench binary that sits beside this
 * gsconv executable (the build puts both in the build directory, install in bin/), else
 * $GSCONV_BENCH, else gsconv-bench on PATH, passing every argument through.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd_results.h"

int gsconv_cmd_bench(int argc, char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 32];
    const char *env = getenv("GSCONV_BENCH");
    path[0] = 0;
    if (env && *env) {
        snprintf(path, sizeof path, "%s", env);
    } else {
        const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n > 0) {
            self[n] = 0;
            char *slash = strrchr(self, '/');
            if (slash) {
                *slash = 0;
                snprintf(path, sizeof path, "%s/gsconv-bench", self);
                if (access(path, X_OK) != 0) path[0] = 0;
            }
        }
    }
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (!args) return 2;
    args[0] = path[0] ? path : "gsconv-bench";
    for (int i = 1; i < argc; i++) args[i] = argv[i];
    fflush(NULL);
    if (path[0])
        execv(path, args);
    else
        execvp("gsconv-bench", args);
    fprintf(stderr,
            "gsconv: bench: cannot run %s: %s (gsconv-bench is built beside gsconv when "
            "Google Benchmark is installed: Debian libbenchmark-dev; or set GSCONV_BENCH)\n",
            args[0], strerror(errno));
    free(args);
    return 2;
}
