/*
 * The cache file and the planner's use of it, through the public API, in a temp dir:
 * round trip, CACHE_ONLY on an empty cache, bad files of every kind (reported once,
 * ignored on read, moved aside on write), read-only file and directory, entries of
 * another machine, an unknown variant and unknown parameters (misses, never wrong
 * answers), and the cost of a plan creation on a cache hit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "gsconv.h"

static int failures, checks;

#define CHECK(cond, ...)                                                                     \
    do {                                                                                     \
        checks++;                                                                            \
        if (!(cond)) {                                                                       \
            failures++;                                                                      \
            fprintf(stdout, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);                  \
            fprintf(stdout, __VA_ARGS__);                                                    \
            fputc('\n', stdout);                                                             \
        }                                                                                    \
    } while (0)

static char dir[64];
static const char *shape = "g3mb1ic24ih10oc24oh10kh1sg3";

static void path_in(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", dir, name); }

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
}

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    size_t got = fread(b, 1, (size_t)n, f);
    b[got] = 0;
    fclose(f);
    return b;
}

/* Replace every occurrence of `from` with `to` in the file. */
static void replace_in_file(const char *path, const char *from, const char *to)
{
    char *t = read_text(path);
    if (!t) return;
    size_t out_cap = strlen(t) * 2 + strlen(to) * 16 + 1;
    char *o = malloc(out_cap), *w = o;
    for (const char *r = t; *r;) {
        if (strncmp(r, from, strlen(from)) == 0) {
            w += sprintf(w, "%s", to);
            r += strlen(from);
        } else {
            *w++ = *r++;
        }
    }
    *w = 0;
    write_text(path, o);
    free(o);
    free(t);
}

static gsconv_problem problem(void)
{
    gsconv_problem p;
    if (gsconv_problem_parse(&p, shape) != GSCONV_OK) {
        fprintf(stderr, "bad shape\n");
        exit(2);
    }
    return p;
}

/* Plan with rigor and cache path; returns status, variant name in out (if ok). */
static gsconv_status plan_with(const char *cache, gsconv_rigor rigor, char *variant, size_t vlen,
                               int *threads)
{
    gsconv_problem p = problem();
    gsconv_plan_options o;
    gsconv_plan_options_default(&o);
    o.rigor = rigor;
    o.cache_path = cache;
    o.threads = 2;
    gsconv_plan *plan = NULL;
    gsconv_status s = gsconv_plan_create(&plan, &p, &o);
    if (s == GSCONV_OK) {
        if (variant) snprintf(variant, vlen, "%s", gsconv_plan_variant(plan));
        if (threads) *threads = gsconv_plan_threads(plan);
        gsconv_plan_destroy(plan);
    }
    return s;
}

/* Tune the test shape into cache (rigor), returning the result. */
static gsconv_status tune_into(const char *cache, gsconv_rigor rigor, gsconv_tune_result *r)
{
    gsconv_problem p = problem();
    gsconv_tune_options o;
    gsconv_tune_options_default(&o);
    o.rigor = rigor;
    o.threads = 2;
    o.cache_path = cache;
    o.time_limit = 0.5;
    return gsconv_tune(&p, &o, r);
}

/* Run fn with stderr captured; returns the captured text (malloc'ed). */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
    char cap[300];
    path_in(cap, sizeof cap, "stderr.txt");
    fflush(stderr);
    int saved = dup(2);
    int fd = open(cap, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return read_text(cap);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *q = hay; (q = strstr(q, needle)); q += strlen(needle)) n++;
    return n;
}

/* Files in dir whose name starts with prefix. */
static int files_with_prefix(const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        if (strncmp(de->d_name, prefix, strlen(prefix)) == 0) n++;
    if (d) closedir(d);
    return n;
}

/* ---------------------------------------------------------------- tests */

