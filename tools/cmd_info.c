/*
 * gsconv info: what the CPU probe sees, the fingerprint and the registry.
 */
#include <stdlib.h>

#include "cmd_tuner.h"
#include "gsconv.h"

static void info_usage(FILE *f)
{
    fputs("usage: gsconv info [--json] [--measure-peak] [--cache FILE]\n"
          "\n"
          "Print the CPU probe (hwloc topology and caches; vendor, model and ISA flags from\n"
          "libcpuid on x86), the measured peaks if known, the machine fingerprint that keys\n"
          "the cache file, and every registry variant with its ISA and whether this CPU can\n"
          "run it.\n"
          "\n"
          "options:\n"
          "  --measure-peak  measure the FMA peak of one core and the memcpy bandwidth\n"
          "                  (about 0.5 s) and store them in the cache file\n"
          "  --cache FILE    cache file (default: $GSCONV_CACHE, else\n"
          "                  $XDG_CACHE_HOME/gsconv/wisdom.json, else ~/.cache/gsconv/...)\n"
          "  --json          one JSON object on stdout\n"
          "  -h, --help      this help\n",
          f);
}

static int isa_runnable(gsconv_isa v, gsconv_isa avail)
{
    if (v == GSCONV_ISA_SCALAR) return 1;
    if (v == GSCONV_ISA_NEON || avail == GSCONV_ISA_NEON) return v == avail;
    return (int)v <= (int)avail;
}

static void human_size(int64_t b, char *buf, size_t len)
{
    if (b >= ((int64_t)1 << 20) && b % ((int64_t)1 << 20) == 0)
        snprintf(buf, len, "%lld MiB", (long long)(b >> 20));
    else if (b >= 1024)
        snprintf(buf, len, "%lld KiB", (long long)(b >> 10));
    else
        snprintf(buf, len, "%lld B", (long long)b);
}

