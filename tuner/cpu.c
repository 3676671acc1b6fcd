/*
 * The CPU probe: topology and caches through hwloc, vendor / model / ISA flags through
 * libcpuid on x86 (getauxval + hwloc on aarch64), the measured peaks on request, the
 * machine fingerprint and the configuration signature. docs/tuner.md describes them.
 */
#include <hwloc.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tuner.h"

#if GSCONV_ARCH_X86
#include <cpuid.h>
#include <libcpuid.h>
#elif GSCONV_ARCH_ARM64
#include <sys/auxv.h>
#endif

#ifndef GSCONV_BUILD_TYPE
#define GSCONV_BUILD_TYPE "unknown"
#endif

static gsconv_cpu_info info;
static hwloc_topology_t topo;
static bool topo_ok;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t peak_mu = PTHREAD_MUTEX_INITIALIZER;
static char build_opts[128];
static char config_sig[32];

/* the measured part of a cpu info (callers hold peak_mu) */
static void copy_peaks(gsconv_cpu_info *d, const gsconv_cpu_info *s)
{
    d->peak_gflops = s->peak_gflops;
    d->peak_gflops_256 = s->peak_gflops_256;
    d->copy_gbs = s->copy_gbs;
    d->copy_gbs_l2 = s->copy_gbs_l2;
    d->copy_gbs_l3 = s->copy_gbs_l3;
}

uint64_t gsconv_fnv1a64(const void *data, size_t len, uint64_t h)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* ---------------------------------------------------------------- hwloc */

static void probe_hwloc(void)
{
    if (hwloc_topology_init(&topo) != 0) return;
    if (hwloc_topology_load(topo) != 0) {
        hwloc_topology_destroy(topo);
        return;
    }
    topo_ok = true;
    info.packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
    info.cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    info.pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
    info.numa_nodes = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
    if (info.pus < 1) info.pus = 1;
    if (info.cores < 1) info.cores = info.pus;
    if (info.packages < 1) info.packages = 1;
    if (info.numa_nodes < 1) info.numa_nodes = 1;

    static const hwloc_obj_type_t types[] = {
        HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L1ICACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L2ICACHE,
        HWLOC_OBJ_L3CACHE, HWLOC_OBJ_L3ICACHE, HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE};
    for (size_t t = 0; t < sizeof types / sizeof types[0] && info.ncaches < GSCONV_MAX_CACHES; t++) {
        hwloc_obj_t o = hwloc_get_obj_by_type(topo, types[t], 0);
        if (!o || !o->attr) continue;
        gsconv_cpu_cache *c = &info.caches[info.ncaches++];
        c->level = (int)o->attr->cache.depth;
        c->type = o->attr->cache.type == HWLOC_OBJ_CACHE_DATA          ? 'd'
                  : o->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ? 'i'
                                                                       : 'u';
        c->size = (int64_t)o->attr->cache.size;
        c->line = (int)o->attr->cache.linesize;
        c->instances = hwloc_get_nbobjs_by_type(topo, types[t]);
        c->cores_sharing = hwloc_get_nbobjs_inside_cpuset_by_type(topo, o->cpuset, HWLOC_OBJ_CORE);
        if (c->cores_sharing < 1) c->cores_sharing = 1;
    }
    /* Identity as hwloc knows it (used where libcpuid is not: aarch64). */
    hwloc_obj_t root = hwloc_get_root_obj(topo);
    hwloc_obj_t pkg = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PACKAGE, 0);
    const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (!model) model = hwloc_obj_get_info_by_name(root, "CPUModel");
    if (model) snprintf(info.brand, sizeof info.brand, "%s", model);
    const char *vendor = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUVendor") : NULL;
    if (!vendor) vendor = hwloc_obj_get_info_by_name(root, "CPUVendor");
    if (vendor) snprintf(info.vendor, sizeof info.vendor, "%s", vendor);
