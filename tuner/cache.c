/*
 * The cache file ("wisdom"): JSON through jansson. Format, locking and failure handling
 * are described in docs/tuner.md; in short:
 *
 *   { "format": "gsconv-wisdom", "format_version": 1, "library_version": "0.1.0",
 *     "config_signature": "fnv1a64:...",
 *     "machines": { "<machine key>": { "fingerprint": "...", "brand": "...",
 *                                      "peak": {...},
 *                                      "entries": { "<shape> <layout> <act> t<N>": {...} } } } }
 *
 * Reads parse a file at most once per (path, inode, size, mtime) per process and keep an
 * index of this machine's entries, so a plan's lookup is a stat() and a hash probe.
 * Writes lock <file>.lock (flock), re-read, merge, write <file>.tmp-<pid>-XXXXXX in the
 * same directory, fsync, rename, fsync the directory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tuner.h"

#define FORMAT_NAME "gsconv-wisdom"
#define FORMAT_VERSION 1

/* ---------------------------------------------------------------- paths */

bool gsconv_cache_resolve(const char *explicit_path, char *buf, size_t len)
{
    if (explicit_path && *explicit_path) return (size_t)snprintf(buf, len, "%s", explicit_path) < len;
    const char *env = getenv("GSCONV_CACHE");
    if (env && *env) return (size_t)snprintf(buf, len, "%s", env) < len;
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && *xdg == '/') return (size_t)snprintf(buf, len, "%s/gsconv/wisdom.json", xdg) < len;
    const char *home = getenv("HOME");
    if (home && *home) return (size_t)snprintf(buf, len, "%s/.cache/gsconv/wisdom.json", home) < len;
    return false;
}

int gsconv_cache_path(const char *explicit_path, char *buf, size_t len)
{
    char tmp[4096];
    if (!gsconv_cache_resolve(explicit_path, tmp, sizeof tmp)) {
        if (buf && len) buf[0] = 0;
        return -1;
    }
    return snprintf(buf, len, "%s", tmp);
}

void gsconv_cache_key(const gsconv_problem *p, int thread_budget, char *buf, size_t len)
{
    char desc[256];
    gsconv_problem_format(p, desc, sizeof desc);
    snprintf(buf, len, "%s %s %s t%d", desc, gsconv_layout_name(p->layout),
             gsconv_activation_name(p->act), thread_budget);
}

static void iso_date(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------------------------------------------------------- rigor names */

const char *gsconv_rigor_name(gsconv_rigor r)
{
    switch (r) {
    case GSCONV_ESTIMATE: return "estimate";
    case GSCONV_MEASURE: return "measure";
    case GSCONV_PATIENT: return "patient";
    case GSCONV_CACHE_ONLY: return "cache-only";
    }
    return "?";
}

gsconv_status gsconv_rigor_parse(const char *s, gsconv_rigor *out)
{
    static const gsconv_rigor all[] = {GSCONV_ESTIMATE, GSCONV_MEASURE, GSCONV_PATIENT,
                                       GSCONV_CACHE_ONLY};
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcmp(s, gsconv_rigor_name(all[i])) == 0) {
            *out = all[i];
            return GSCONV_OK;
        }
    return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT,
                            "unknown rigor '%s' (estimate, measure, patient, cache-only)", s ? s : "(null)");
}

/* ---------------------------------------------------------------- reading and checking */

typedef enum { LOAD_OK, LOAD_MISSING, LOAD_EMPTY, LOAD_BAD, LOAD_UNREADABLE } load_kind;