static void test_cache_only_empty(void)
{
    char cache[300];
    path_in(cache, sizeof cache, "empty-dir/none.json");
    gsconv_status s = plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL);
    CHECK(s == GSCONV_ERR_NOT_CACHED, "status %d", s);
    CHECK(strstr(gsconv_last_error(), shape) != NULL, "message lacks the shape: %s", gsconv_last_error());
    CHECK(strstr(gsconv_last_error(), cache) != NULL, "message lacks the path: %s", gsconv_last_error());
    /* nothing created by a read */
    struct stat st;
    CHECK(stat(cache, &st) != 0, "a lookup created the file");
}

static void test_round_trip(void)
{
    char cache[300];
    path_in(cache, sizeof cache, "rt.json");
    gsconv_tune_result r;
    gsconv_status s = tune_into(cache, GSCONV_MEASURE, &r);
    CHECK(s == GSCONV_OK, "tune: %s", gsconv_last_error());
    CHECK(r.store_status == GSCONV_OK, "store failed");
    CHECK(r.best.variant[0] && r.best.threads >= 1 && r.best.threads <= 2 && r.best.ms > 0,
          "bad pick %s t%d %f", r.best.variant, r.best.threads, r.best.ms);
    gsconv_cache_entry *e = NULL;
    int n = 0;
    s = gsconv_cache_list(cache, &e, &n);
    CHECK(s == GSCONV_OK && n == 1, "list: %d entries (%s)", n, gsconv_last_error());
    if (n == 1) {
        char canon[256];
        gsconv_problem p = problem();
        gsconv_problem_format(&p, canon, sizeof canon);
        CHECK(e[0].this_machine, "entry not this machine's");
        CHECK(strcmp(e[0].shape, canon) == 0, "shape %s", e[0].shape);
        CHECK(e[0].layout == GSCONV_NCHW && e[0].act == GSCONV_ACT_NONE && e[0].thread_budget == 2,
              "key fields");
        CHECK(strcmp(e[0].pick.variant, r.best.variant) == 0, "variant %s vs %s", e[0].pick.variant,
              r.best.variant);
        CHECK(strcmp(e[0].pick.params, r.best.params) == 0, "params '%s' vs '%s'", e[0].pick.params,
              r.best.params);
        CHECK(e[0].pick.threads == r.best.threads, "threads");
        CHECK(e[0].pick.ms > 0.999 * r.best.ms && e[0].pick.ms < 1.001 * r.best.ms, "ms");
        CHECK(e[0].rigor == GSCONV_MEASURE, "rigor");
        CHECK(strlen(e[0].date) == 20, "date '%s'", e[0].date);
    }
    free(e);
    /* the plan takes it from the cache: same variant and threads */
    char v[64] = "";
    int t = 0;
    s = plan_with(cache, GSCONV_CACHE_ONLY, v, sizeof v, &t);
    CHECK(s == GSCONV_OK && strcmp(v, r.best.variant) == 0 && t == r.best.threads,
          "cache-only plan: %d %s t%d (%s)", s, v, t, gsconv_last_error());
    s = plan_with(cache, GSCONV_MEASURE, v, sizeof v, &t);
    CHECK(s == GSCONV_OK && strcmp(v, r.best.variant) == 0, "measure plan from cache: %s", v);
    /* a PATIENT plan does not accept a MEASURE entry: it tunes (and stores) again */
    s = plan_with(cache, GSCONV_PATIENT, v, sizeof v, &t);
    CHECK(s == GSCONV_OK, "patient plan: %s", gsconv_last_error());
    s = gsconv_cache_list(cache, &e, &n);
    CHECK(n == 1 && e[0].rigor == GSCONV_PATIENT, "patient entry replaced: n %d", n);
    free(e);
    /* another thread budget is another key */
    gsconv_problem p = problem();
    gsconv_plan_options o;
    gsconv_plan_options_default(&o);
    o.rigor = GSCONV_CACHE_ONLY;
    o.cache_path = cache;
    o.threads = 1;
    gsconv_plan *plan = NULL;
    s = gsconv_plan_create(&plan, &p, &o);
    CHECK(s == GSCONV_ERR_NOT_CACHED, "threads 1 must miss: %d", s);
    gsconv_plan_destroy(plan);
    /* another layout is another key */
    p.layout = GSCONV_NHWC;
    o.threads = 2;
    plan = NULL;
    s = gsconv_plan_create(&plan, &p, &o);
    CHECK(s == GSCONV_ERR_NOT_CACHED, "nhwc must miss: %d", s);
    gsconv_plan_destroy(plan);
}