#if GSCONV_ARCH_ARM64
    /* aarch64: implementer / part / revision stand in for family / model / stepping. */
    const char *imp = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUImplementer") : NULL;
    const char *part = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUPartNumber") : NULL;
    const char *rev = pkg ? hwloc_obj_get_info_by_name(pkg, "CPURevision") : NULL;
    if (imp) info.family = (int)strtol(imp, NULL, 0);
    if (part) info.model = (int)strtol(part, NULL, 0);
    if (rev) info.stepping = (int)strtol(rev, NULL, 0);
    if (!info.vendor[0] && imp) snprintf(info.vendor, sizeof info.vendor, "arm-implementer-%s", imp);
#endif
}

/* ---------------------------------------------------------------- libcpuid / auxv */

#if GSCONV_ARCH_X86
static void add_cache_if_missing(int level, char type, int kb, int line, int sharing)
{
    if (kb <= 0) return;
    for (int i = 0; i < info.ncaches; i++)
        if (info.caches[i].level == level && (info.caches[i].type == type || type == 'u')) return;
    if (info.ncaches >= GSCONV_MAX_CACHES) return;
    gsconv_cpu_cache *c = &info.caches[info.ncaches++];
    c->level = level;
    c->type = type;
    c->size = (int64_t)kb * 1024;
    c->line = line > 0 ? line : 0;
    c->cores_sharing = sharing;
    c->instances = sharing > 0 && info.cores >= sharing ? info.cores / sharing : 0;
}

static void probe_isa(void)
{
    snprintf(info.arch, sizeof info.arch, "x86_64");
    if (!cpuid_present()) return;
    struct cpu_raw_data_t raw;
    struct cpu_id_t id;
    if (cpuid_get_raw_data(&raw) < 0 || cpu_identify(&raw, &id) < 0) return;
    snprintf(info.vendor, sizeof info.vendor, "%s", id.vendor_str);
    if (id.brand_str[0]) {
        /* trim the padding some CPUs put around the brand string */
        const char *b = id.brand_str;
        while (*b == ' ') b++;
        snprintf(info.brand, sizeof info.brand, "%s", b);
        size_t n = strlen(info.brand);
        while (n && info.brand[n - 1] == ' ') info.brand[--n] = 0;
    }
    info.family = id.ext_family;
    info.model = id.ext_model;
    info.stepping = id.stepping;
    unsigned f = 0;
    if (id.flags[CPU_FEATURE_SSE4_2]) f |= GSCONV_CPU_SSE42;
    if (id.flags[CPU_FEATURE_AVX]) f |= GSCONV_CPU_AVX;
    if (id.flags[CPU_FEATURE_AVX2]) f |= GSCONV_CPU_AVX2;
    if (id.flags[CPU_FEATURE_FMA3]) f |= GSCONV_CPU_FMA3;
    /* libcpuid 0.6.2 decodes the AVX-512 bits only on Intel (see tuner/isa.c): read
     * CPUID leaf 7 from its raw dump. EBX: 16 F, 17 DQ, 30 BW, 31 VL; ECX: 11 VNNI. */
    const bool has7 = raw.basic_cpuid[0][0] >= 7;
    const unsigned ebx7 = has7 ? raw.basic_cpuid[7][1] : 0;
    const unsigned ecx7 = has7 ? raw.basic_cpuid[7][2] : 0;
    if (id.flags[CPU_FEATURE_AVX512F] || (ebx7 >> 16 & 1)) f |= GSCONV_CPU_AVX512F;
    if (id.flags[CPU_FEATURE_AVX512DQ] || (ebx7 >> 17 & 1)) f |= GSCONV_CPU_AVX512DQ;
    if (id.flags[CPU_FEATURE_AVX512BW] || (ebx7 >> 30 & 1)) f |= GSCONV_CPU_AVX512BW;
    if (id.flags[CPU_FEATURE_AVX512VL] || (ebx7 >> 31 & 1)) f |= GSCONV_CPU_AVX512VL;
    if (id.flags[CPU_FEATURE_AVX512VNNI] || (ecx7 >> 11 & 1)) f |= GSCONV_CPU_AVX512VNNI;
    /* AVX512_BF16 is leaf 7 subleaf 1 EAX bit 5, which libcpuid 0.6.2 neither decodes
     * nor dumps: ask CPUID directly (no ISA flag needed to execute cpuid). */
    if (has7) {
        unsigned a = 0, b = 0, c = 0, d = 0;
        if (__get_cpuid_count(7, 1, &a, &b, &c, &d) && (a >> 5 & 1)) f |= GSCONV_CPU_AVX512BF16;
    }
    info.flags = f;
    /* Caches hwloc did not report (some VMs hide them from sysfs). */
    int cores_l3 = id.num_cores > 0 ? id.num_cores : 0;
    add_cache_if_missing(1, 'd', id.l1_data_cache, id.l1_data_cacheline, 1);
    add_cache_if_missing(1, 'i', id.l1_instruction_cache, id.l1_instruction_cacheline, 1);
    add_cache_if_missing(2, 'u', id.l2_cache, id.l2_cacheline, 1);
    add_cache_if_missing(3, 'u', id.l3_cache, id.l3_cacheline, cores_l3);
}
#elif GSCONV_ARCH_ARM64
#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1 << 1)
#endif
#ifndef HWCAP_ASIMDHP
#define HWCAP_ASIMDHP (1 << 10)
#endif
#ifndef HWCAP_SVE
#define HWCAP_SVE (1 << 22)
#endif
static void probe_isa(void)
{
    snprintf(info.arch, sizeof info.arch, "aarch64");
    const unsigned long hw = getauxval(AT_HWCAP);
    if (hw & HWCAP_ASIMD) info.flags |= GSCONV_CPU_NEON;
    if (hw & HWCAP_ASIMDHP) info.flags |= GSCONV_CPU_FPHP;
    if (hw & HWCAP_SVE) info.flags |= GSCONV_CPU_SVE;
}
#else
static void probe_isa(void) { snprintf(info.arch, sizeof info.arch, "unknown"); }
#endif

