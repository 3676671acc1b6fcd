/*
 * Run-time ISA detection and the GSCONV_MAX_ISA cap.
 *   x86-64: libcpuid for the CPUID feature flags, plus XGETBV to check that the OS saves
 *           the AVX / AVX-512 register state (a CPU flag alone is not enough).
 *   aarch64: getauxval(AT_HWCAP) & HWCAP_ASIMD.
 * Compiled without any -m ISA flag; it runs on every CPU of its architecture.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

#if GSCONV_ARCH_X86
#include <libcpuid.h>

static unsigned long long read_xcr0(void)
{
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((unsigned long long)hi << 32) | lo;
}

static gsconv_isa detect(void)
{
    if (!cpuid_present()) return GSCONV_ISA_SCALAR;
    struct cpu_raw_data_t raw;
    struct cpu_id_t id;
    if (cpuid_get_raw_data(&raw) < 0 || cpu_identify(&raw, &id) < 0) return GSCONV_ISA_SCALAR;
    if (!id.flags[CPU_FEATURE_OSXSAVE]) return GSCONV_ISA_SCALAR;
    const unsigned long long xcr0 = read_xcr0();
    const bool os_avx = (xcr0 & 0x6) == 0x6;      /* XMM and YMM state */
    const bool os_avx512 = (xcr0 & 0xe6) == 0xe6; /* + opmask, ZMM_Hi256, Hi16_ZMM */
    const bool avx2 = os_avx && id.flags[CPU_FEATURE_AVX] && id.flags[CPU_FEATURE_AVX2] &&
                      id.flags[CPU_FEATURE_FMA3];
    /* libcpuid 0.6.2 (Debian 12) decodes the AVX-512 bits only on Intel; on AMD Zen 4
     * its flags say no. Read them from the CPUID leaf 7 dump libcpuid took: EBX bit 16
     * AVX512F, 17 DQ, 30 BW, 31 VL. */
    const unsigned ebx7 = raw.basic_cpuid[0][0] >= 7 ? raw.basic_cpuid[7][1] : 0;
    const bool f = id.flags[CPU_FEATURE_AVX512F] || (ebx7 >> 16 & 1);
    const bool dq = id.flags[CPU_FEATURE_AVX512DQ] || (ebx7 >> 17 & 1);
    const bool bw = id.flags[CPU_FEATURE_AVX512BW] || (ebx7 >> 30 & 1);
    const bool vl = id.flags[CPU_FEATURE_AVX512VL] || (ebx7 >> 31 & 1);
    const bool avx512 = avx2 && os_avx512 && f && dq && bw && vl;
    return avx512 ? GSCONV_ISA_AVX512 : avx2 ? GSCONV_ISA_AVX2 : GSCONV_ISA_SCALAR;
}
#elif GSCONV_ARCH_ARM64
#include <sys/auxv.h>
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
static gsconv_isa detect(void)
{
    return (getauxval(AT_HWCAP) & HWCAP_ASIMD) ? GSCONV_ISA_NEON : GSCONV_ISA_SCALAR;
}
#else
static gsconv_isa detect(void) { return GSCONV_ISA_SCALAR; }
#endif

static gsconv_isa available = GSCONV_ISA_SCALAR;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init(void)
{
    available = detect();
    const char *cap = getenv("GSCONV_MAX_ISA");
    if (cap && *cap) {
        gsconv_isa c;
        if (gsconv_isa_parse(cap, &c) != GSCONV_OK) {
            fprintf(stderr, "gsconv: ignoring GSCONV_MAX_ISA=%s: %s\n", cap, gsconv_last_error());
            gsconv_clear_error();
        } else {
            available = gsconv_isa_cap(available, c);
        }
    }
}

gsconv_isa gsconv_isa_available(void)
{
    pthread_once(&once, init);
    return available;
}