typedef struct bad_case {
    const char *name;
    const char *text;
    const char *reason; /* substring of the message */
} bad_case;

static const char *g_cache;
static void three_lookups(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) plan_with(g_cache, GSCONV_CACHE_ONLY, NULL, 0, NULL);
}

static void test_bad_files(void)
{
    static const bad_case cases[] = {
        {"truncated", "{\"format\": \"gsconv-wisdom\", \"format_version\": 1, \"machines\": {\"ab", "invalid JSON"},
        {"garbage", "\x01\x02 this is not json at all \xff", "invalid JSON"},
        {"empty", "", "empty"},
        {"version", "{\"format\": \"gsconv-wisdom\", \"format_version\": 99, \"machines\": {}}", "version 99"},
        {"array", "[1, 2, 3]", "not a JSON object"},
        {"foreign", "{\"hello\": \"world\"}", "not a gsconv cache file"},
        {"structure",
         "{\"format\": \"gsconv-wisdom\", \"format_version\": 1, \"machines\": {\"x\": {\"entries\": "
         "{\"g1mb1ic8ih8oc8oh8kh1 nchw none t2\": {\"variant\": 5, \"threads\": 1, \"rigor\": \"measure\"}}}}}",
         "variant"},
        {"machines", "{\"format\": \"gsconv-wisdom\", \"format_version\": 1, \"machines\": []}", "machines"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_case *c = &cases[i];
        char cache[300], prefix[64];
        snprintf(prefix, sizeof prefix, "bad-%s.json", c->name);
        path_in(cache, sizeof cache, prefix);
        write_text(cache, c->text);
        /* read: reported once (three lookups), ignored: a miss, no crash */
        g_cache = cache;
        char *err = capture_stderr(three_lookups, NULL);
        char expect[400];
        snprintf(expect, sizeof expect, "gsconv: ignoring cache file %s: ", cache);
        CHECK(count(err, expect) == 1, "[%s] reported %d times: %s", c->name, count(err, expect), err);
        CHECK(strstr(err, c->reason) != NULL, "[%s] reason missing ('%s'): %s", c->name, c->reason, err);
        free(err);
        /* still once after the bad file changes (another bad content) */
        write_text(cache, c->text[0] == '{' ? "[\"still bad\"]" : "{\"still\": \"bad\"");
        err = capture_stderr(three_lookups, NULL);
        CHECK(count(err, expect) == 0, "[%s] reported again after a change: %s", c->name, err);
        free(err);
        write_text(cache, c->text);
        CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_ERR_NOT_CACHED, "[%s] not a miss",
              c->name);
        CHECK(plan_with(cache, GSCONV_ESTIMATE, NULL, 0, NULL) == GSCONV_OK, "[%s] estimate plan: %s", c->name,
              gsconv_last_error());
        /* write: the bad file is moved aside (not for an empty one: nothing to keep) and
         * a new one written */
        gsconv_tune_result r;
        CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK && r.store_status == GSCONV_OK,
              "[%s] store over a bad file failed: %s", c->name, gsconv_last_error());
        char aside_prefix[100];
        snprintf(aside_prefix, sizeof aside_prefix, "%s.corrupt-", prefix);
        const int aside = files_with_prefix(aside_prefix);
        CHECK(aside == (c->text[0] ? 1 : 0), "[%s] %d files moved aside", c->name, aside);
        if (aside == 1) {
            /* its content is what the user had */
            DIR *d = opendir(dir);
            struct dirent *de;
            while ((de = readdir(d)))
                if (strncmp(de->d_name, aside_prefix, strlen(aside_prefix)) == 0) {
                    char full[600];
                    snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
                    char *t = read_text(full);
                    CHECK(t && strcmp(t, c->text) == 0, "[%s] moved-aside content differs", c->name);
                    free(t);
                }
            closedir(d);
        }
        CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_OK, "[%s] rebuilt file: %s", c->name,
              gsconv_last_error());
        gsconv_cache_entry *e;
        int n;
        CHECK(gsconv_cache_list(cache, &e, &n) == GSCONV_OK && n == 1, "[%s] rebuilt: %d entries", c->name, n);
        free(e);
    }
}