/* ---------------------------------------------------------------- signature, fingerprint */

static void make_signature(void)
{
#if defined(__clang__)
    const char *cc = "clang";
#elif defined(__GNUC__)
    const char *cc = "gcc";
#else
    const char *cc = "cc";
#endif
#ifdef __VERSION__
    const char *ver = __VERSION__;
#else
    const char *ver = "?";
#endif
    snprintf(build_opts, sizeof build_opts, "%s %s;%s;%s%s", cc, ver, GSCONV_BUILD_TYPE,
             GSCONV_ARCH_X86 ? "x86_64" : GSCONV_ARCH_ARM64 ? "aarch64" : "other",
#if defined(__SANITIZE_ADDRESS__)
             ";asan"
#else
             ""
#endif
    );
    uint64_t h = GSCONV_FNV_OFFSET;
    for (int i = 0; i < gsconv_registry_size; i++)
        h = gsconv_fnv1a64(gsconv_registry[i].name, strlen(gsconv_registry[i].name) + 1, h);
    h = gsconv_fnv1a64(build_opts, strlen(build_opts), h);
    snprintf(config_sig, sizeof config_sig, "fnv1a64:%016llx", (unsigned long long)h);
}

static void make_fingerprint(void)
{
    char flags[160], caches[160] = "";
    gsconv_cpu_flags_format(info.flags, flags, sizeof flags);
    for (char *q = flags; *q; q++)
        if (*q == ' ') *q = ',';
    size_t off = 0;
    for (int i = 0; i < info.ncaches && off < sizeof caches; i++) {
        const gsconv_cpu_cache *c = &info.caches[i];
        off += (size_t)snprintf(caches + off, sizeof caches - off, "%sL%d%c:%lldK/%d", i ? "," : "",
                                c->level, c->type, (long long)(c->size / 1024), c->cores_sharing);
    }
    snprintf(info.fingerprint, sizeof info.fingerprint,
             "arch=%.15s;vendor=%.31s;family=%d;model=%d;stepping=%d;isa=%.159s;packages=%d;"
             "cores=%d;threads=%d;numa=%d;caches=%.159s;gsconv=%s;config=%.31s",
             info.arch, info.vendor, info.family, info.model, info.stepping, flags, info.packages,
             info.cores, info.pus, info.numa_nodes, caches, GSCONV_VERSION_STRING, config_sig);
    const uint64_t h = gsconv_fnv1a64(info.fingerprint, strlen(info.fingerprint), GSCONV_FNV_OFFSET);
    snprintf(info.machine_key, sizeof info.machine_key, "%016llx", (unsigned long long)h);
}

