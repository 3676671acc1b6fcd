/*
 * Shared by the GEMM convolution kernels (kernels/gemm_conv.inc and its per-ISA stubs):
 * the data-cache sizes the blocking is derived from.
 *
 * kernels/ cannot use hwloc, so the sizes are read once from
 * /sys/devices/system/cpu/cpu0/cache/index<i>/{level,type,size} (Linux); anything
 * missing falls back to the documented AMD Zen 4 sizes (L1d 32 KiB, L2 1 MiB per core,
 * L3 32 MiB per CCD), the machine the blocking rules were measured on.
 * GSCONV_GEMM_CACHES="l1,l2,l3" (bytes, or with a K/M suffix) overrides both, for
 * experiments.
 */
#ifndef GSCONV_GEMM_CONV_H
#define GSCONV_GEMM_CONV_H
#include <stdint.h>

typedef struct gsconv_gemm_caches {
    int64_t l1d, l2, l3; /* bytes per core (l3: per cache domain) */
} gsconv_gemm_caches;

/* Thread-safe; the first call reads sysfs, later calls return the same values. */
const gsconv_gemm_caches *gsconv_gemm_cache_sizes(void);

#endif
