/*
 * gsconv cache: path | list | show | merge | clear.
 */
#include <stdlib.h>

#include "cmd_tuner.h"
#include "gsconv.h"

static void cache_usage(FILE *f)
{
    fputs("usage: gsconv cache path  [--cache FILE]\n"
          "       gsconv cache list  [--cache FILE] [--json]\n"
          "       gsconv cache show  DESC [--layout nchw|nhwc] [--activation none|relu]\n"
          "                          [--cache FILE] [--json]\n"
          "       gsconv cache merge A B... -o OUT\n"
          "       gsconv cache clear [--machine this] [--cache FILE]\n"
          "\n"
          "The cache file (\"wisdom\") holds the tuner's picks per machine fingerprint, shape,\n"
          "layout, activation and thread budget (docs/tuner.md).\n"
          "  path   print the cache file's path\n"
          "  list   every entry of every machine ('*' marks this machine's)\n"
          "  show   the entries for one shape (exit 1 if there is none for this machine)\n"
          "  merge  merge cache files into OUT (same key: higher rigor, then newer, wins)\n"
          "  clear  remove every entry, or with --machine this only this machine's (an\n"
          "         atomic rewrite; the measured peaks stay)\n"
          "\n"
          "options:\n"
          "  --cache FILE  cache file (default: $GSCONV_CACHE, else\n"
          "                $XDG_CACHE_HOME/gsconv/wisdom.json, else ~/.cache/gsconv/...)\n"
          "  --json        JSON on stdout\n"
          "  -h, --help    this help\n"
          "exit status: 0 ok, 1 nothing found / could not write, 2 bad usage or input\n",
          f);
}

static void print_entries(const gsconv_cache_entry *e, int n, int json)
{
    if (json) {
        printf("[");
        for (int i = 0; i < n; i++) {
            printf("%s\n  {\"machine\": \"%s\", \"this_machine\": %s, \"shape\": \"%s\", \"layout\": \"%s\", "
                   "\"activation\": \"%s\", \"thread_budget\": %d, \"variant\": \"%s\", \"params\": \"%s\", "
                   "\"threads\": %d, \"median_ms\": %.6f, \"gflops\": %.3f, \"rigor\": \"%s\", "
                   "\"binding\": \"%s\", \"date\": \"%s\"}",
                   i ? "," : "", e[i].machine_key, e[i].this_machine ? "true" : "false", e[i].shape,
                   gsconv_layout_name(e[i].layout), gsconv_activation_name(e[i].act), e[i].thread_budget,
                   e[i].pick.variant, e[i].pick.params, e[i].pick.threads, e[i].pick.ms, e[i].pick.gflops,
                   gsconv_rigor_name(e[i].rigor), e[i].binding, e[i].date);
        }
        printf("%s]\n", n ? "\n" : "");
        return;
    }
    if (n == 0) return;
    printf("  %-16s %-44s %-4s %-4s %4s %-28s %-18s %3s %10s %9s %-8s %s\n", "machine", "shape", "lay", "act",
           "bud", "variant", "params", "thr", "ms", "GFLOP/s", "rigor", "date");
    for (int i = 0; i < n; i++)
        printf("%c %-16s %-44s %-4s %-4s %4d %-28s %-18s %3d %10.4f %9.2f %-8s %s\n",
               e[i].this_machine ? '*' : ' ', e[i].machine_key, e[i].shape, gsconv_layout_name(e[i].layout),
               gsconv_activation_name(e[i].act), e[i].thread_budget, e[i].pick.variant,
               e[i].pick.params[0] ? e[i].pick.params : "-", e[i].pick.threads, e[i].pick.ms,
               e[i].pick.gflops, gsconv_rigor_name(e[i].rigor), e[i].date);
}