static bool entry_from_json(const char *machine, const char *key, json_t *o, gsconv_cache_entry *e,
                            char *why, size_t wl)
{
    memset(e, 0, sizeof *e);
    snprintf(e->machine_key, sizeof e->machine_key, "%s", machine);
    char shape[256], lay[16], act[16];
    int budget = 0;
    char extra;
    if (sscanf(key, "%255s %15s %15s t%d %c", shape, lay, act, &budget, &extra) != 4 || budget < 1) {
        snprintf(why, wl, "entry key '%s' is not '<shape> <layout> <activation> t<threads>'", key);
        return false;
    }
    gsconv_problem p;
    if (gsconv_problem_parse(&p, shape) != GSCONV_OK) {
        gsconv_clear_error();
        snprintf(why, wl, "entry key '%s': bad shape", key);
        return false;
    }
    snprintf(e->shape, sizeof e->shape, "%s", shape);
    if (strcmp(lay, "nchw") == 0) e->layout = GSCONV_NCHW;
    else if (strcmp(lay, "nhwc") == 0) e->layout = GSCONV_NHWC;
    else {
        snprintf(why, wl, "entry key '%s': layout '%s'", key, lay);
        return false;
    }
    if (strcmp(act, "none") == 0) e->act = GSCONV_ACT_NONE;
    else if (strcmp(act, "relu") == 0) e->act = GSCONV_ACT_RELU;
    else {
        snprintf(why, wl, "entry key '%s': activation '%s'", key, act);
        return false;
    }
    e->thread_budget = budget;
    if (!json_is_object(o)) {
        snprintf(why, wl, "entry '%s' is not an object", key);
        return false;
    }
    json_t *variant = json_object_get(o, "variant"), *threads = json_object_get(o, "threads");
    json_t *params = json_object_get(o, "params"), *ms = json_object_get(o, "median_ms");
    json_t *gf = json_object_get(o, "gflops"), *rigor = json_object_get(o, "rigor");
    json_t *date = json_object_get(o, "date"), *bind = json_object_get(o, "binding");
    if (!json_is_string(variant) || json_string_length(variant) >= sizeof e->pick.variant) {
        snprintf(why, wl, "entry '%s': \"variant\" is not a string", key);
        return false;
    }
    if (!json_is_integer(threads) || json_integer_value(threads) < 1 ||
        json_integer_value(threads) > 4096) {
        snprintf(why, wl, "entry '%s': \"threads\" is not an integer in 1..4096", key);
        return false;
    }
    if (params && !json_is_object(params)) {
        snprintf(why, wl, "entry '%s': \"params\" is not an object", key);
        return false;
    }
    if ((ms && !json_is_number(ms)) || (gf && !json_is_number(gf))) {
        snprintf(why, wl, "entry '%s': \"median_ms\"/\"gflops\" is not a number", key);
        return false;
    }
    if (!json_is_string(rigor) || gsconv_rigor_parse(json_string_value(rigor), &e->rigor) != GSCONV_OK ||
        e->rigor == GSCONV_CACHE_ONLY) {
        gsconv_clear_error();
        snprintf(why, wl, "entry '%s': \"rigor\" is not estimate/measure/patient", key);
        return false;
    }
    snprintf(e->pick.variant, sizeof e->pick.variant, "%s", json_string_value(variant));
    e->pick.threads = (int)json_integer_value(threads);
    e->pick.ms = ms ? json_number_value(ms) : 0;
    e->pick.gflops = gf ? json_number_value(gf) : 0;
    if (json_is_string(date)) snprintf(e->date, sizeof e->date, "%s", json_string_value(date));
    if (json_is_string(bind)) snprintf(e->binding, sizeof e->binding, "%s", json_string_value(bind));
    const char *pn;
    json_t *pv;
    json_object_foreach(params, pn, pv)
    {
        if (!json_is_integer(pv)) {
            snprintf(why, wl, "entry '%s': parameter \"%s\" is not an integer", key, pn);
            return false;
        }
    }
    /* "name=value,..." in the order the variant declares its parameters (the file's key
     * order is the writer's, e.g. sorted), with param_values by declared position; names
     * the variant does not declare follow (a plan then treats the entry as a miss) */
    const int vi = gsconv_variant_find(e->pick.variant);
    const gsconv_param_desc *decl = vi >= 0 ? gsconv_registry[vi].ops->params : NULL;
    size_t off = 0;
    int pi = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0 && !decl) continue;
        for (int i = 0; pass == 0 && i < GSCONV_MAX_PARAMS; i++) {
            if (decl[i].nvalues <= 0 || !(pv = json_object_get(params, decl[i].name))) continue;
            e->pick.param_values[i] = (int)json_integer_value(pv);
            if (off < sizeof e->pick.params)
                off += (size_t)snprintf(e->pick.params + off, sizeof e->pick.params - off, "%s%s=%lld",
                                        off ? "," : "", decl[i].name, (long long)json_integer_value(pv));
        }
        if (pass == 0) continue;
        json_object_foreach(params, pn, pv)
        {
            bool declared = false;
            for (int i = 0; decl && i < GSCONV_MAX_PARAMS; i++)
                if (decl[i].nvalues > 0 && strcmp(decl[i].name, pn) == 0) declared = true;
            if (declared) continue;
            if (!decl && pi < GSCONV_MAX_PARAMS) e->pick.param_values[pi] = (int)json_integer_value(pv);
            pi++;
            if (off < sizeof e->pick.params)
                off += (size_t)snprintf(e->pick.params + off, sizeof e->pick.params - off, "%s%s=%lld",
                                        off ? "," : "", pn, (long long)json_integer_value(pv));
        }
    }
    return true;
}