static void test_read_only(void)
{
    if (geteuid() == 0) { /* root: the mode bits are honoured by gsconv, not the kernel */ }
    char cache[400], sub[300];
    path_in(sub, sizeof sub, "ro-dir");
    mkdir(sub, 0755);
    snprintf(cache, sizeof cache, "%s/w.json", sub);
    gsconv_tune_result r;
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK && r.store_status == GSCONV_OK, "first store");
    char *before = read_text(cache);
    /* read-only file */
    chmod(cache, 0444);
    gsconv_problem p = problem();
    p.layout = GSCONV_NHWC; /* a new key */
    gsconv_tune_options o;
    gsconv_tune_options_default(&o);
    o.rigor = GSCONV_ESTIMATE;
    o.threads = 2;
    o.cache_path = cache;
    char cap[300];
    path_in(cap, sizeof cap, "ro-stderr.txt");
    fflush(stderr);
    int saved = dup(2), fd = open(cap, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    close(fd);
    gsconv_status s = gsconv_tune(&p, &o, &r);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char *err = read_text(cap);
    CHECK(s == GSCONV_OK && r.store_status == GSCONV_ERR_IO, "read-only file: tune %d store %d", s,
          r.store_status);
    CHECK(err && strstr(err, "read-only") && strstr(err, cache), "read-only message: %s", err ? err : "");
    free(err);
    char *after = read_text(cache);
    CHECK(before && after && strcmp(before, after) == 0, "read-only file changed");
    free(after);
    /* plans still work, and still read it */
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_OK, "read-only file: hit");
    CHECK(plan_with(cache, GSCONV_ESTIMATE, NULL, 0, NULL) == GSCONV_OK, "read-only file: estimate");
    chmod(cache, 0644);
    /* read-only directory */
    chmod(sub, 0555);
    gsconv_status cs = gsconv_cache_clear(cache, 0, NULL);
    CHECK(cs == GSCONV_ERR_IO && strstr(gsconv_last_error(), "read-only"), "read-only dir: %d %s", cs,
          gsconv_last_error());
    after = read_text(cache);
    CHECK(before && after && strcmp(before, after) == 0, "file in read-only dir changed");
    free(after);
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_OK, "read-only dir: hit");
    chmod(sub, 0755);
    free(before);
}