int gsconv_cmd_cache(int argc, char **argv)
{
    static const struct option lo[] = {
        {"cache", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"layout", required_argument, NULL, 'L'},
        {"activation", required_argument, NULL, 'A'},
        {"machine", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd = "cache", *cache = NULL, *layout_s = NULL, *act_s = NULL, *machine = NULL,
               *out = NULL;
    int json = 0, c;
    optind = 0;
    opterr = 0;
    /* options may come before or after the action and its arguments (GNU permutation) */
    while ((c = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
        switch (c) {
        case 'c': cache = optarg; break;
        case 'j': json = 1; break;
        case 'L': layout_s = optarg; break;
        case 'A': act_s = optarg; break;
        case 'm': machine = optarg; break;
        case 'o': out = optarg; break;
        case 'h': cache_usage(stdout); return TEXIT_OK;
        default: return toption_error(cmd, c, argv);
        }
    }
    if (optind >= argc) return tusage(cmd, "missing action (path, list, show, merge, clear)");
    const char *action = argv[optind++];
    const int nargs = argc - optind;
    char **args = argv + optind;
    const int is_show = strcmp(action, "show") == 0, is_merge = strcmp(action, "merge") == 0;
    const int is_clear = strcmp(action, "clear") == 0;
    if ((layout_s || act_s) && !is_show) return tusage(cmd, "--layout/--activation go with 'show'");
    if (machine && !is_clear) return tusage(cmd, "--machine goes with 'clear'");
    if (out && !is_merge) return tusage(cmd, "-o goes with 'merge'");
    if (json && (is_merge || is_clear || strcmp(action, "path") == 0))
        return tusage(cmd, "--json goes with 'list' and 'show'");

    if (strcmp(action, "path") == 0) {
        if (nargs) return tusage(cmd, "unexpected argument '%s'", args[0]);
        char path[4096];
        if (gsconv_cache_path(cache, path, sizeof path) < 0) {
            fprintf(stderr, "gsconv: cache: no cache path (set GSCONV_CACHE or HOME)\n");
            return TEXIT_CHECK;
        }
        printf("%s\n", path);
        return TEXIT_OK;
    }
    if (strcmp(action, "list") == 0 || is_show) {
        gsconv_problem p;
        gsconv_layout layout = GSCONV_NCHW;
        gsconv_activation act = GSCONV_ACT_NONE;
        char canon[256] = "";
        if (is_show) {
            if (nargs < 1) return tusage(cmd, "show: missing DESC");
            if (nargs > 1) return tusage(cmd, "unexpected argument '%s'", args[1]);
            if (gsconv_problem_parse(&p, args[0]) != GSCONV_OK) {
                fprintf(stderr, "gsconv: cache: %s\n", gsconv_last_error());
                return TEXIT_USAGE;
            }
            gsconv_problem_format(&p, canon, sizeof canon);
            if (layout_s && strcmp(layout_s, "nchw") == 0) layout = GSCONV_NCHW;
            else if (layout_s && strcmp(layout_s, "nhwc") == 0) layout = GSCONV_NHWC;
            else if (layout_s) return tusage(cmd, "--layout must be nchw or nhwc, got '%s'", layout_s);
            if (act_s && strcmp(act_s, "relu") == 0) act = GSCONV_ACT_RELU;
            else if (act_s && strcmp(act_s, "none") != 0)
                return tusage(cmd, "--activation must be none or relu, got '%s'", act_s);
        } else if (nargs) {
            return tusage(cmd, "unexpected argument '%s'", args[0]);
        }
        gsconv_cache_entry *e;
        int n;
        if (gsconv_cache_list(cache, &e, &n) != GSCONV_OK) {
            fprintf(stderr, "gsconv: cache: %s\n", gsconv_last_error());
            return TEXIT_USAGE;
        }
        int m = 0, mine = 0;
        for (int i = 0; i < n; i++) {
            if (is_show && (strcmp(e[i].shape, canon) != 0 || e[i].layout != layout || e[i].act != act))
                continue;
            mine += e[i].this_machine;
            e[m++] = e[i];
        }
        print_entries(e, m, json);
        if (!json) printf("%d entr%s (%d of this machine)\n", m, m == 1 ? "y" : "ies", mine);
        free(e);
        return is_show && !mine ? TEXIT_CHECK : TEXIT_OK;
    }
    if (is_merge) {
        if (!out) return tusage(cmd, "merge: missing -o OUT");
        if (nargs < 1) return tusage(cmd, "merge: missing input files");
        if (gsconv_cache_merge((const char *const *)args, nargs, out) != GSCONV_OK) {
            fprintf(stderr, "gsconv: cache: %s\n", gsconv_last_error());
            return TEXIT_CHECK;
        }
        printf("merged %d file(s) into %s\n", nargs, out);
        return TEXIT_OK;
    }
    if (is_clear) {
        if (nargs) return tusage(cmd, "unexpected argument '%s'", args[0]);
        if (machine && strcmp(machine, "this") != 0)
            return tusage(cmd, "--machine takes 'this', got '%s'", machine);
        int removed = 0;
        if (gsconv_cache_clear(cache, machine != NULL, &removed) != GSCONV_OK) {
            fprintf(stderr, "gsconv: cache: %s\n", gsconv_last_error());
            return TEXIT_CHECK;
        }
        printf("removed %d entr%s%s\n", removed, removed == 1 ? "y" : "ies", machine ? " of this machine" : "");
        return TEXIT_OK;
    }
    return tusage(cmd, "unknown action '%s' (path, list, show, merge, clear)", action);
}