/* Structure check of a parsed root; reason in why. */
static bool check_root(json_t *root, char *why, size_t wl)
{
    if (!json_is_object(root)) {
        snprintf(why, wl, "top level is not a JSON object");
        return false;
    }
    json_t *fmt = json_object_get(root, "format");
    if (!json_is_string(fmt) || strcmp(json_string_value(fmt), FORMAT_NAME) != 0) {
        snprintf(why, wl, "not a gsconv cache file (\"format\" is not \"%s\")", FORMAT_NAME);
        return false;
    }
    json_t *ver = json_object_get(root, "format_version");
    if (!json_is_integer(ver)) {
        snprintf(why, wl, "\"format_version\" missing or not an integer");
        return false;
    }
    if (json_integer_value(ver) != FORMAT_VERSION) {
        snprintf(why, wl, "format version %lld, this gsconv reads version %d",
                 (long long)json_integer_value(ver), FORMAT_VERSION);
        return false;
    }
    json_t *machines = json_object_get(root, "machines");
    if (!json_is_object(machines)) {
        snprintf(why, wl, "\"machines\" missing or not an object");
        return false;
    }
    const char *mk;
    json_t *m;
    json_object_foreach(machines, mk, m)
    {
        if (!json_is_object(m)) {
            snprintf(why, wl, "machine '%s' is not an object", mk);
            return false;
        }
        json_t *entries = json_object_get(m, "entries");
        if (entries && !json_is_object(entries)) {
            snprintf(why, wl, "machine '%s': \"entries\" is not an object", mk);
            return false;
        }
        json_t *cal = json_object_get(m, "calibration");
        if (cal && !json_is_object(cal)) {
            snprintf(why, wl, "machine '%s': \"calibration\" is not an object", mk);
            return false;
        }
        json_t *peak = json_object_get(m, "peak");
        if (peak && !json_is_object(peak)) {
            snprintf(why, wl, "machine '%s': \"peak\" is not an object", mk);
            return false;
        }
        const char *ek;
        json_t *ev;
        json_object_foreach(entries, ek, ev)
        {
            gsconv_cache_entry e;
            char w2[300];
            if (!entry_from_json(mk, ek, ev, &e, w2, sizeof w2)) {
                snprintf(why, wl, "machine '%s': %s", mk, w2);
                return false;
            }
        }
    }
    return true;
}

/* Load and check a cache file. On LOAD_OK returns the root (caller decrefs). */
static json_t *load_file(const char *path, load_kind *kind, char *why, size_t wl, struct stat *stp)
{
    *kind = LOAD_BAD;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            *kind = LOAD_MISSING;
            return NULL;
        }
        snprintf(why, wl, "cannot open: %s", strerror(errno));
        *kind = LOAD_UNREADABLE;
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(why, wl, "not a regular file");
        close(fd);
        *kind = LOAD_UNREADABLE;
        return NULL;
    }
    if (stp) *stp = st;
    if (st.st_size == 0) {
        close(fd);
        snprintf(why, wl, "empty file");
        *kind = LOAD_EMPTY;
        return NULL;
    }
    if (st.st_size > (off_t)1 << 30) {
        close(fd);
        snprintf(why, wl, "larger than 1 GiB");
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size);
    if (!buf) {
        close(fd);
        snprintf(why, wl, "out of memory");
        *kind = LOAD_UNREADABLE;
        return NULL;
    }
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    json_error_t jerr;
    json_t *root = json_loadb(buf, got, JSON_REJECT_DUPLICATES, &jerr);
    free(buf);
    if (!root) {
        snprintf(why, wl, "invalid JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!check_root(root, why, wl)) {
        json_decref(root);
        return NULL;
    }
    *kind = LOAD_OK;
    return root;
}

/* "gsconv: ignoring cache file X: reason", once per path per process. */
static pthread_mutex_t report_mu = PTHREAD_MUTEX_INITIALIZER;
typedef struct reported {
    char *path;
    struct reported *next;
} reported;
static reported *reported_list;

static void report_bad(const char *path, const char *why)
{
    pthread_mutex_lock(&report_mu);
    for (reported *r = reported_list; r; r = r->next)
        if (strcmp(r->path, path) == 0) {
            pthread_mutex_unlock(&report_mu);
            return;
        }
    reported *r = malloc(sizeof *r);
    if (r && (r->path = strdup(path))) {
        r->next = reported_list;
        reported_list = r;
    } else {
        free(r);
    }
    fprintf(stderr, "gsconv: ignoring cache file %s: %s\n", path, why);
    pthread_mutex_unlock(&report_mu);
}

/* ---------------------------------------------------------------- the in-memory index */

typedef struct slot {
    char *key; /* NULL: empty */
    gsconv_cache_entry e;
} slot;

typedef struct findex {
    char *path;
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    slot *tab;
    size_t cap, n;
    bool have_peak;
    double peak[5]; /* gflops, copy, l2, l3, gflops with 256-bit vectors (0: not stored) */
    int ncal;
    char (*cal_key)[96];
    double *cal_factor;
    struct findex *next;
} findex;

static pthread_mutex_t idx_mu = PTHREAD_MUTEX_INITIALIZER;
static findex *indexes;

static uint64_t hkey(const char *k) { return gsconv_fnv1a64(k, strlen(k), GSCONV_FNV_OFFSET); }

static void idx_clear(findex *x)
{
    for (size_t i = 0; i < x->cap; i++) free(x->tab[i].key);
    free(x->tab);
    x->tab = NULL;
    x->cap = x->n = 0;
    x->have_peak = false;
    free(x->cal_key);
    free(x->cal_factor);
    x->cal_key = NULL;
    x->cal_factor = NULL;
    x->ncal = 0;
}