static void init(void)
{
    memset(&info, 0, sizeof info);
    info.packages = info.cores = info.pus = info.numa_nodes = 1;
    probe_hwloc();
    probe_isa();
    info.isa = gsconv_isa_available();
    make_signature();
    /* GSCONV_TEST_FINGERPRINT: appended to the fingerprint so the tests can play
     * another machine. */
    make_fingerprint();
    const char *fake = getenv("GSCONV_TEST_FINGERPRINT");
    if (fake && *fake) {
        size_t n = strlen(info.fingerprint);
        snprintf(info.fingerprint + n, sizeof info.fingerprint - n, ";test=%s", fake);
        const uint64_t h = gsconv_fnv1a64(info.fingerprint, strlen(info.fingerprint), GSCONV_FNV_OFFSET);
        snprintf(info.machine_key, sizeof info.machine_key, "%016llx", (unsigned long long)h);
    }
}

const gsconv_cpu_info *gsconv_cpu_static(void)
{
    pthread_once(&once, init);
    return &info;
}

const char *gsconv_config_signature(void)
{
    pthread_once(&once, init);
    return config_sig;
}

const char *gsconv_build_options(void)
{
    pthread_once(&once, init);
    return build_opts;
}

int gsconv_physical_cores(void) { return gsconv_cpu_static()->cores; }

int gsconv_cpu_flags_format(unsigned flags, char *buf, size_t len)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {{GSCONV_CPU_SSE42, "sse4.2"},        {GSCONV_CPU_AVX, "avx"},
                 {GSCONV_CPU_AVX2, "avx2"},           {GSCONV_CPU_FMA3, "fma3"},
                 {GSCONV_CPU_AVX512F, "avx512f"},     {GSCONV_CPU_AVX512BW, "avx512bw"},
                 {GSCONV_CPU_AVX512VL, "avx512vl"},   {GSCONV_CPU_AVX512DQ, "avx512dq"},
                 {GSCONV_CPU_AVX512VNNI, "avx512vnni"}, {GSCONV_CPU_AVX512BF16, "avx512bf16"},
                 {GSCONV_CPU_NEON, "neon"},           {GSCONV_CPU_FPHP, "fphp"},
                 {GSCONV_CPU_SVE, "sve"}};
    int total = 0;
    if (buf && len) buf[0] = 0;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (!(flags & names[i].bit)) continue;
        int w = snprintf(buf && (size_t)total < len ? buf + total : NULL,
                         buf && (size_t)total < len ? len - (size_t)total : 0, "%s%s",
                         total ? " " : "", names[i].name);
        total += w;
    }
    return total;
}

gsconv_status gsconv_cpu_probe(gsconv_cpu_info *out)
{
    if (!out) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "cpu probe: NULL argument");
    pthread_once(&once, init);
    pthread_mutex_lock(&peak_mu);
    *out = info;
    pthread_mutex_unlock(&peak_mu);
    if (out->peak_gflops <= 0) {
        char path[1024];
        if (gsconv_cache_resolve(NULL, path, sizeof path) && gsconv_cache_get_peak(path, out)) {
            pthread_mutex_lock(&peak_mu);
            copy_peaks(&info, out);
            pthread_mutex_unlock(&peak_mu);
        }
    }
    return GSCONV_OK;
}