int gsconv_cmd_info(int argc, char **argv)
{
    static const struct option lo[] = {
        {"json", no_argument, NULL, 'j'},
        {"measure-peak", no_argument, NULL, 'm'},
        {"cache", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "info", *cache = NULL;
    int json = 0, measure = 0, c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        switch (c) {
        case 'j': json = 1; break;
        case 'm': measure = 1; break;
        case 'c': cache = optarg; break;
        case 'h': info_usage(stdout); return TEXIT_OK;
        default: return toption_error(cmd, c, argv);
        }
    }
    if (optind < argc) return tusage(cmd, "unexpected argument '%s'", argv[optind]);
    if (cache) setenv("GSCONV_CACHE", cache, 1); /* the probe's cached peaks come from here */
    gsconv_cpu_info ci;
    if (gsconv_cpu_probe(&ci) != GSCONV_OK) {
        fprintf(stderr, "gsconv: info: %s\n", gsconv_last_error());
        return TEXIT_CHECK;
    }
    if (measure && gsconv_cpu_measure_peak(&ci, cache, 1) != GSCONV_OK) {
        fprintf(stderr, "gsconv: info: %s\n", gsconv_last_error());
        return TEXIT_CHECK;
    }
    char flags[256], path[4096];
    gsconv_cpu_flags_format(ci.flags, flags, sizeof flags);
    if (gsconv_cache_path(cache, path, sizeof path) < 0) snprintf(path, sizeof path, "(none)");
    const gsconv_isa avail = gsconv_isa_available();
    const int nv = gsconv_variant_count();

    if (json) {
        printf("{\n  \"arch\": ");
        tjson_str(stdout, ci.arch);
        printf(",\n  \"vendor\": ");
        tjson_str(stdout, ci.vendor);
        printf(",\n  \"brand\": ");
        tjson_str(stdout, ci.brand);
        printf(",\n  \"family\": %d,\n  \"model\": %d,\n  \"stepping\": %d,\n  \"flags\": [",
               ci.family, ci.model, ci.stepping);
        char *save = NULL, fl[256];
        snprintf(fl, sizeof fl, "%s", flags);
        int first = 1;
        for (char *t = strtok_r(fl, " ", &save); t; t = strtok_r(NULL, " ", &save), first = 0) {
            printf("%s", first ? "" : ", ");
            tjson_str(stdout, t);
        }
        printf("],\n  \"isa\": \"%s\",\n", gsconv_isa_name(ci.isa));
        printf("  \"packages\": %d,\n  \"cores\": %d,\n  \"pus\": %d,\n  \"numa_nodes\": %d,\n",
               ci.packages, ci.cores, ci.pus, ci.numa_nodes);
        printf("  \"caches\": [");
        for (int i = 0; i < ci.ncaches; i++) {
            const gsconv_cpu_cache *k = &ci.caches[i];
            printf("%s\n    {\"level\": %d, \"type\": \"%c\", \"size\": %lld, \"line\": %d, "
                   "\"cores_sharing\": %d, \"instances\": %d}",
                   i ? "," : "", k->level, k->type, (long long)k->size, k->line, k->cores_sharing,
                   k->instances);
        }
        printf("\n  ],\n");
        if (ci.peak_gflops > 0)
            printf("  \"peak\": {\"fma_gflops_per_core\": %.2f, \"fma_gflops_per_core_256\": %.2f, "
                   "\"copy_gbs\": %.2f, \"copy_gbs_l2\": %.2f, \"copy_gbs_l3\": %.2f},\n",
                   ci.peak_gflops, ci.peak_gflops_256, ci.copy_gbs, ci.copy_gbs_l2, ci.copy_gbs_l3);
        else
            printf("  \"peak\": null,\n");
        printf("  \"fingerprint\": ");
        tjson_str(stdout, ci.fingerprint);
        printf(",\n  \"machine_key\": \"%s\",\n  \"config_signature\": \"%s\",\n", ci.machine_key,
               gsconv_config_signature());
        printf("  \"build_options\": ");
        tjson_str(stdout, gsconv_build_options());
        printf(",\n  \"version\": \"%s\",\n  \"cache_path\": ", GSCONV_VERSION_STRING);
        tjson_str(stdout, path);
        printf(",\n  \"variants\": [");
        for (int i = 0; i < nv; i++) {
            const gsconv_isa vi = gsconv_variant_isa(i);
            printf("%s\n    {\"name\": \"%s\", \"isa\": \"%s\", \"runnable\": %s}", i ? "," : "",
                   gsconv_variant_name(i), gsconv_isa_name(vi), isa_runnable(vi, avail) ? "true" : "false");
        }
        printf("\n  ]\n}\n");
        return TEXIT_OK;
    }

    printf("cpu          %s, %s\n", ci.vendor[0] ? ci.vendor : "?", ci.brand[0] ? ci.brand : "?");
    printf("arch         %s, family %d model %d stepping %d\n", ci.arch, ci.family, ci.model, ci.stepping);
    printf("isa flags    %s\n", flags[0] ? flags : "(none)");
    printf("usable isa   %s%s\n", gsconv_isa_name(ci.isa),
           getenv("GSCONV_MAX_ISA") ? " (GSCONV_MAX_ISA caps it)" : "");
    printf("topology     %d package(s), %d core(s), %d PU(s), %d NUMA node(s)\n", ci.packages,
           ci.cores, ci.pus, ci.numa_nodes);
    for (int i = 0; i < ci.ncaches; i++) {
        const gsconv_cpu_cache *k = &ci.caches[i];
        char sz[32];
        human_size(k->size, sz, sizeof sz);
        printf("cache        L%d%c %s, line %d B, shared by %d core(s), %d instance(s)\n", k->level,
               k->type, sz, k->line, k->cores_sharing, k->instances);
    }
    if (ci.peak_gflops > 0)
        printf("peak         %.1f GFLOP/s fp32 FMA per core (%s; %.1f with 256-bit vectors); memcpy "
               "%.1f GB/s in L2, %.1f in L3, %.1f from memory (one thread)\n",
               ci.peak_gflops, gsconv_isa_name(ci.isa), ci.peak_gflops_256, ci.copy_gbs_l2,
               ci.copy_gbs_l3, ci.copy_gbs);
    else
        printf("peak         not measured (gsconv info --measure-peak)\n");
    printf("fingerprint  %s\n", ci.fingerprint);
    printf("machine key  %s\n", ci.machine_key);
    printf("config       %s (%s)\n", gsconv_config_signature(), gsconv_build_options());
    printf("version      %s\n", GSCONV_VERSION_STRING);
    printf("cache file   %s\n", path);
    printf("threads      %d by default (physical cores; GSCONV_NUM_THREADS overrides)\n",
           gsconv_physical_cores());
    printf("variants     %d\n", nv);
    for (int i = 0; i < nv; i++) {
        const gsconv_isa vi = gsconv_variant_isa(i);
        printf("  %-32s %-7s %s\n", gsconv_variant_name(i), gsconv_isa_name(vi),
               isa_runnable(vi, avail) ? "runs here" : "cannot run here");
    }
    return TEXIT_OK;
}