static void idx_put(findex *x, const char *key, const gsconv_cache_entry *e)
{
    if ((x->n + 1) * 2 > x->cap) {
        size_t ncap = x->cap ? x->cap * 2 : 64;
        slot *nt = calloc(ncap, sizeof *nt);
        if (!nt) return;
        for (size_t i = 0; i < x->cap; i++) {
            if (!x->tab[i].key) continue;
            size_t j = hkey(x->tab[i].key) & (ncap - 1);
            while (nt[j].key) j = (j + 1) & (ncap - 1);
            nt[j] = x->tab[i];
        }
        free(x->tab);
        x->tab = nt;
        x->cap = ncap;
    }
    size_t j = hkey(key) & (x->cap - 1);
    while (x->tab[j].key && strcmp(x->tab[j].key, key) != 0) j = (j + 1) & (x->cap - 1);
    if (!x->tab[j].key) {
        if (!(x->tab[j].key = strdup(key))) return;
        x->n++;
    }
    x->tab[j].e = *e;
}

static const gsconv_cache_entry *idx_get(const findex *x, const char *key)
{
    if (!x->cap) return NULL;
    size_t j = hkey(key) & (x->cap - 1);
    while (x->tab[j].key) {
        if (strcmp(x->tab[j].key, key) == 0) return &x->tab[j].e;
        j = (j + 1) & (x->cap - 1);
    }
    return NULL;
}

static double num(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_number(v) ? json_number_value(v) : 0;
}

/* The up-to-date index of path (idx_mu held). */
static findex *idx_fresh(const char *path)
{
    findex *x = indexes;
    while (x && strcmp(x->path, path) != 0) x = x->next;
    if (!x) {
        x = calloc(1, sizeof *x);
        if (!x || !(x->path = strdup(path))) {
            free(x);
            return NULL;
        }
        x->next = indexes;
        indexes = x;
        x->exists = true; /* force a first load */
        x->ino = (ino_t)-1;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        if (x->exists) idx_clear(x);
        x->exists = false;
        return x;
    }
    if (x->exists && x->dev == st.st_dev && x->ino == st.st_ino && x->size == st.st_size &&
        x->mtime.tv_sec == st.st_mtim.tv_sec && x->mtime.tv_nsec == st.st_mtim.tv_nsec)
        return x;
    idx_clear(x);
    x->exists = true;
    x->dev = st.st_dev;
    x->ino = st.st_ino;
    x->size = st.st_size;
    x->mtime = st.st_mtim;
    load_kind kind;
    char why[512];
    struct stat lst;
    json_t *root = load_file(path, &kind, why, sizeof why, &lst);
    if (kind == LOAD_MISSING) {
        x->exists = false;
        return x;
    }
    if (!root) {
        report_bad(path, why);
        return x;
    }
    /* Keep the identity of what was actually read (it may have been replaced since). */
    x->dev = lst.st_dev;
    x->ino = lst.st_ino;
    x->size = lst.st_size;
    x->mtime = lst.st_mtim;
    const char *mine = gsconv_cpu_static()->machine_key;
    json_t *m = json_object_get(json_object_get(root, "machines"), mine);
    if (m) {
        const char *ek;
        json_t *ev;
        json_object_foreach(json_object_get(m, "entries"), ek, ev)
        {
            gsconv_cache_entry e;
            char w2[300];
            if (entry_from_json(mine, ek, ev, &e, w2, sizeof w2)) {
                e.this_machine = 1;
                idx_put(x, ek, &e);
            }
        }
        json_t *cal = json_object_get(m, "calibration");
        const size_t nc = json_object_size(cal);
        if (nc) {
            x->cal_key = calloc(nc, sizeof *x->cal_key);
            x->cal_factor = calloc(nc, sizeof *x->cal_factor);
            const char *ck;
            json_t *cv;
            if (x->cal_key && x->cal_factor) json_object_foreach(cal, ck, cv)
                {
                    const double n = num(cv, "n"), sl = num(cv, "sum_log");
                    if (n <= 0 || strlen(ck) >= sizeof x->cal_key[0]) continue;
                    snprintf(x->cal_key[x->ncal], sizeof x->cal_key[0], "%s", ck);
                    /* shrunk towards 1 while there are few observations */
                    x->cal_factor[x->ncal++] = exp(sl / (n + 1));
                }
        }
        json_t *pk = json_object_get(m, "peak");
        if (pk && num(pk, "fma_gflops_per_core") > 0) {
            x->have_peak = true;
            x->peak[0] = num(pk, "fma_gflops_per_core");
            x->peak[1] = num(pk, "copy_gbs");
            x->peak[2] = num(pk, "copy_gbs_l2");
            x->peak[3] = num(pk, "copy_gbs_l3");
            x->peak[4] = num(pk, "fma_gflops_per_core_256");
        }
    }
    json_decref(root);
    return x;
}