/* ---------------------------------------------------------------- measured peaks */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Scalar fallback (no ISA flags here): 8 independent multiply-add chains. */
static float peak_scalar(int64_t iters, double *flops)
{
    volatile float seed = 0.99999994f;
    const float m = seed, a = 1e-7f;
    float c[8] = {1, 1.01f, 1.02f, 1.03f, 1.04f, 1.05f, 1.06f, 1.07f};
    for (int64_t i = 0; i < iters; i++)
        for (int j = 0; j < 8; j++) c[j] = c[j] * m + a;
    *flops = (double)iters * 8 * 2;
    return c[0] + c[1] + c[2] + c[3] + c[4] + c[5] + c[6] + c[7];
}

/* GFLOP/s of the ISA's FMA loop: the best of `trials` trials of ~trial_s seconds each */
static double fma_gflops_t(gsconv_isa isa, double trial_s, int trials)
{
    float (*fn)(int64_t, double *) = peak_scalar;
#if GSCONV_ARCH_X86
    if (isa == GSCONV_ISA_AVX512) fn = gsconv_peak_fma_avx512;
    else if (isa == GSCONV_ISA_AVX2) fn = gsconv_peak_fma_avx2;
#elif GSCONV_ARCH_ARM64
    if (isa == GSCONV_ISA_NEON) fn = gsconv_peak_fma_neon;
#else
    (void)isa;
#endif
    double flops = 0, best = 0;
    volatile float sink = 0;
    int64_t iters = 1 << 14;
    for (;;) {
        double t0 = now_s();
        sink += fn(iters, &flops);
        double dt = now_s() - t0;
        if (dt > trial_s || iters > ((int64_t)1 << 40)) break;
        iters *= dt > trial_s / 10 ? (int64_t)(trial_s / dt) + 1 : 8;
    }
    for (int t = 0; t < trials; t++) {
        double t0 = now_s();
        sink += fn(iters, &flops);
        double dt = now_s() - t0;
        if (dt > 0 && flops / dt > best) best = flops / dt;
    }
    (void)sink;
    return best * 1e-9;
}

/* calibrated to ~5 ms per trial, then the best of 12 trials: on a shared machine a short
 * trial is likelier to run undisturbed than a long one */
static double fma_gflops(gsconv_isa isa) { return fma_gflops_t(isa, 0.005, 12); }

/* memcpy GB/s (bytes copied per second) over buffers of `bytes`, best of a few. */
static double copy_gbs(size_t bytes, double budget_s)
{
    bytes &= ~(size_t)63;
    if (bytes < 4096) bytes = 4096;
    char *a = gsconv_aligned_alloc(bytes), *b = gsconv_aligned_alloc(bytes);
    if (!a || !b) {
        gsconv_aligned_free(a);
        gsconv_aligned_free(b);
        return 0;
    }
    memset(a, 1, bytes);
    memset(b, 2, bytes);
    double best = 0, start = now_s();
    int reps = 0;
    while (reps < 5 || (now_s() - start < budget_s && reps < 10000)) {
        int inner = bytes < (1u << 20) ? (int)((1u << 22) / bytes) : 1;
        double t0 = now_s();
        for (int i = 0; i < inner; i++) {
            memcpy(b, a, bytes);
            __asm__ volatile("" ::"r"(b) : "memory");
        }
        double dt = now_s() - t0;
        if (dt > 0 && (double)bytes * inner / dt > best) best = (double)bytes * inner / dt;
        reps++;
    }
    gsconv_aligned_free(a);
    gsconv_aligned_free(b);
    return best * 1e-9;
}

