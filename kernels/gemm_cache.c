/*
 * Data-cache sizes for the GEMM kernels' blocking (see gemm_conv.h). No intrinsics here:
 * this file builds without ISA flags on every architecture.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gemm_conv.h"

/* Documented AMD Zen 4 (Ryzen 7000 / EPYC 9004) sizes: the fallback. */
#define ZEN4_L1D ((int64_t)32 * 1024)
#define ZEN4_L2 ((int64_t)1024 * 1024)
#define ZEN4_L3 ((int64_t)32 * 1024 * 1024)

static gsconv_gemm_caches caches;
static pthread_once_t caches_once = PTHREAD_ONCE_INIT;

/* "32K", "1024K", "32M", "65536" -> bytes; <= 0 on failure */
static int64_t parse_size(const char *s)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (end == s || v <= 0) return -1;
    while (*end == ' ') end++;
    if (*end == 'K' || *end == 'k') v *= 1024;
    else if (*end == 'M' || *end == 'm') v *= 1024 * 1024;
    else if (*end == 'G' || *end == 'g') v *= 1024LL * 1024 * 1024;
    return (int64_t)v;
}

static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    const int ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (ok) buf[strcspn(buf, "\n")] = '\0';
    return ok;
}

static void probe(void)
{
    caches.l1d = ZEN4_L1D, caches.l2 = ZEN4_L2, caches.l3 = ZEN4_L3;
    const char *env = getenv("GSCONV_GEMM_CACHES");
    if (env && *env) {
        int64_t v[3] = {0, 0, 0};
        const char *s = env;
        for (int i = 0; i < 3 && *s; i++) {
            v[i] = parse_size(s);
            s = strchr(s, ',');
            if (!s) break;
            s++;
        }
        if (v[0] > 0) caches.l1d = v[0];
        if (v[1] > 0) caches.l2 = v[1];
        if (v[2] > 0) caches.l3 = v[2];
        return;
    }
    for (int i = 0; i < 16; i++) {
        char path[128], level[32], type[32], size[32];
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        if (!read_line(path, level, sizeof level)) break;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        if (!read_line(path, type, sizeof type)) continue;
        snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!read_line(path, size, sizeof size)) continue;
        if (strcmp(type, "Instruction") == 0) continue;
        const int64_t bytes = parse_size(size);
        if (bytes <= 0) continue;
        switch (atoi(level)) {
        case 1: caches.l1d = bytes; break;
        case 2: caches.l2 = bytes; break;
        case 3: caches.l3 = bytes; break;
        default: break;
        }
    }
}

const gsconv_gemm_caches *gsconv_gemm_cache_sizes(void)
{
    pthread_once(&caches_once, probe);
    return &caches;
}