gsconv_status gsconv_cache_lookup(const char *path, const gsconv_problem *p, int thread_budget,
                                  gsconv_cache_entry *out, bool *found)
{
    *found = false;
    char key[320];
    gsconv_cache_key(p, thread_budget, key, sizeof key);
    pthread_mutex_lock(&idx_mu);
    findex *x = idx_fresh(path);
    const gsconv_cache_entry *e = x ? idx_get(x, key) : NULL;
    if (e) {
        *out = *e;
        *found = true;
    }
    pthread_mutex_unlock(&idx_mu);
    return GSCONV_OK;
}

bool gsconv_cache_calibration(const char *path, const char *key, double *factor)
{
    bool found = false;
    *factor = 1.0;
    if (!path) return false;
    pthread_mutex_lock(&idx_mu);
    findex *x = idx_fresh(path);
    for (int i = 0; x && i < x->ncal; i++)
        if (strcmp(x->cal_key[i], key) == 0) {
            *factor = x->cal_factor[i];
            found = true;
            break;
        }
    pthread_mutex_unlock(&idx_mu);
    return found;
}

void gsconv_cache_calibrations(const char *path, const char (*keys)[96], int n, double *factor,
                               bool *found)
{
    for (int k = 0; k < n; k++) factor[k] = 1.0, found[k] = false;
    if (!path) return;
    pthread_mutex_lock(&idx_mu);
    findex *x = idx_fresh(path);
    for (int k = 0; x && k < n; k++)
        for (int i = 0; i < x->ncal; i++)
            if (strcmp(x->cal_key[i], keys[k]) == 0) {
                factor[k] = x->cal_factor[i];
                found[k] = true;
                break;
            }
    pthread_mutex_unlock(&idx_mu);
}

bool gsconv_cache_get_peak(const char *path, gsconv_cpu_info *ci)
{
    bool ok = false;
    pthread_mutex_lock(&idx_mu);
    findex *x = idx_fresh(path);
    if (x && x->have_peak) {
        ci->peak_gflops = x->peak[0];
        ci->copy_gbs = x->peak[1];
        ci->copy_gbs_l2 = x->peak[2];
        ci->copy_gbs_l3 = x->peak[3];
        ci->peak_gflops_256 = x->peak[4] > 0 ? x->peak[4] : x->peak[0];
        ok = true;
    }
    pthread_mutex_unlock(&idx_mu);
    return ok;
}

/* ---------------------------------------------------------------- writing */

static json_t *new_root(void)
{
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string(FORMAT_NAME));
    json_object_set_new(root, "format_version", json_integer(FORMAT_VERSION));
    json_object_set_new(root, "machines", json_object());
    return root;
}

/* This machine's object in root (created, fingerprint refreshed). */
static json_t *my_machine(json_t *root)
{
    const gsconv_cpu_info *ci = gsconv_cpu_static();
    json_t *machines = json_object_get(root, "machines");
    json_t *m = json_object_get(machines, ci->machine_key);
    if (!m) {
        m = json_object();
        json_object_set_new(machines, ci->machine_key, m);
    }
    json_object_set_new(m, "fingerprint", json_string(ci->fingerprint));
    json_object_set_new(m, "brand", json_string(ci->brand));
    if (!json_object_get(m, "entries")) json_object_set_new(m, "entries", json_object());
    return m;
}

static bool dir_of(const char *path, char *dir, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return (size_t)snprintf(dir, len, ".") < len;
    if (slash == path) return (size_t)snprintf(dir, len, "/") < len;
    return (size_t)snprintf(dir, len, "%.*s", (int)(slash - path), path) < len;
}

static int mkdir_p(const char *dir)
{
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s", dir) >= sizeof tmp) return -1;
    for (char *q = tmp + 1; *q; q++) {
        if (*q != '/') continue;
        *q = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
        *q = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* Writable by someone, honoured even for root (a chmod a-w is a clear request). */
static bool writable(const char *p, const struct stat *st)
{
    return (st->st_mode & 0222) && access(p, W_OK) == 0;
}

static gsconv_status write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return GSCONV_ERR_IO;
        s += w;
        n -= (size_t)w;
    }
    return GSCONV_OK;
}

/* Remove temp files left by writers that died (we hold the lock: none is live). */
static void remove_stale_temps(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d) return;
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s.tmp-", base);
    const size_t pl = strlen(prefix);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strncmp(de->d_name, prefix, pl) != 0) continue;
        char full[4096];
        if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, de->d_name) < sizeof full) unlink(full);
    }
    closedir(d);
}

typedef gsconv_status (*mutator)(json_t *root, void *user);