gsconv_status gsconv_cpu_measure_peak(gsconv_cpu_info *out, const char *cache_path, int remeasure)
{
    if (!out) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "measure peak: NULL argument");
    pthread_once(&once, init);
    char path[1024];
    const bool have_path = gsconv_cache_resolve(cache_path, path, sizeof path);
    gsconv_cpu_info tmp = info;
    if (!remeasure && have_path && gsconv_cache_get_peak(path, &tmp)) {
        pthread_mutex_lock(&peak_mu);
        copy_peaks(&info, &tmp);
        *out = info;
        pthread_mutex_unlock(&peak_mu);
        return GSCONV_OK;
    }
    int64_t l2 = 0, llc = 0;
    for (int i = 0; i < info.ncaches; i++) {
        const gsconv_cpu_cache *c = &info.caches[i];
        if (c->type == 'i') continue;
        if (c->level == 2) l2 = c->size;
        if (c->level >= 3 && c->size * (c->instances > 0 ? c->instances : 1) > llc)
            llc = c->size * (c->instances > 0 ? c->instances : 1);
    }
    if (l2 <= 0) l2 = 256 << 10;
    /* the best loop of any ISA this CPU runs (on Zen 4 the AVX2 loop can beat the
     * double-pumped AVX-512 one); the cost model uses it as a ceiling */
    tmp.peak_gflops = fma_gflops(GSCONV_ISA_SCALAR);
    tmp.peak_gflops_256 = 0;
    static const gsconv_isa isas[] = {GSCONV_ISA_AVX2, GSCONV_ISA_AVX512, GSCONV_ISA_NEON};
    for (size_t i = 0; i < sizeof isas / sizeof isas[0]; i++)
        if (gsconv_isa_allowed(isas[i], info.isa)) {
            const double g = fma_gflops(isas[i]);
            if (g > tmp.peak_gflops) tmp.peak_gflops = g;
            if (isas[i] == GSCONV_ISA_AVX2) tmp.peak_gflops_256 = g;
        }
    /* (the 256-bit rows' ceiling: AVX2 on x86; no narrower kind of row elsewhere) */
    if (tmp.peak_gflops_256 <= 0 || tmp.peak_gflops_256 > tmp.peak_gflops)
        tmp.peak_gflops_256 = tmp.peak_gflops;
    tmp.copy_gbs_l2 = copy_gbs((size_t)l2 / 4, 0.03);   /* two buffers: half of L2 */
    tmp.copy_gbs_l3 = llc > 0 ? copy_gbs((size_t)(llc / 2 > l2 * 2 ? llc / 4 : l2), 0.05) : 0;
    int64_t big = (llc > l2 ? llc : l2) * 2;
    if (big < ((int64_t)64 << 20)) big = (int64_t)64 << 20;
    if (big > ((int64_t)512 << 20)) big = (int64_t)512 << 20;
    tmp.copy_gbs = copy_gbs((size_t)big, 0.15);
    pthread_mutex_lock(&peak_mu);
    copy_peaks(&info, &tmp);
    *out = info;
    pthread_mutex_unlock(&peak_mu);
    if (have_path) {
        gsconv_status s = gsconv_cache_put_peak(path, out);
        if (s) {
            fprintf(stderr, "gsconv: could not store the measured peak: %s\n", gsconv_last_error());
            gsconv_clear_error();
        }
    }
    return GSCONV_OK;
}

/* gsconv_cpu_ratio_256 (tuner.h): AVX2 over AVX-512 FMA rate, probed once */
static double ratio_256;
static void probe_ratio_256(void)
{
    ratio_256 = 1.0;
    if (!gsconv_isa_allowed(GSCONV_ISA_AVX2, info.isa) ||
        !gsconv_isa_allowed(GSCONV_ISA_AVX512, info.isa))
        return;
    /* ~0.3 ms trials, best of 4 each: ~3 ms once per process */
    const double g256 = fma_gflops_t(GSCONV_ISA_AVX2, 0.0003, 4);
    const double g512 = fma_gflops_t(GSCONV_ISA_AVX512, 0.0003, 4);
    if (g256 > 0 && g512 > g256) ratio_256 = g256 / g512 < 0.25 ? 0.25 : g256 / g512;
}

double gsconv_cpu_ratio_256(void)
{
    static pthread_once_t ronce = PTHREAD_ONCE_INIT;
    pthread_once(&once, init);
    pthread_once(&ronce, probe_ratio_256);
    return ratio_256;
}

/*
 * Peaks for the cost model. Unmeasured defaults (documented in docs/tuner.md): FMA
 * peak 0 (= the rows' estimates as they are); copy 40 GB/s in L2, 20 in L3, 10 from
 * memory.
 */