static void test_misses(void)
{
    char cache[300];
    path_in(cache, sizeof cache, "miss.json");
    gsconv_tune_result r;
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK, "store");
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_OK, "hit before edits");
    gsconv_cpu_info ci;
    gsconv_cpu_probe(&ci);
    /* another machine's entry: a miss, and kept untouched by our writes */
    replace_in_file(cache, ci.machine_key, "0123456789abcdef");
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_ERR_NOT_CACHED,
          "another machine's entry was used");
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK && r.store_status == GSCONV_OK, "store 2");
    gsconv_cache_entry *e;
    int n, mine = 0, other = 0;
    CHECK(gsconv_cache_list(cache, &e, &n) == GSCONV_OK, "list");
    for (int i = 0; i < n; i++) {
        mine += e[i].this_machine;
        other += !e[i].this_machine && strcmp(e[i].machine_key, "0123456789abcdef") == 0;
    }
    free(e);
    CHECK(mine == 1 && other == 1, "mine %d other %d", mine, other);
    /* clear --machine this keeps the other machine's entry */
    int removed = -1;
    CHECK(gsconv_cache_clear(cache, 1, &removed) == GSCONV_OK && removed == 1, "clear this: %d", removed);
    CHECK(gsconv_cache_list(cache, &e, &n) == GSCONV_OK && n == 1 && !e[0].this_machine, "after clear");
    free(e);
    /* an unknown variant name or unknown parameters: a miss, not a wrong answer */
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK, "store 3");
    char quoted[80];
    snprintf(quoted, sizeof quoted, "\"%s\"", r.best.variant);
    replace_in_file(cache, quoted, "\"no_such_variant__avx512\"");
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_ERR_NOT_CACHED, "unknown variant used");
    CHECK(plan_with(cache, GSCONV_ESTIMATE, NULL, 0, NULL) == GSCONV_OK, "estimate after unknown variant");
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK, "store 4");
    /* (a variant without parameters stores "params": {}: no comma there, or the file is
     * no longer JSON; the ref row under GSCONV_MAX_ISA=scalar is one) */
    char *text = read_text(cache);
    const bool empty_params = text && strstr(text, "\"params\": {}") != NULL;
    free(text);
    if (empty_params)
        replace_in_file(cache, "\"params\": {}", "\"params\": {\"no_such_param\": 7}");
    else
        replace_in_file(cache, "\"params\": {", "\"params\": {\"no_such_param\": 7, ");
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_ERR_NOT_CACHED, "unknown param used");
    /* a thread count above the plan's budget: a miss */
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK, "store 5");
    snprintf(quoted, sizeof quoted, "\"threads\": %d", r.best.threads);
    replace_in_file(cache, quoted, "\"threads\": 64");
    CHECK(plan_with(cache, GSCONV_CACHE_ONLY, NULL, 0, NULL) == GSCONV_ERR_NOT_CACHED, "threads 64 used");
    /* clear all */
    CHECK(gsconv_cache_clear(cache, 0, &removed) == GSCONV_OK && removed == 2, "clear all: %d", removed);
    CHECK(gsconv_cache_list(cache, &e, &n) == GSCONV_OK && n == 0, "after clear all: %d", n);
    free(e);
}