/* Lock, re-read, mutate, write a temp file, fsync, rename. */
static gsconv_status update_file(const char *path, mutator fn, void *user)
{
    char dir[4096];
    if (!dir_of(path, dir, sizeof dir))
        return gsconv_set_error(GSCONV_ERR_IO, "cache file path too long: %s", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (!*base) return gsconv_set_error(GSCONV_ERR_IO, "cache file path is a directory: %s", path);
    struct stat st;
    if (stat(dir, &st) != 0 && mkdir_p(dir) != 0)
        return gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: cannot create directory %s: %s",
                                path, dir, strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: %s is not a directory", path, dir);
    if (!writable(dir, &st))
        return gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: directory %s is read-only",
                                path, dir);
    if (stat(path, &st) == 0 && !writable(path, &st))
        return gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: the file is read-only", path);

    char lockp[4200];
    snprintf(lockp, sizeof lockp, "%s.lock", path);
    int lfd = open(lockp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lfd < 0)
        return gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: cannot open lock %s: %s",
                                path, lockp, strerror(errno));
    while (flock(lfd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        gsconv_status s = gsconv_set_error(GSCONV_ERR_IO, "cannot lock %s: %s", lockp, strerror(errno));
        close(lfd);
        return s;
    }
    remove_stale_temps(dir, base);

    gsconv_status s = GSCONV_OK;
    load_kind kind;
    char why[512];
    json_t *root = load_file(path, &kind, why, sizeof why, NULL);
    if (kind == LOAD_UNREADABLE) {
        s = gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: cannot read it to merge: %s",
                             path, why);
        goto out;
    }
    if (kind == LOAD_BAD) {
        /* Keep what the user had: move it aside, never delete it. */
        char stamp[32], aside[4300];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
        snprintf(aside, sizeof aside, "%s.corrupt-%s", path, stamp);
        if (access(aside, F_OK) == 0)
            snprintf(aside, sizeof aside, "%s.corrupt-%s-%ld", path, stamp, (long)getpid());
        if (rename(path, aside) != 0) {
            s = gsconv_set_error(GSCONV_ERR_IO, "cache file %s is unusable (%s) and cannot be moved aside: %s",
                                 path, why, strerror(errno));
            goto out;
        }
        fprintf(stderr, "gsconv: cache file %s was unusable (%s); moved it to %s and started a new one\n",
                path, why, aside);
    }
    if (!root) root = new_root();
    json_object_set_new(root, "library_version", json_string(GSCONV_VERSION_STRING));
    json_object_set_new(root, "config_signature", json_string(gsconv_config_signature()));
    if ((s = fn(root, user))) goto out;

    char *text = json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(6));
    if (!text) {
        s = gsconv_set_error(GSCONV_ERR_NO_MEMORY, "cache: cannot serialise");
        goto out;
    }
    char tmpl[4300];
    snprintf(tmpl, sizeof tmpl, "%s.tmp-%ld-XXXXXX", path, (long)getpid());
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        free(text);
        s = gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: cannot create a temp file in %s: %s",
                             path, dir, strerror(errno));
        goto out;
    }
    fchmod(fd, 0644);
    gsconv_status ws = write_all(fd, text, strlen(text));
    if (!ws) ws = write_all(fd, "\n", 1);
    free(text);
    if (ws || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmpl);
        s = gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: %s", path, strerror(e));
        goto out;
    }
    close(fd);
    /* Test hook: a window between the complete temp file and the rename, so a test can
     * kill the writer there (tests/test_tune.sh). */
    const char *delay = getenv("GSCONV_TEST_WRITE_DELAY_MS");
    if (delay && *delay) {
        long ms = strtol(delay, NULL, 10);
        if (ms > 0) {
            struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
        }
    }
    if (rename(tmpl, path) != 0) {
        int e = errno;
        unlink(tmpl);
        s = gsconv_set_error(GSCONV_ERR_IO, "cannot write cache file %s: rename: %s", path, strerror(e));
        goto out;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
out:
    json_decref(root);
    flock(lfd, LOCK_UN);
    close(lfd);
    return s;
}

static json_t *entry_to_json(const gsconv_cache_entry *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "variant", json_string(e->pick.variant));
    json_t *params = json_object();
    /* "name=value,..." */
    char buf[sizeof e->pick.params];
    snprintf(buf, sizeof buf, "%s", e->pick.params);
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) continue;
        *eq = 0;
        json_object_set_new(params, tok, json_integer(strtol(eq + 1, NULL, 10)));
    }
    json_object_set_new(o, "params", params);
    json_object_set_new(o, "threads", json_integer(e->pick.threads));
    json_object_set_new(o, "median_ms", json_real(isfinite(e->pick.ms) ? e->pick.ms : 0));
    json_object_set_new(o, "gflops", json_real(isfinite(e->pick.gflops) ? e->pick.gflops : 0));
    json_object_set_new(o, "rigor", json_string(gsconv_rigor_name(e->rigor)));
    json_object_set_new(o, "binding", json_string(e->binding[0] ? e->binding : "none"));
    json_object_set_new(o, "date", json_string(e->date));
    return o;
}