void gsconv_cpu_model_peaks(const char *cache_path, double *peak, double *peak_256, double *bw_l2,
                            double *bw_l3, double *bw_mem)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static bool loaded;
    pthread_once(&once, init);
    pthread_mutex_lock(&mu);
    if (!loaded && info.peak_gflops <= 0) {
        char path[1024];
        gsconv_cpu_info tmp = info;
        if (gsconv_cache_resolve(cache_path, path, sizeof path) && gsconv_cache_get_peak(path, &tmp)) {
            pthread_mutex_lock(&peak_mu);
            copy_peaks(&info, &tmp);
            pthread_mutex_unlock(&peak_mu);
        }
        loaded = true;
    }
    pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&peak_mu);
    *peak = info.peak_gflops > 0 ? info.peak_gflops : 0;
    *peak_256 = info.peak_gflops_256 > 0 ? info.peak_gflops_256 : *peak;
    *bw_l2 = info.copy_gbs_l2 > 0 ? info.copy_gbs_l2 : 40;
    *bw_l3 = info.copy_gbs_l3 > 0 ? info.copy_gbs_l3 : 20;
    *bw_mem = info.copy_gbs > 0 ? info.copy_gbs : 10;
    pthread_mutex_unlock(&peak_mu);
}

/* ---------------------------------------------------------------- binding */

bool gsconv_cpu_bind_threads(int nthreads, void **saved)
{
    *saved = NULL;
    pthread_once(&once, init);
    if (!topo_ok || nthreads < 1) return false;
    const int ncores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
    if (ncores < 1) return false;
    hwloc_bitmap_t old = hwloc_bitmap_alloc();
    if (old && hwloc_get_cpubind(topo, old, HWLOC_CPUBIND_THREAD) == 0)
        *saved = old;
    else
        hwloc_bitmap_free(old);
    /* the cores this thread may run on (all when its binding is unknown), last core
     * first: thread i on the i-th from the end. Core 0 is where the kernel and, in a
     * VM, the hypervisor do most of their housekeeping: on a 2-vCPU Sapphire Rapids VM
     * one layer read 1.76-2.46 ms bound to core 0 and 1.41-1.45 bound to core 1
     * (g1mb1ic1024ih7oc2048oh7kh1 NHWC, gemm_12x32), and the tuner, timing on core 0,
     * ranked the variants otherwise than gsconv bench (unbound) saw them. */
    int cores[1024], nc = 0;
    for (int i = ncores - 1; i >= 0 && nc < 1024; i--) {
        hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, (unsigned)i);
        if (core && (!*saved || hwloc_bitmap_intersects(core->cpuset, (hwloc_bitmap_t)*saved)))
            cores[nc++] = i;
    }
    if (nc == 0) {
        hwloc_bitmap_free((hwloc_bitmap_t)*saved);
        *saved = NULL;
        return false;
    }
    int ok = 1;
#pragma omp parallel num_threads(nthreads) reduction(& : ok)
    {
        const unsigned ci = (unsigned)cores[omp_get_thread_num() % nc];
        hwloc_obj_t core = hwloc_get_obj_by_type(topo, HWLOC_OBJ_CORE, ci);
        hwloc_bitmap_t set = core ? hwloc_bitmap_dup(core->cpuset) : NULL;
        if (set && *saved) hwloc_bitmap_and(set, set, (hwloc_bitmap_t)*saved);
        if (set) {
            hwloc_bitmap_singlify(set); /* one PU of the core */
            ok = hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD) == 0;
            hwloc_bitmap_free(set);
        } else {
            ok = 0;
        }
    }
    return ok != 0;
}

void gsconv_cpu_unbind(void *saved)
{
    if (!saved) return;
    hwloc_set_cpubind(topo, (hwloc_bitmap_t)saved, HWLOC_CPUBIND_THREAD);
    hwloc_bitmap_free((hwloc_bitmap_t)saved);
}