static void test_merge(void)
{
    char a[300], b[300], out[300];
    path_in(a, sizeof a, "m-a.json");
    path_in(b, sizeof b, "m-b.json");
    path_in(out, sizeof out, "m-out.json");
    gsconv_tune_result r;
    CHECK(tune_into(a, GSCONV_ESTIMATE, &r) == GSCONV_OK, "a");
    CHECK(tune_into(b, GSCONV_MEASURE, &r) == GSCONV_OK, "b");
    gsconv_cpu_info ci;
    gsconv_cpu_probe(&ci);
    replace_in_file(a, ci.machine_key, "fedcba9876543210"); /* a is another machine's */
    const char *in[] = {a, b};
    CHECK(gsconv_cache_merge(in, 2, out) == GSCONV_OK, "merge: %s", gsconv_last_error());
    gsconv_cache_entry *e;
    int n;
    CHECK(gsconv_cache_list(out, &e, &n) == GSCONV_OK && n == 2, "merged: %d", n);
    free(e);
    /* same key twice: the higher rigor wins */
    const char *in2[] = {b, a, out};
    char out2[300];
    path_in(out2, sizeof out2, "m-out2.json");
    CHECK(tune_into(out2, GSCONV_ESTIMATE, &r) == GSCONV_OK, "out2");
    CHECK(gsconv_cache_merge(in2, 3, out2) == GSCONV_OK, "merge 2");
    CHECK(gsconv_cache_list(out2, &e, &n) == GSCONV_OK && n == 2, "merged 2: %d", n);
    for (int i = 0; i < n; i++)
        if (e[i].this_machine) CHECK(e[i].rigor == GSCONV_MEASURE, "estimate beat measure");
    free(e);
    /* a bad input is an error, and the output is untouched */
    char bad[300];
    path_in(bad, sizeof bad, "m-bad.json");
    write_text(bad, "{oops");
    char *before = read_text(out);
    const char *in3[] = {a, bad};
    CHECK(gsconv_cache_merge(in3, 2, out) == GSCONV_ERR_IO, "bad input accepted");
    char *after = read_text(out);
    CHECK(before && after && strcmp(before, after) == 0, "output changed on a failed merge");
    free(before);
    free(after);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void test_hit_cost(void)
{
    char cache[300];
    path_in(cache, sizeof cache, "speed.json");
    gsconv_tune_result r;
    CHECK(tune_into(cache, GSCONV_ESTIMATE, &r) == GSCONV_OK, "store");
    /* fill the file with other shapes so that parsing it would cost something */
    for (int i = 0; i < 200; i++) {
        gsconv_problem p;
        char d[64];
        snprintf(d, sizeof d, "g1mb1ic%dih8oc8oh8kh1", 8 + i);
        gsconv_problem_parse(&p, d);
        gsconv_tune_options o;
        gsconv_tune_options_default(&o);
        o.rigor = GSCONV_ESTIMATE;
        o.threads = 2;
        o.cache_path = cache;
        gsconv_tune(&p, &o, &r);
    }
    gsconv_problem p = problem();
    gsconv_plan_options o;
    gsconv_plan_options_default(&o);
    o.rigor = GSCONV_CACHE_ONLY;
    o.cache_path = cache;
    o.threads = 2;
    const int iters = 2000;
    double best = 1e9;
    for (int rep = 0; rep < 5; rep++) {
        const double t0 = now_s();
        for (int i = 0; i < iters; i++) {
            gsconv_plan *plan = NULL;
            if (gsconv_plan_create(&plan, &p, &o) != GSCONV_OK) {
                CHECK(0, "hit failed: %s", gsconv_last_error());
                return;
            }
            gsconv_plan_destroy(plan);
        }
        const double us = (now_s() - t0) / iters * 1e6;
        if (us < best) best = us;
    }
    printf("plan creation on a cache hit (201-entry file): %.2f us\n", best);
    /* 50 us is the target; the bound here is loose for sanitizer builds, yet far below
     * the cost of parsing this file on every plan (~1 ms) */
    CHECK(best < 200, "plan creation on a hit took %.1f us", best);
}

/* The accuracy constraint (no_winograd, max_rel_error, their environment variables):
 * a cached Winograd pick is a miss for a plan that excludes it, such a plan's own
 * tuning does not replace the entry, and bad values are errors. */
static bool is_wino(const char *v) { return v && strncmp(v, "wino_", 5) == 0; }

static gsconv_status accuracy_plan(const char *cache, gsconv_rigor rigor, int no_wino, double max_rel,
                                   char *variant, size_t len)
{
    gsconv_problem p;
    if (gsconv_problem_parse(&p, "g1mb1ic32ih20oc32oh20kh3ph1") != GSCONV_OK) return GSCONV_ERR_INTERNAL;
    p.layout = GSCONV_NHWC;
    gsconv_plan_options o;
    gsconv_plan_options_default(&o);
    o.threads = 1;
    o.rigor = rigor;
    o.cache_path = cache;
    o.no_winograd = no_wino;
    o.max_rel_error = max_rel;
    gsconv_plan *plan = NULL;
    gsconv_status s = gsconv_plan_create(&plan, &p, &o);
    if (s == GSCONV_OK) {
        snprintf(variant, len, "%s", gsconv_plan_variant(plan));
        gsconv_plan_destroy(plan);
    }
    return s;
}

static void test_accuracy(void)
{
    char cache[300], v[64], v0[64];
    path_in(cache, sizeof cache, "accuracy.json");
    gsconv_problem p;
    gsconv_problem_parse(&p, "g1mb1ic32ih20oc32oh20kh3ph1");
    p.layout = GSCONV_NHWC;
    gsconv_tune_options to;
    gsconv_tune_options_default(&to);
    to.rigor = GSCONV_ESTIMATE;
    to.threads = 1;
    to.cache_path = cache;
    gsconv_tune_result r;
    CHECK(gsconv_tune(&p, &to, &r) == GSCONV_OK, "tune: %s", gsconv_last_error());
    snprintf(v0, sizeof v0, "%s", r.best.variant);
    if (!is_wino(v0)) {
        printf("skipped (no Winograd variant here: the cost model picks %s): accuracy constraint\n", v0);
        return;
    }
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 0, v, sizeof v) == GSCONV_OK && strcmp(v, v0) == 0,
          "the cached pick %s is not used (%s)", v0, v);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 1, 0, v, sizeof v) == GSCONV_OK && !is_wino(v),
          "no_winograd plan got %s", v);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 1e-6, v, sizeof v) == GSCONV_OK && !is_wino(v),
          "max_rel_error 1e-6 plan got %s (F2's bound is above 1e-6)", v);
    /* F2's expected error at c/g = 32 is (60 + 7.12 sqrt(32)) 2^-24 = 6e-6: allowed by
     * 1e-5, while F4 (4e-5) and F6 (5e-4) are not */
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 1e-5, v, sizeof v) == GSCONV_OK &&
              (!is_wino(v) || strncmp(v, "wino_f2k3", 9) == 0),
          "max_rel_error 1e-5 plan got %s", v);
    /* a MEASURE plan under a constraint tunes now but leaves the default entry alone */
    CHECK(accuracy_plan(cache, GSCONV_MEASURE, 1, 0, v, sizeof v) == GSCONV_OK && !is_wino(v),
          "no_winograd MEASURE plan got %s", v);
    gsconv_cache_entry *e = NULL;
    int n = 0;
    CHECK(gsconv_cache_list(cache, &e, &n) == GSCONV_OK && n == 1 && strcmp(e[0].pick.variant, v0) == 0,
          "the constrained tuning replaced the entry (%d entries, %s)", n, n ? e[0].pick.variant : "-");
    free(e);
    setenv("GSCONV_NO_WINOGRAD", "1", 1);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 0, v, sizeof v) == GSCONV_OK && !is_wino(v),
          "GSCONV_NO_WINOGRAD=1 plan got %s", v);
    setenv("GSCONV_NO_WINOGRAD", "0", 1);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 0, v, sizeof v) == GSCONV_OK && is_wino(v),
          "GSCONV_NO_WINOGRAD=0 plan got %s", v);
    unsetenv("GSCONV_NO_WINOGRAD");
    setenv("GSCONV_MAX_REL_ERROR", "1e-6", 1);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 0, v, sizeof v) == GSCONV_OK && !is_wino(v),
          "GSCONV_MAX_REL_ERROR=1e-6 plan got %s", v);
    setenv("GSCONV_MAX_REL_ERROR", "lots", 1);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 0, v, sizeof v) == GSCONV_ERR_INVALID_ARGUMENT &&
              strstr(gsconv_last_error(), "GSCONV_MAX_REL_ERROR") != NULL,
          "a bad GSCONV_MAX_REL_ERROR: %s", gsconv_last_error());
    unsetenv("GSCONV_MAX_REL_ERROR");
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, -1, v, sizeof v) == GSCONV_ERR_INVALID_ARGUMENT,
          "max_rel_error -1 accepted");
    /* the option wins over the environment; forcing a variant ignores both */
    setenv("GSCONV_MAX_REL_ERROR", "1e-9", 1);
    CHECK(accuracy_plan(cache, GSCONV_ESTIMATE, 0, 1e-3, v, sizeof v) == GSCONV_OK && is_wino(v),
          "max_rel_error 1e-3 over GSCONV_MAX_REL_ERROR=1e-9 got %s", v);
    unsetenv("GSCONV_MAX_REL_ERROR");
}