typedef struct store_ctx {
    const gsconv_cache_entry *e;
    const gsconv_calib_sample *cal;
    int ncal;
} store_ctx;

/* Observations kept per calibration key: older ones fade out beyond this many. */
#define CAL_WINDOW 64.0

static gsconv_status put_entry(json_t *root, void *user)
{
    const store_ctx *c = user;
    const gsconv_cache_entry *e = c->e;
    json_t *m = my_machine(root);
    char key[320];
    gsconv_problem p;
    if (gsconv_problem_parse(&p, e->shape) != GSCONV_OK) return GSCONV_ERR_BAD_DESCRIPTOR;
    p.layout = e->layout;
    p.act = e->act;
    gsconv_cache_key(&p, e->thread_budget, key, sizeof key);
    json_object_set_new(json_object_get(m, "entries"), key, entry_to_json(e));
    if (c->ncal > 0) {
        json_t *cal = json_object_get(m, "calibration");
        if (!cal) {
            cal = json_object();
            json_object_set_new(m, "calibration", cal);
        }
        for (int i = 0; i < c->ncal; i++) {
            json_t *o = json_object_get(cal, c->cal[i].key);
            double n = o ? num(o, "n") : 0, sl = o ? num(o, "sum_log") : 0;
            if (n + 1 > CAL_WINDOW) {
                sl *= (CAL_WINDOW - 1) / n;
                n = CAL_WINDOW - 1;
            }
            json_t *no = json_object();
            json_object_set_new(no, "n", json_real(n + 1));
            json_object_set_new(no, "sum_log", json_real(sl + c->cal[i].log_ratio));
            json_object_set_new(cal, c->cal[i].key, no);
        }
    }
    return GSCONV_OK;
}

gsconv_status gsconv_cache_store(const char *path, const gsconv_cache_entry *e_in,
                                 const gsconv_calib_sample *cal, int ncal)
{
    gsconv_cache_entry e = *e_in;
    if (!e.date[0]) iso_date(e.date, sizeof e.date);
    store_ctx c = {&e, cal, ncal};
    return update_file(path, put_entry, &c);
}

static gsconv_status put_peak(json_t *root, void *user)
{
    const gsconv_cpu_info *ci = user;
    json_t *m = my_machine(root);
    json_t *pk = json_object();
    char date[32];
    iso_date(date, sizeof date);
    json_object_set_new(pk, "fma_gflops_per_core", json_real(ci->peak_gflops));
    json_object_set_new(pk, "copy_gbs", json_real(ci->copy_gbs));
    json_object_set_new(pk, "copy_gbs_l2", json_real(ci->copy_gbs_l2));
    json_object_set_new(pk, "copy_gbs_l3", json_real(ci->copy_gbs_l3));
    json_object_set_new(pk, "fma_gflops_per_core_256", json_real(ci->peak_gflops_256));
    json_object_set_new(pk, "isa", json_string(gsconv_isa_name(ci->isa)));
    json_object_set_new(pk, "date", json_string(date));
    json_object_set_new(m, "peak", pk);
    return GSCONV_OK;
}

gsconv_status gsconv_cache_put_peak(const char *path, const gsconv_cpu_info *ci)
{
    return update_file(path, put_peak, (void *)ci);
}

/* ---------------------------------------------------------------- list, merge, clear */

static gsconv_status load_for_tool(const char *path, json_t **root)
{
    load_kind kind;
    char why[512];
    *root = load_file(path, &kind, why, sizeof why, NULL);
    if (kind == LOAD_MISSING || kind == LOAD_EMPTY) {
        *root = new_root();
        return GSCONV_OK;
    }
    if (!*root) return gsconv_set_error(GSCONV_ERR_IO, "cache file %s: %s", path, why);
    return GSCONV_OK;
}

gsconv_status gsconv_cache_list(const char *path_in, gsconv_cache_entry **out, int *n)
{
    if (!out || !n) return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "cache list: NULL argument");
    *out = NULL;
    *n = 0;
    char path[4096];
    if (!gsconv_cache_resolve(path_in, path, sizeof path))
        return gsconv_set_error(GSCONV_ERR_IO, "no cache path (set GSCONV_CACHE or HOME)");
    json_t *root;
    gsconv_status s = load_for_tool(path, &root);
    if (s) return s;
    const char *mine = gsconv_cpu_static()->machine_key;
    size_t cap = 0, cnt = 0;
    gsconv_cache_entry *v = NULL;
    const char *mk, *ek;
    json_t *m, *ev;
    json_object_foreach(json_object_get(root, "machines"), mk, m)
    {
        json_object_foreach(json_object_get(m, "entries"), ek, ev)
        {
            if (cnt == cap) {
                cap = cap ? cap * 2 : 64;
                gsconv_cache_entry *nv = realloc(v, cap * sizeof *v);
                if (!nv) {
                    free(v);
                    json_decref(root);
                    return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "cache list: out of memory");
                }
                v = nv;
            }
            char why[300];
            if (!entry_from_json(mk, ek, ev, &v[cnt], why, sizeof why)) continue;
            v[cnt].this_machine = strcmp(mk, mine) == 0;
            cnt++;
        }
    }
    json_decref(root);
    *out = v;
    *n = (int)cnt;
    return GSCONV_OK;
}