/* The measured peaks round-trip through the file, the 256-bit peak with them; a file
 * written before that field existed reads as "256-bit vectors as fast as the peak". */
static void test_peaks(void)
{
    char cache[300], old[300];
    path_in(cache, sizeof cache, "peaks.json");
    path_in(old, sizeof old, "peaks-old.json");
    gsconv_cpu_info ci;
    gsconv_status s = gsconv_cpu_measure_peak(&ci, cache, 1);
    CHECK(s == GSCONV_OK, "measure peak: %d", s);
    CHECK(ci.peak_gflops > 0 && ci.peak_gflops_256 > 0 && ci.peak_gflops_256 <= ci.peak_gflops,
          "peaks %g / %g", ci.peak_gflops, ci.peak_gflops_256);
    char *text = read_text(cache);
    CHECK(text && strstr(text, "\"fma_gflops_per_core_256\"") != NULL, "no 256-bit peak stored");
    free(text);
    char json[2048];
    snprintf(json, sizeof json,
             "{\"format\": \"gsconv-wisdom\", \"format_version\": 1, \"machines\": {\"%s\": "
             "{\"fingerprint\": \"%s\", \"entries\": {}, \"peak\": {\"fma_gflops_per_core\": 50.5, "
             "\"copy_gbs\": 5, \"copy_gbs_l2\": 40, \"copy_gbs_l3\": 20, \"isa\": \"avx2\"}}}}\n",
             ci.machine_key, ci.fingerprint);
    write_text(old, json);
    gsconv_cpu_info c2;
    s = gsconv_cpu_measure_peak(&c2, old, 0);
    CHECK(s == GSCONV_OK && c2.peak_gflops == 50.5 && c2.peak_gflops_256 == 50.5,
          "old file: status %d, peaks %g / %g", s, c2.peak_gflops, c2.peak_gflops_256);
}