typedef struct merge_ctx {
    json_t **inputs;
    int n;
} merge_ctx;

/* a better than b? higher rigor, then newer date */
static bool better(json_t *a, json_t *b)
{
    gsconv_rigor ra = GSCONV_ESTIMATE, rb = GSCONV_ESTIMATE;
    gsconv_rigor_parse(json_string_value(json_object_get(a, "rigor")), &ra);
    gsconv_rigor_parse(json_string_value(json_object_get(b, "rigor")), &rb);
    gsconv_clear_error();
    if (ra != rb) return ra > rb;
    const char *da = json_string_value(json_object_get(a, "date"));
    const char *db = json_string_value(json_object_get(b, "date"));
    return strcmp(da ? da : "", db ? db : "") > 0;
}

static gsconv_status merge_in(json_t *root, void *user)
{
    merge_ctx *c = user;
    json_t *machines = json_object_get(root, "machines");
    for (int i = 0; i < c->n; i++) {
        const char *mk, *ek;
        json_t *m, *ev;
        json_object_foreach(json_object_get(c->inputs[i], "machines"), mk, m)
        {
            json_t *dm = json_object_get(machines, mk);
            if (!dm) {
                json_object_set(machines, mk, m);
                continue;
            }
            if (dm == m) continue;
            if (!json_object_get(dm, "entries")) json_object_set_new(dm, "entries", json_object());
            json_t *dentries = json_object_get(dm, "entries");
            json_object_foreach(json_object_get(m, "entries"), ek, ev)
            {
                json_t *cur = json_object_get(dentries, ek);
                if (!cur || better(ev, cur)) json_object_set(dentries, ek, ev);
            }
            json_t *pk = json_object_get(m, "peak"), *dpk = json_object_get(dm, "peak");
            const char *pd = pk ? json_string_value(json_object_get(pk, "date")) : NULL;
            const char *dd = dpk ? json_string_value(json_object_get(dpk, "date")) : NULL;
            if (pk && (!dpk || strcmp(pd ? pd : "", dd ? dd : "") > 0)) json_object_set(dm, "peak", pk);
            if (!json_object_get(dm, "fingerprint") && json_object_get(m, "fingerprint"))
                json_object_set(dm, "fingerprint", json_object_get(m, "fingerprint"));
        }
    }
    return GSCONV_OK;
}

gsconv_status gsconv_cache_merge(const char *const *inputs, int ninputs, const char *out)
{
    if (!inputs || ninputs < 0 || !out)
        return gsconv_set_error(GSCONV_ERR_INVALID_ARGUMENT, "cache merge: NULL argument");
    merge_ctx c = {calloc((size_t)ninputs + 1, sizeof(json_t *)), ninputs};
    if (!c.inputs) return gsconv_set_error(GSCONV_ERR_NO_MEMORY, "cache merge: out of memory");
    gsconv_status s = GSCONV_OK;
    for (int i = 0; i < ninputs && !s; i++) {
        load_kind kind;
        char why[512];
        c.inputs[i] = load_file(inputs[i], &kind, why, sizeof why, NULL);
        if (kind == LOAD_EMPTY) c.inputs[i] = new_root();
        else if (!c.inputs[i])
            s = gsconv_set_error(GSCONV_ERR_IO, "cache file %s: %s", inputs[i],
                                 kind == LOAD_MISSING ? "no such file" : why);
    }
    if (!s) s = update_file(out, merge_in, &c);
    for (int i = 0; i < ninputs; i++) json_decref(c.inputs[i]);
    free(c.inputs);
    return s;
}

typedef struct clear_ctx {
    int this_only;
    int removed;
} clear_ctx;

static gsconv_status clear_entries(json_t *root, void *user)
{
    clear_ctx *c = user;
    const char *mine = gsconv_cpu_static()->machine_key;
    const char *mk;
    json_t *m;
    json_object_foreach(json_object_get(root, "machines"), mk, m)
    {
        if (c->this_only && strcmp(mk, mine) != 0) continue;
        json_t *entries = json_object_get(m, "entries");
        c->removed += (int)json_object_size(entries);
        json_object_set_new(m, "entries", json_object());
    }
    return GSCONV_OK;
}

gsconv_status gsconv_cache_clear(const char *path_in, int this_machine_only, int *removed)
{
    char path[4096];
    if (!gsconv_cache_resolve(path_in, path, sizeof path))
        return gsconv_set_error(GSCONV_ERR_IO, "no cache path (set GSCONV_CACHE or HOME)");
    clear_ctx c = {this_machine_only, 0};
    gsconv_status s = update_file(path, clear_entries, &c);
    if (removed) *removed = c.removed;
    return s;
}