/* A MEASURE tuning adds one calibration observation per (variant, thread count) it timed:
 * its best configuration's, not one per configuration (docs/tuner.md, "calibration"). */
static void test_calibration(void)
{
    char cache[300];
    path_in(cache, sizeof cache, "cal.json");
    gsconv_tune_result r;
    gsconv_status s = tune_into(cache, GSCONV_MEASURE, &r);
    CHECK(s == GSCONV_OK && r.store_status == GSCONV_OK, "tune: %s", gsconv_last_error());
    json_error_t err;
    json_t *root = json_load_file(cache, 0, &err);
    CHECK(root != NULL, "cache not JSON: %s", err.text);
    json_t *machines = json_object_get(root, "machines");
    int keys = 0;
    const char *mk, *ck;
    json_t *m, *o;
    json_object_foreach(machines, mk, m) {
        json_t *cal = json_object_get(m, "calibration");
        json_object_foreach(cal, ck, o) {
            const double n = json_number_value(json_object_get(o, "n"));
            keys++;
            CHECK(n == 1.0, "calibration %s: %g observations from one tuning (one expected)", ck, n);
        }
    }
    CHECK(keys > 0, "no calibration stored (%d timed)", r.timed);
    json_decref(root);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/gsconv-test-cache-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    /* never touch the user's cache: everything explicit, the default pointed at dir */
    char def[300];
    path_in(def, sizeof def, "default.json");
    setenv("GSCONV_CACHE", def, 1);
    unsetenv("GSCONV_VERBOSE");

    test_cache_only_empty();
    test_round_trip();
    test_bad_files();
    test_read_only();
    test_misses();
    test_merge();
    test_hit_cost();
    test_accuracy();
    test_peaks();
    test_calibration();

    if (!failures) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    } else {
        printf("files kept in %s\n", dir);
    }
    printf("%s: %d checks, %d failures\n", failures ? "FAIL" : "PASS", checks, failures);
    return failures ? 1 : 0;
}
