/*
 * Reports (results.h): the comparison of two result files with a regression verdict,
 * and the report of one run against the peers. Markdown for terminals and pull
 * requests; one self-contained HTML page with inline SVG charts (no scripts, no
 * network).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gsconv.h"
#include "results.h"

/* ---------------------------------------------------------------- string buffer */

typedef struct sbuf {
    char *s;
    size_t n, cap;
    bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    va_list ap;
    va_start(ap, fmt);
    const int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    if (b->n + (size_t)need + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + (size_t)need + 1 > cap) cap *= 2;
        char *s = realloc(b->s, cap);
        if (!s) {
            b->oom = true;
            return;
        }
        b->s = s, b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)need;
}

/* text escaped for HTML */
static void sb_html(sbuf *b, const char *t)
{
    for (; t && *t; t++) {
        switch (*t) {
        case '&': sb_printf(b, "&amp;"); break;
        case '<': sb_printf(b, "&lt;"); break;
        case '>': sb_printf(b, "&gt;"); break;
        case '"': sb_printf(b, "&quot;"); break;
        default: sb_printf(b, "%c", *t);
        }
    }
}

/* text safe inside a Markdown table cell */
static void sb_md(sbuf *b, const char *t)
{
    for (; t && *t; t++) sb_printf(b, "%c", *t == '|' ? '/' : (*t == '\n' ? ' ' : *t));
}

static char *sb_take(sbuf *b)
{
    if (b->oom) {
        free(b->s);
        return NULL;
    }
    if (!b->s) {
        b->s = malloc(1);
        if (b->s) b->s[0] = 0;
    }
    return b->s;
}

void gsr_report_options_default(gsr_report_options *o)
{
    o->threshold = 0.05;
    o->alpha = 0.05;
    o->min_reps = 9;
}

/* ---------------------------------------------------------------- formatting */

static const char *fmt_ms(double seconds, char *buf, size_t len)
{
    if (!isfinite(seconds)) return snprintf(buf, len, "n/a"), buf;
    const double ms = seconds * 1e3;
    if (ms >= 100) snprintf(buf, len, "%.1f", ms);
    else if (ms >= 1) snprintf(buf, len, "%.3f", ms);
    else snprintf(buf, len, "%.4f", ms);
    return buf;
}

static const char *fmt_pct(double frac, char *buf, size_t len)
{
    if (!isfinite(frac)) return snprintf(buf, len, "–"), buf;
    snprintf(buf, len, "%.0f%%", frac * 100);
    return buf;
}

static const char *css =
    "body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px;"
    "color:#222;max-width:1400px}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}"
    "h3{font-size:15px}table{border-collapse:collapse;font-size:12px;margin:8px 0}"
    "td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}"
    "td:first-child,th:first-child{text-align:left}th{background:#f2f2f2}"
    ".reg{background:#fdd}.imp{background:#dfd}.err{background:#fec}.few{color:#777}"
    ".verdict{font-size:18px;padding:8px 12px;display:inline-block;border-radius:4px}"
    ".bad{background:#c62828;color:#fff}.good{background:#2e7d32;color:#fff}"
    "td.l{text-align:left}"
    ".note{color:#555;font-size:13px}svg{background:#fff;border:1px solid #e0e0e0;margin:6px 0}"
    "code{background:#f5f5f5;padding:1px 3px}";

static void html_head(sbuf *h, const char *title)
{
    sb_printf(h, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
    sb_html(h, title);
    sb_printf(h, "</title>\n<style>%s</style></head>\n<body>\n<h1>", css);
    sb_html(h, title);
    sb_printf(h, "</h1>\n");
}

/* ---------------------------------------------------------------- SVG charts */

static const char *backend_color(const char *backend)
{
    if (!strncmp(backend, "gsconv", 6)) return "#1f77b4";
    if (!strcmp(backend, "onednn:best")) return "#ff7f0e";
    if (!strcmp(backend, "onednn:plain")) return "#f5b041";
    if (!strcmp(backend, "xnnpack")) return "#2ca02c";
    return "#7f7f7f";
}

/*
 * Horizontal bars on a log scale around 1 (speed-ups or ratios): one row per label,
 * nser series per row. values[row * nser + s]; NAN = no bar.
 */
static void svg_log_bars(sbuf *h, const char *title, const char *const *labels, int nrows,
                         const char *const *series, const char *const *colors, int nser,
                         const double *values, const char *unit_note)
{
    double lo = 1, hi = 1;
    for (int i = 0; i < nrows * nser; i++)
        if (isfinite(values[i]) && values[i] > 0) {
            if (values[i] < lo) lo = values[i];
            if (values[i] > hi) hi = values[i];
        }
    /* whole powers of two around the data */
    double llo = floor(log2(lo) - 1e-9), lhi = ceil(log2(hi) + 1e-9);
    if (llo > -1) llo = -1;
    if (lhi < 1) lhi = 1;
    const int label_w = 300, plot_w = 640, bar_h = 9, row_gap = 6;
    const int row_h = nser * bar_h + row_gap;
    const int top = 40, legend_h = 22;
    const int height = top + nrows * row_h + 40 + legend_h;
    const int width = label_w + plot_w + 30;
    const double x0 = label_w;
#define XPOS(v) (x0 + (log2(v) - llo) / (lhi - llo) * plot_w)
    sb_printf(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "font-family=\"sans-serif\" font-size=\"11\">\n", width, height);
    sb_printf(h, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">");
    sb_html(h, title);
    sb_printf(h, "</text>\n<text x=\"10\" y=\"32\" fill=\"#555\">");
    sb_html(h, unit_note);
    sb_printf(h, "</text>\n");
    /* grid: powers of two */
    for (double e = llo; e <= lhi + 1e-9; e += 1) {
        const double x = XPOS(pow(2, e));
        sb_printf(h, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                     "stroke-width=\"%s\"/>\n", x, top - 4, x, top + nrows * row_h,
                  e == 0 ? "#000" : "#ddd", e == 0 ? "1.5" : "1");
        sb_printf(h, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g&#215;</text>\n", x,
                  top + nrows * row_h + 14, pow(2, e));
    }
    for (int r = 0; r < nrows; r++) {
        const int y = top + r * row_h;
        sb_printf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 6,
                  y + nser * bar_h / 2 + 4);
        sb_html(h, labels[r]);
        sb_printf(h, "</text>\n");
        for (int s = 0; s < nser; s++) {
            const double v = values[r * nser + s];
            if (!(isfinite(v) && v > 0)) continue;
            const double xv = XPOS(v), x1 = XPOS(1.0);
            const double xa = xv < x1 ? xv : x1, w = fabs(xv - x1) < 1 ? 1 : fabs(xv - x1);
            sb_printf(h, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                         "<title>", xa, y + s * bar_h, w, bar_h - 1, colors[s]);
            sb_html(h, labels[r]);
            sb_printf(h, " — ");
            sb_html(h, series[s]);
            sb_printf(h, ": %.3f&#215;</title></rect>\n", v);
        }
    }
    /* legend */
    int lx = label_w;
    const int ly = height - legend_h + 4;
    for (int s = 0; s < nser; s++) {
        sb_printf(h, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%d\">", lx, ly, colors[s], lx + 16, ly + 9);
        sb_html(h, series[s]);
        sb_printf(h, "</text>\n");
        lx += 22 + 7 * (int)strlen(series[s]);
    }
    sb_printf(h, "</svg>\n");
#undef XPOS
}

/* Vertical grouped bars (linear, from 0): model totals in ms. */
static void svg_group_bars(sbuf *h, const char *title, const char *const *groups, int ngroups,
                           const char *const *series, const char *const *colors, int nser,
                           const double *values)
{
    double hi = 0;
    for (int i = 0; i < ngroups * nser; i++)
        if (isfinite(values[i]) && values[i] > hi) hi = values[i];
    if (!(hi > 0)) hi = 1;
    /* a round axis maximum */
    const double mag = pow(10, floor(log10(hi)));
    double axis = mag;
    while (axis < hi) axis += mag / 2;
    const int left = 60, plot_h = 240, top = 40, bar_w = 22, gap = 30;
    const int group_w = nser * bar_w + gap;
    const int width = left + ngroups * group_w + 40 > 500 ? left + ngroups * group_w + 40 : 500;
    const int height = top + plot_h + 110;
    sb_printf(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "font-family=\"sans-serif\" font-size=\"11\">\n", width, height);
    sb_printf(h, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">");
    sb_html(h, title);
    sb_printf(h, "</text>\n");
    for (int t = 0; t <= 4; t++) {
        const double v = axis * t / 4;
        const double y = top + plot_h - plot_h * v / axis;
        sb_printf(h, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g ms</text>\n",
                  left, y, width - 20, y, left - 4, y + 4, v);
    }
    for (int gi = 0; gi < ngroups; gi++) {
        const int gx = left + 10 + gi * group_w;
        for (int s = 0; s < nser; s++) {
            const double v = values[gi * nser + s];
            if (!(isfinite(v) && v > 0)) continue;
            const double bh = plot_h * v / axis;
            sb_printf(h, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
                         "<title>", gx + s * bar_w, top + plot_h - bh, bar_w - 2, bh, colors[s]);
            sb_html(h, groups[gi]);
            sb_printf(h, " — ");
            sb_html(h, series[s]);
            sb_printf(h, ": %.3f ms</title></rect>\n", v);
            sb_printf(h, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"9\">%.2g"
                         "</text>\n", gx + s * bar_w + bar_w / 2, top + plot_h - bh - 3, v);
        }
        sb_printf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-30 %d %d)\">",
                  gx + group_w / 2, top + plot_h + 16, gx + group_w / 2, top + plot_h + 16);
        sb_html(h, groups[gi]);
        sb_printf(h, "</text>\n");
    }
    int lx = left;
    const int ly = height - 18;
    for (int s = 0; s < nser; s++) {
        sb_printf(h, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                     "<text x=\"%d\" y=\"%d\">", lx, ly, colors[s], lx + 16, ly + 9);
        sb_html(h, series[s]);
        sb_printf(h, "</text>\n");
        lx += 22 + 7 * (int)strlen(series[s]);
    }
    sb_printf(h, "</svg>\n");
}

typedef struct roof_point {
    double ai, gflops;
    int series;
    const char *label;
} roof_point;

/* Log-log roofline: the peak, the bandwidth lines, one dot per point. */
static void svg_roofline(sbuf *h, const char *title, double peak, const double *bw,
                         const char *const *bw_names, int nbw, const roof_point *pts, int npts,
                         const char *const *series, const char *const *colors, int nser)
{
    double xlo = 1e9, xhi = 0, ylo = 1e9, yhi = 0;
    for (int i = 0; i < npts; i++) {
        if (!(pts[i].ai > 0 && pts[i].gflops > 0)) continue;
        xlo = fmin(xlo, pts[i].ai), xhi = fmax(xhi, pts[i].ai);
        ylo = fmin(ylo, pts[i].gflops), yhi = fmax(yhi, pts[i].gflops);
    }
    if (peak > 0) yhi = fmax(yhi, peak);
    if (xhi <= 0) xlo = 0.1, xhi = 100, ylo = 0.1, yhi = 100;
    const double lx0 = floor(log10(xlo)), lx1 = fmax(ceil(log10(xhi)), lx0 + 1);
    const double ly0 = floor(log10(ylo)), ly1 = fmax(ceil(log10(yhi * 1.05)), ly0 + 1);
    const int left = 70, top = 40, pw = 620, ph = 380;
    const int width = left + pw + 200, height = top + ph + 60;
#define RX(v) (left + (log10(v) - lx0) / (lx1 - lx0) * pw)
#define RY(v) (top + ph - (log10(v) - ly0) / (ly1 - ly0) * ph)
    sb_printf(h, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "font-family=\"sans-serif\" font-size=\"11\">\n", width, height);
    sb_printf(h, "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">");
    sb_html(h, title);
    sb_printf(h, "</text>\n");
    for (double e = lx0; e <= lx1 + 1e-9; e++)
        sb_printf(h, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e5e5e5\"/>"
                     "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
                  RX(pow(10, e)), top, RX(pow(10, e)), top + ph, RX(pow(10, e)), top + ph + 14,
                  pow(10, e));
    for (double e = ly0; e <= ly1 + 1e-9; e++)
        sb_printf(h, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>"
                     "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
                  left, RY(pow(10, e)), left + pw, RY(pow(10, e)), left - 4, RY(pow(10, e)) + 4,
                  pow(10, e));
    sb_printf(h, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">arithmetic intensity "
                 "(flop per byte of src + weights + dst)</text>\n", left + pw / 2, top + ph + 32);
    sb_printf(h, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">"
                 "GFLOP/s</text>\n", top + ph / 2, top + ph / 2);
    const double xa = pow(10, lx0), xb = pow(10, lx1);
    for (int i = 0; i < nbw; i++) {
        if (!(bw[i] > 0)) continue;
        /* y = bw * x, clipped to the plot and to the peak */
        double x1 = xa, x2 = xb;
        if (peak > 0) x2 = fmin(x2, peak / bw[i]);
        if (bw[i] * x1 < pow(10, ly0)) x1 = pow(10, ly0) / bw[i];
        if (x2 <= x1) continue;
        sb_printf(h, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" "
                     "stroke-dasharray=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" fill=\"#555\">",
                  RX(x1), RY(bw[i] * x1), RX(x2), RY(bw[i] * x2), i ? "4 3" : "none",
                  RX(x2) + 4, RY(bw[i] * x2) + 12 + 11 * i);
        sb_html(h, bw_names[i]);
        sb_printf(h, " %.0f GB/s</text>\n", bw[i]);
    }
    if (peak > 0)
        sb_printf(h, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#c62828\" "
                     "stroke-width=\"1.5\"/><text x=\"%d\" y=\"%.1f\" fill=\"#c62828\">FMA peak "
                     "%.0f GFLOP/s</text>\n", left, RY(peak), left + pw, RY(peak), left + pw + 4,
                  RY(peak) + 4, peak);
    for (int i = 0; i < npts; i++) {
        if (!(pts[i].ai > 0 && pts[i].gflops > 0)) continue;
        sb_printf(h, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" fill-opacity=\"0.75\">"
                     "<title>", RX(pts[i].ai), RY(pts[i].gflops), colors[pts[i].series % nser]);
        sb_html(h, pts[i].label);
        sb_printf(h, ": %.1f GFLOP/s at %.2f flop/B</title></circle>\n", pts[i].gflops, pts[i].ai);
    }
    for (int s = 0; s < nser; s++) {
        const int y = top + ph / 2 + 16 * s; /* below the peak and bandwidth labels */
        sb_printf(h, "<circle cx=\"%d\" cy=\"%d\" r=\"5\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
                  left + pw + 20, y, colors[s], left + pw + 30, y + 4);
        sb_html(h, series[s]);
        sb_printf(h, "</text>\n");
    }
    sb_printf(h, "</svg>\n");
#undef RX
#undef RY
}

/* ---------------------------------------------------------------- context tables */

/* gsconv's own non-Winograd results above 105% of the recorded FMA peak (which only a
 * peak measured while the machine was slowed allows): how many, and the largest
 * fraction in *max. Winograd does fewer multiplications than the nominal count. */
static int peak_exceeded(const gsr_file *f, double *max)
{
    int n = 0;
    *max = 0;
    for (int i = 0; i < f->nb; i++) {
        const gsr_bench *b = &f->b[i];
        if (!b->parsed || b->error || strcmp(b->backend, "gsconv:tuned") || !isfinite(b->peak_frac))
            continue;
        if (b->label && !strncmp(b->label, "wino", 4)) continue;
        if (b->peak_frac > 1.05) {
            n++;
            if (b->peak_frac > *max) *max = b->peak_frac;
        }
    }
    return n;
}

static void context_rows(sbuf *md, sbuf *h, const gsr_file *const *files, int nfiles,
                         const char *const *heads)
{
    static const char *const names[] = {"file", "host", "date", "commit", "gsconv", "ISA",
                                        "threads", "machine key", "FMA peak", "bandwidth",
                                        "peers"};
    const int nrows = (int)(sizeof names / sizeof names[0]);
    if (md) {
        sb_printf(md, "| |");
        for (int f = 0; f < nfiles; f++) sb_printf(md, " %s |", heads[f]);
        sb_printf(md, "\n|---|");
        for (int f = 0; f < nfiles; f++) sb_printf(md, "---|");
        sb_printf(md, "\n");
    }
    if (h) {
        sb_printf(h, "<table><tr><th></th>");
        for (int f = 0; f < nfiles; f++) sb_printf(h, "<th>%s</th>", heads[f]);
        sb_printf(h, "</tr>\n");
    }
    for (int r = 0; r < nrows; r++) {
        if (md) sb_printf(md, "| %s |", names[r]);
        if (h) sb_printf(h, "<tr><td>%s</td>", names[r]);
        for (int fi = 0; fi < nfiles; fi++) {
            const gsr_file *f = files[fi];
            char v[700];
            switch (r) {
            case 0: snprintf(v, sizeof v, "%s", f->path); break;
            case 1: snprintf(v, sizeof v, "%s", f->host); break;
            case 2: snprintf(v, sizeof v, "%s", f->date); break;
            case 3: snprintf(v, sizeof v, "%s", f->commit[0] ? f->commit : "–"); break;
            case 4: snprintf(v, sizeof v, "%s", f->version[0] ? f->version : "–"); break;
            case 5: snprintf(v, sizeof v, "%s", f->isa[0] ? f->isa : "–"); break;
            case 6: snprintf(v, sizeof v, "%s", f->threads[0] ? f->threads : "–"); break;
            case 7: snprintf(v, sizeof v, "%s", f->machine_key[0] ? f->machine_key : "–"); break;
            case 8:
                if (isfinite(f->peak_gflops)) {
                    int n = snprintf(v, sizeof v, "%.1f GFLOP/s (%s)", f->peak_gflops, f->peak_source);
                    double over = 0;
                    const int nover = peak_exceeded(f, &over);
                    if (nover > 0 && n > 0 && (size_t)n < sizeof v)
                        snprintf(v + n, sizeof v - (size_t)n,
                                 "; %d non-Winograd layer(s) ran above it (up to %.0f%%): the "
                                 "probe was likely taken while this machine was slowed, and the "
                                 "%% peak columns read high (re-measure: gsconv info "
                                 "--measure-peak)",
                                 nover, 100 * over);
                } else {
                    snprintf(v, sizeof v, "unknown");
                }
                break;
            case 9:
                if (isfinite(f->bandwidth_gbs))
                    snprintf(v, sizeof v, "%.1f GB/s from memory (%s)", f->bandwidth_gbs,
                             f->bandwidth_source);
                else
                    snprintf(v, sizeof v, "unknown");
                break;
            default: snprintf(v, sizeof v, "%s", f->peers[0] ? f->peers : "none"); break;
            }
            if (md) sb_printf(md, " "), sb_md(md, v), sb_printf(md, " |");
            if (h) sb_printf(h, "<td class=\"l\">"), sb_html(h, v), sb_printf(h, "</td>");
        }
        if (md) sb_printf(md, "\n");
        if (h) sb_printf(h, "</tr>\n");
    }
    if (h) sb_printf(h, "</table>\n");
}

/* ---------------------------------------------------------------- comparison */

typedef enum verdict {
    V_SAME, V_REGRESSION, V_IMPROVEMENT, V_FEW, V_ERROR_NEW, V_ERROR_BOTH, V_FIXED, V_NOTIME
} verdict;

typedef struct crow {
    const gsr_bench *b, *n;
    double ratio, p;
    verdict v;
    bool peer; /* a peer or a yardstick (memcpy): shown, not in the verdict */
} crow;

/* Rows that judge gsconv: its backends and its standalone shuffle. Peers (oneDNN,
 * XNNPACK) and the memcpy yardstick are the machine's drift, not the commit's: a slower
 * oneDNN between two runs must not fail a CI job. Names outside our scheme count. */
static bool row_is_ours(const gsr_bench *b)
{
    return !b->parsed || !strncmp(b->backend, "gsconv", 6) || !strcmp(b->backend, "shuffle:gsconv");
}

static const char *verdict_text(const crow *r, const gsr_report_options *o, char *buf, size_t len)
{
    const double pct = (r->ratio - 1) * 100;
    switch (r->v) {
    case V_REGRESSION:
        snprintf(buf, len, r->peer ? "slower (%+.1f%%; peer, not in the verdict)" : "REGRESSION (%+.1f%%)", pct);
        break;
    case V_IMPROVEMENT:
        snprintf(buf, len, r->peer ? "faster (%+.1f%%; peer, not in the verdict)" : "improvement (%+.1f%%)", pct);
        break;
    case V_SAME:
        if (fabs(r->ratio - 1) > o->threshold)
            snprintf(buf, len, "no change (%+.1f%%, not significant)", pct);
        else
            snprintf(buf, len, "no change");
        break;
    case V_FEW:
        snprintf(buf, len, "too few repetitions (%d/%d, need %d per side)", r->b->ntimes,
                 r->n->ntimes, o->min_reps);
        break;
    case V_ERROR_NEW: snprintf(buf, len, "ERROR in new: %s", r->n->error_message); break;
    case V_ERROR_BOTH: snprintf(buf, len, "error in both"); break;
    case V_FIXED: snprintf(buf, len, "runs again (error in base)"); break;
    default: snprintf(buf, len, "no time"); break;
    }
    return buf;
}

static const char *verdict_class(verdict v)
{
    switch (v) {
    case V_REGRESSION:
    case V_ERROR_NEW: return "reg";
    case V_IMPROVEMENT: return "imp";
    case V_ERROR_BOTH: return "err";
    case V_FEW: return "few";
    default: return "";
    }
}

/* "suite" of a row for grouping; foreign names go to one group */
static const char *row_suite(const gsr_bench *b) { return b->parsed ? b->suite : "(other)"; }
static const char *row_backend(const gsr_bench *b) { return b->parsed ? b->backend : "–"; }

/* The machine part of a tuner fingerprint: without the library version and the
 * configuration signature (both change with the code, not with the machine). */
static const char *hardware_part(const char *fp, char *buf, size_t len)
{
    size_t o = 0;
    buf[0] = 0;
    for (const char *p = fp; *p;) {
        const char *e = strchr(p, ';');
        const size_t l = e ? (size_t)(e - p) : strlen(p);
        if (strncmp(p, "gsconv=", 7) && strncmp(p, "config=", 7) && o + l + 2 < len) {
            memcpy(buf + o, p, l);
            o += l;
            buf[o++] = ';';
            buf[o] = 0;
        }
        p += l + (e ? 1 : 0);
    }
    return buf;
}

int gsr_report_compare(const gsr_file *base, const gsr_file *neu, const gsr_report_options *o,
                       char **md_out, char **html_out, char **summary_out)
{
    if (md_out) *md_out = NULL;
    if (html_out) *html_out = NULL;
    if (summary_out) *summary_out = NULL;
    crow *rows = calloc((size_t)(base->nb ? base->nb : 1), sizeof *rows);
    if (!rows) return -1;
    int nrows = 0, nreg = 0, nimp = 0, nfew = 0, nerr = 0, npeer = 0;
    for (int i = 0; i < base->nb; i++) {
        const gsr_bench *b = &base->b[i];
        const gsr_bench *n = NULL;
        for (int j = 0; j < neu->nb && !n; j++)
            if (!strcmp(neu->b[j].name, b->name)) n = &neu->b[j];
        if (!n) continue;
        crow *r = &rows[nrows++];
        r->b = b, r->n = n;
        r->ratio = r->p = NAN;
        r->peer = !row_is_ours(b);
        if (b->error && n->error) {
            r->v = V_ERROR_BOTH;
            continue;
        }
        if (n->error) {
            r->v = V_ERROR_NEW;
            if (!r->peer) nreg++, nerr++;
            continue;
        }
        if (b->error) {
            r->v = V_FIXED;
            continue;
        }
        if (!(isfinite(b->median) && isfinite(n->median) && b->median > 0)) {
            r->v = V_NOTIME;
            continue;
        }
        r->ratio = n->median / b->median;
        if (b->ntimes < o->min_reps || n->ntimes < o->min_reps) {
            r->v = V_FEW;
            nfew++;
            continue;
        }
        r->p = gsr_mann_whitney_p(b->times, b->ntimes, n->times, n->ntimes);
        if (r->p < o->alpha && r->ratio > 1 + o->threshold)
            r->v = V_REGRESSION, r->peer ? npeer++ : nreg++;
        else if (r->p < o->alpha && r->ratio < 1 - o->threshold)
            r->v = V_IMPROVEMENT, r->peer ? npeer++ : nimp++;
        else
            r->v = V_SAME;
    }
    int only_base = 0, only_new = 0;
    for (int i = 0; i < base->nb; i++) {
        int j = 0;
        while (j < neu->nb && strcmp(neu->b[j].name, base->b[i].name)) j++;
        if (j == neu->nb) only_base++;
    }
    for (int j = 0; j < neu->nb; j++) {
        int i = 0;
        while (i < base->nb && strcmp(neu->b[j].name, base->b[i].name)) i++;
        if (i == base->nb) only_new++;
    }
    char hw_base[512], hw_new[512];
    const bool same_machine = !strcmp(base->host, neu->host) &&
                              !strcmp(hardware_part(base->fingerprint, hw_base, sizeof hw_base),
                                      hardware_part(neu->fingerprint, hw_new, sizeof hw_new)) &&
                              !strcmp(base->threads, neu->threads);

    sbuf md = {0}, h = {0}, sum = {0};
    char verdict_line[512];
    if (nreg)
        snprintf(verdict_line, sizeof verdict_line,
                 "REGRESSION: %d benchmark%s slower by more than %.0f%% (Mann-Whitney p < %g) or "
                 "failing in new only", nreg, nreg > 1 ? "s" : "", o->threshold * 100, o->alpha);
    else
        snprintf(verdict_line, sizeof verdict_line,
                 "no significant regression (threshold %.0f%%, alpha %g)", o->threshold * 100,
                 o->alpha);
    char counts[512];
    snprintf(counts, sizeof counts,
             "%d compared: %d regression%s, %d improvement%s, %d with too few repetitions for a "
             "test (need %d per side); %d peer/memcpy row%s changed significantly (machine "
             "drift: not in the verdict)%s%s",
             nrows, nreg, nreg == 1 ? "" : "s", nimp, nimp == 1 ? "" : "s", nfew, o->min_reps,
             npeer, npeer == 1 ? "" : "s", only_base ? "; some only in base" : "",
             only_new ? "; some only in new" : "");
    char machine_note[1200] = "";
    if (!same_machine)
        snprintf(machine_note, sizeof machine_note,
                 "Different machines or thread counts: base %s (machine key %s, %s threads), new %s "
                 "(machine key %s, %s threads). The ratios compare the machines as well as the code.",
                 base->host, base->machine_key[0] ? base->machine_key : "?",
                 base->threads[0] ? base->threads : "?", neu->host,
                 neu->machine_key[0] ? neu->machine_key : "?", neu->threads[0] ? neu->threads : "?");

    /* summary for the terminal */
    sb_printf(&sum, "Verdict: %s\n%s\n", verdict_line, counts);
    if (machine_note[0]) sb_printf(&sum, "%s\n", machine_note);
    if (nfew) sb_printf(&sum, "Note: %d benchmark%s had too few repetitions (fewer than %d per side): "
                              "no verdict for them, rerun with --repetitions %d or more.\n",
                        nfew, nfew > 1 ? "s" : "", o->min_reps, o->min_reps);

    /* header */
    const gsr_file *files[2] = {base, neu};
    const char *heads[2] = {"base", "new"};
    sb_printf(&md, "# gsconv benchmark comparison\n\n");
    html_head(&h, "gsconv benchmark comparison");
    context_rows(&md, &h, files, 2, heads);
    sb_printf(&md, "\n**Verdict: %s**\n\n%s.\n\n", verdict_line, counts);
    sb_printf(&h, "<p><span class=\"verdict %s\">Verdict: ", nreg ? "bad" : "good");
    sb_html(&h, verdict_line);
    sb_printf(&h, "</span></p>\n<p>");
    sb_html(&h, counts);
    sb_printf(&h, ".</p>\n");
    if (machine_note[0]) {
        sb_printf(&md, "> **%s**\n\n", machine_note);
        sb_printf(&h, "<p class=\"note\"><b>");
        sb_html(&h, machine_note);
        sb_printf(&h, "</b></p>\n");
    }
    const char *method =
        "Ratio = new / base of the median real time over the repetitions (< 1 is faster). "
        "p = two-sided Mann-Whitney U test on the per-repetition times (normal approximation "
        "with tie and continuity correction).";
    sb_printf(&md, "%s\n", method);
    sb_printf(&h, "<p class=\"note\">%s</p>\n", method);

    /* per suite: table + geometric means */
    char (*suites)[64] = calloc((size_t)(nrows ? nrows : 1), sizeof *suites);
    char (*backends)[96] = calloc((size_t)(nrows ? nrows : 1), sizeof *backends);
    double *ratios = malloc(sizeof *ratios * (size_t)(nrows ? nrows : 1));
    if (!suites || !backends || !ratios) {
        free(suites), free(backends), free(ratios), free(rows);
        free(md.s), free(h.s), free(sum.s);
        return -1;
    }
    int nsuites = 0, nbackends = 0;
    for (int i = 0; i < nrows; i++) {
        const char *s = row_suite(rows[i].b), *be = row_backend(rows[i].b);
        int k = 0;
        while (k < nsuites && strcmp(suites[k], s)) k++;
        if (k == nsuites) snprintf(suites[nsuites++], 64, "%s", s);
        k = 0;
        while (k < nbackends && strcmp(backends[k], be)) k++;
        if (k == nbackends) snprintf(backends[nbackends++], 96, "%s", be);
    }
    /* chart data: all rows with a ratio, one series */
    const char **clabels = calloc((size_t)(nrows ? nrows : 1), sizeof *clabels);
    char (*clabel_buf)[400] = calloc((size_t)(nrows ? nrows : 1), sizeof *clabel_buf);
    double *cvals = calloc((size_t)(nrows ? nrows : 1), sizeof *cvals);
    int nchart = 0;
    for (int si = 0; si < nsuites; si++) {
        const char *title = strcmp(suites[si], "(other)") ? gsr_suite_title(neu, suites[si]) : "other benchmarks";
        sb_printf(&md, "\n## %s\n\n| benchmark | base ms | new ms | new/base | p | reps | verdict |\n"
                       "|---|---:|---:|---:|---:|---:|---|\n", title);
        sb_printf(&h, "<h2>");
        sb_html(&h, title);
        sb_printf(&h, "</h2>\n<table><tr><th>benchmark</th><th>base ms</th><th>new ms</th>"
                      "<th>new/base</th><th>p</th><th>reps</th><th>verdict</th></tr>\n");
        int nr = 0;
        for (int i = 0; i < nrows; i++) {
            const crow *r = &rows[i];
            if (strcmp(row_suite(r->b), suites[si])) continue;
            char name[400], bms[32], nms[32], ratio[32] = "–", p[32] = "–", vt[600];
            if (r->b->parsed)
                snprintf(name, sizeof name, "%s %s %s", r->b->desc, r->b->layout, r->b->backend);
            else
                snprintf(name, sizeof name, "%s", r->b->name);
            fmt_ms(r->b->error ? NAN : r->b->median, bms, sizeof bms);
            fmt_ms(r->n->error ? NAN : r->n->median, nms, sizeof nms);
            if (isfinite(r->ratio)) snprintf(ratio, sizeof ratio, "%.3f", r->ratio), ratios[nr++] = r->ratio;
            if (isfinite(r->p)) snprintf(p, sizeof p, "%.3g", r->p);
            verdict_text(r, o, vt, sizeof vt);
            const bool bold = r->v == V_REGRESSION || r->v == V_ERROR_NEW;
            sb_printf(&md, "| `%s` | %s | %s | %s | %s | %d/%d | %s", name, bms, nms, ratio, p,
                      r->b->ntimes, r->n->ntimes, bold ? "**" : "");
            sb_md(&md, vt);
            sb_printf(&md, "%s |\n", bold ? "**" : "");
            sb_printf(&h, "<tr class=\"%s\"><td><code>", r->peer ? "" : verdict_class(r->v));
            sb_html(&h, name);
            sb_printf(&h, "</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%d/%d</td><td class=\"l\">",
                      bms, nms, ratio, p, r->b->ntimes, r->n->ntimes);
            sb_html(&h, vt);
            sb_printf(&h, "</td></tr>\n");
            if (isfinite(r->ratio) && clabels && clabel_buf && cvals) {
                snprintf(clabel_buf[nchart], 400, "%s %s", r->b->parsed ? r->b->desc : r->b->name,
                         r->b->parsed ? r->b->backend : "");
                clabels[nchart] = clabel_buf[nchart];
                cvals[nchart] = r->ratio;
                nchart++;
            }
        }
        const double gm = gsr_geomean(ratios, nr);
        sb_printf(&md, "\nGeometric mean new/base: %.3f over %d benchmarks.\n", gm, nr);
        sb_printf(&h, "</table>\n<p>Geometric mean new/base: <b>%.3f</b> over %d benchmarks.</p>\n", gm, nr);
    }

    /* summary: geometric means per suite x backend, per backend, overall */
    sb_printf(&md, "\n## Summary (geometric means of new/base)\n\n| suite | backend | benchmarks | "
                   "geomean | regressions | improvements |\n|---|---|---:|---:|---:|---:|\n");
    sb_printf(&h, "<h2>Summary (geometric means of new/base)</h2>\n<table><tr><th>suite</th>"
                  "<th>backend</th><th>benchmarks</th><th>geomean</th><th>regressions</th>"
                  "<th>improvements</th></tr>\n");
    for (int si = -1; si < nsuites; si++)
        for (int bi = -1; bi < nbackends; bi++) {
            if (si < 0 && bi >= 0 && nbackends == 1) continue;
            int nr = 0, rg = 0, im = 0;
            for (int i = 0; i < nrows; i++) {
                const crow *r = &rows[i];
                if (si >= 0 && strcmp(row_suite(r->b), suites[si])) continue;
                if (bi >= 0 && strcmp(row_backend(r->b), backends[bi])) continue;
                if (isfinite(r->ratio)) ratios[nr++] = r->ratio;
                rg += r->v == V_REGRESSION || r->v == V_ERROR_NEW;
                im += r->v == V_IMPROVEMENT;
            }
            if (!nr && !rg) continue;
            const char *sn = si < 0 ? "**all**" : suites[si], *bn = bi < 0 ? "**all**" : backends[bi];
            sb_printf(&md, "| %s | %s | %d | %.3f | %d | %d |\n", sn, bn, nr, gsr_geomean(ratios, nr), rg, im);
            sb_printf(&h, "<tr><td>%s</td><td>%s</td><td>%d</td><td>%.3f</td><td>%d</td><td>%d</td></tr>\n",
                      si < 0 ? "<b>all</b>" : suites[si], bi < 0 ? "<b>all</b>" : backends[bi], nr,
                      gsr_geomean(ratios, nr), rg, im);
        }
    sb_printf(&h, "</table>\n");
    if (only_base || only_new) {
        sb_printf(&md, "\nOnly in base: %d; only in new: %d (not compared).\n", only_base, only_new);
        sb_printf(&h, "<p class=\"note\">Only in base: %d; only in new: %d (not compared).</p>\n",
                  only_base, only_new);
    }
    if (nchart && clabels && cvals) {
        const char *series[1] = {"new / base (median time; < 1 is faster)"};
        const char *colors[1] = {"#1f77b4"};
        sb_printf(&h, "<h2>Ratios</h2>\n");
        svg_log_bars(&h, "new / base per benchmark", clabels, nchart, series, colors, 1, cvals,
                     "median real time, log scale; bars left of 1× are faster in new");
    }
    sb_printf(&md, "\n**Verdict: %s**\n", verdict_line);
    sb_printf(&h, "</body></html>\n");
    free(clabels), free(clabel_buf), free(cvals);
    free(suites), free(backends), free(ratios), free(rows);
    (void)nerr;
    char *m = sb_take(&md), *hh = sb_take(&h), *su = sb_take(&sum);
    if (!m || !hh || !su) {
        free(m), free(hh), free(su);
        return -1;
    }
    if (md_out) *md_out = m; else free(m);
    if (html_out) *html_out = hh; else free(hh);
    if (summary_out) *summary_out = su; else free(su);
    return nreg;
}

/* ---------------------------------------------------------------- one run */

static const char *const peer_names[] = {"onednn:best", "onednn:plain", "xnnpack"};
#define NPEERS 3

static bool layer_seen(const gsr_file *f, int upto, const gsr_bench *b)
{
    for (int j = 0; j < upto; j++) {
        const gsr_bench *c = &f->b[j];
        if (c->parsed && !strcmp(c->suite, b->suite) && !strcmp(c->layout, b->layout) &&
            !strcmp(c->desc, b->desc))
            return true;
    }
    return false;
}

static bool ok(const gsr_bench *b) { return b && !b->error && isfinite(b->median) && b->median > 0; }

int gsr_report_run(const gsr_file *f, char **md_out, char **html_out)
{
    if (md_out) *md_out = NULL;
    if (html_out) *html_out = NULL;
    sbuf md = {0}, h = {0};
    char title[256];
    snprintf(title, sizeof title, "gsconv benchmark report — %s, %s", f->host,
             f->commit[0] ? f->commit : "unknown commit");
    sb_printf(&md, "# %s\n\n", title);
    html_head(&h, title);
    const gsr_file *files[1] = {f};
    const char *heads[1] = {"run"};
    context_rows(&md, &h, files, 1, heads);
    const char *expl =
        "Times are medians over the repetitions of the real time per execution. Speed-up = "
        "peer time / gsconv time (> 1: gsconv is faster). oneDNN = its own blocked layouts "
        "(format_tag::any; the reorders into and out of them are listed separately, not "
        "included); oneDNN (plain) = the benchmark's layout, like gsconv. With a shuffle (sg > 1) "
        "every peer adds its shuffle operator. % peak = GFLOP/s / the FMA peak; % roofline = "
        "GFLOP/s / min(peak, flop per byte x bandwidth of the cache level the layer's bytes fit "
        "in). Model totals = sum over a suite's layers of median x the layer's repeat count.";
    sb_printf(&md, "\n%s\n", expl);
    sb_printf(&h, "<p class=\"note\">%s</p>\n", expl);

    /* ---- model totals */
    gsr_total *t = NULL;
    int nt = 0;
    if (gsr_totals(f, &t, &nt)) return -1;
    const char *tot_backends[4] = {"gsconv:tuned", "onednn:best", "onednn:plain", "xnnpack"};
    sb_printf(&md, "\n## Model totals\n\n| model | layout | gsconv ms | oneDNN ms | oneDNN (plain) ms "
                   "| XNNPACK ms | gsconv speed-up vs best peer |\n|---|---|---:|---:|---:|---:|---:|\n");
    sb_printf(&h, "<h2>Model totals</h2>\n<table><tr><th>model</th><th>layout</th><th>gsconv ms</th>"
                  "<th>oneDNN ms</th><th>oneDNN (plain) ms</th><th>XNNPACK ms</th>"
                  "<th>gsconv speed-up vs best peer</th></tr>\n");
    int ngroups = 0;
    char (*gnames)[160] = calloc((size_t)(nt ? nt : 1), sizeof *gnames);
    const char **gptr = calloc((size_t)(nt ? nt : 1), sizeof *gptr);
    double *gvals = calloc((size_t)(nt ? nt : 1) * 4, sizeof *gvals);
    if (!gnames || !gptr || !gvals) {
        free(gnames), free(gptr), free(gvals), free(t);
        return -1;
    }
    for (int k = 0; k < nt; k++) {
        bool first = true;
        for (int j = 0; j < k; j++)
            if (!strcmp(t[j].suite, t[k].suite) && !strcmp(t[j].layout, t[k].layout)) first = false;
        if (!first) continue;
        const char *mt = gsr_suite_title(f, t[k].suite);
        char cov[64], cov_note[80] = "";
        if (strcmp(gsr_coverage(f, t[k].suite, t[k].layers, cov, sizeof cov), "all convolutions"))
            snprintf(cov_note, sizeof cov_note, " (%s)", cov);
        sb_printf(&md, "| %s%s | %s |", mt, cov_note, t[k].layout);
        sb_printf(&h, "<tr><td>");
        sb_html(&h, mt);
        sb_html(&h, cov_note);
        sb_printf(&h, "</td><td>%s</td>", t[k].layout);
        snprintf(gnames[ngroups], 160, "%s %s", mt, t[k].layout);
        gptr[ngroups] = gnames[ngroups];
        double ours = NAN, best_peer = NAN;
        for (int bi = 0; bi < 4; bi++) {
            const gsr_total *tt = NULL;
            for (int j = 0; j < nt; j++)
                if (!strcmp(t[j].suite, t[k].suite) && !strcmp(t[j].layout, t[k].layout) &&
                    !strcmp(t[j].backend, tot_backends[bi]))
                    tt = &t[j];
            char cell[64];
            double v = NAN;
            if (!tt)
                snprintf(cell, sizeof cell, "–");
            else if (tt->measured < tt->layers)
                snprintf(cell, sizeof cell, "n/a (%d/%d layers)", tt->measured, tt->layers);
            else
                v = tt->seconds * 1e3, snprintf(cell, sizeof cell, "%.3f", v);
            gvals[ngroups * 4 + bi] = v;
            if (bi == 0) ours = v;
            else if (isfinite(v) && !(v >= best_peer)) best_peer = v;
            sb_printf(&md, " %s |", cell);
            sb_printf(&h, "<td>%s</td>", cell);
        }
        char sp[32] = "–";
        if (isfinite(ours) && isfinite(best_peer)) snprintf(sp, sizeof sp, "%.2f×", best_peer / ours);
        sb_printf(&md, " %s |\n", sp);
        sb_printf(&h, "<td>%s</td></tr>\n", sp);
        ngroups++;
    }
    sb_printf(&h, "</table>\n");
    {
        const char *series[4] = {"gsconv", "oneDNN", "oneDNN (plain)", "XNNPACK"};
        const char *colors[4] = {backend_color("gsconv"), backend_color("onednn:best"),
                                 backend_color("onednn:plain"), backend_color("xnnpack")};
        if (ngroups) svg_group_bars(&h, "Model totals (ms, lower is better)", gptr, ngroups, series, colors, 4, gvals);
    }
    free(gnames), free(gptr), free(gvals), free(t);

    /* ---- the channel shuffle: fused against conv + standalone, standalone against copy */
    {
        bool header = false;
        for (int i = 0; i < f->nb; i++) {
            const gsr_bench *b = &f->b[i];
            if (!b->parsed || !gsr_backend_shuffle_only(b->backend)) continue;
            bool first = true; /* one row per (suite, desc, layout) */
            for (int j = 0; j < i; j++) {
                const gsr_bench *c = &f->b[j];
                if (c->parsed && gsr_backend_shuffle_only(c->backend) && !strcmp(c->suite, b->suite) &&
                    !strcmp(c->desc, b->desc) && !strcmp(c->layout, b->layout))
                    first = false;
            }
            if (!first) continue;
            if (!header) {
                header = true;
                const char *intro =
                    "Layers with a channel shuffle (sg > 1). Fused = the plan (gsconv), the shuffle "
                    "applied in its store; unfused = the same layer planned without the shuffle, then "
                    "the standalone gsconv_channel_shuffle; shuffle and copy = that standalone shuffle "
                    "alone and a memcpy of the same bytes (% of copy bandwidth = copy time / shuffle "
                    "time).";
                sb_printf(&md, "\n## Channel shuffle\n\n%s\n\n| model | layer | layout | fused ms | "
                               "unfused ms | fused / unfused | shuffle ms | copy ms | %% of copy "
                               "bandwidth |\n|---|---|---|---:|---:|---:|---:|---:|---:|\n", intro);
                sb_printf(&h, "<h2>Channel shuffle</h2>\n<p class=\"note\">%s</p>\n<table><tr><th>model"
                              "</th><th>layer</th><th>layout</th><th>fused ms</th><th>unfused ms</th><th>"
                              "fused / unfused</th><th>shuffle ms</th><th>copy ms</th><th>%% of copy "
                              "bandwidth</th></tr>\n", intro);
            }
            const char *be[4] = {"gsconv:tuned", "gsconv:unfused", "shuffle:gsconv", "shuffle:copy"};
            double v[4];
            char cell[4][32];
            for (int k = 0; k < 4; k++) {
                const gsr_bench *x = gsr_find(f, b->suite, b->desc, b->layout, be[k]);
                v[k] = ok(x) ? x->median : NAN;
                fmt_ms(v[k], cell[k], sizeof cell[k]);
            }
            char r1[16] = "–", r2[16] = "–";
            if (isfinite(v[0]) && isfinite(v[1])) snprintf(r1, sizeof r1, "%.2f", v[0] / v[1]);
            if (isfinite(v[2]) && isfinite(v[3])) snprintf(r2, sizeof r2, "%.0f%%", 100.0 * v[3] / v[2]);
            const char *st = gsr_suite_title(f, b->suite);
            sb_printf(&md, "| ");
            sb_md(&md, st);
            sb_printf(&md, " | `%s` | %s | %s | %s | %s | %s | %s | %s |\n", b->desc, b->layout, cell[0],
                      cell[1], r1, cell[2], cell[3], r2);
            sb_printf(&h, "<tr><td>");
            sb_html(&h, st);
            sb_printf(&h, "</td><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                          "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
                      b->desc, b->layout, cell[0], cell[1], r1, cell[2], cell[3], r2);
        }
        if (header) sb_printf(&h, "</table>\n");
    }

    /* ---- per suite and layout: one table per layer list, a speed-up chart */
    const int nb = f->nb;
    roof_point *pts = calloc((size_t)(nb ? nb : 1), sizeof *pts);
    char (*plabels)[512] = calloc((size_t)(nb ? nb : 1), sizeof *plabels);
    const char **rlabels = calloc((size_t)(nb ? nb : 1), sizeof *rlabels);
    char (*rlabel_buf)[256] = calloc((size_t)(nb ? nb : 1), sizeof *rlabel_buf);
    double *rvals = calloc((size_t)(nb ? nb : 1) * NPEERS, sizeof *rvals);
    char (*suite_ids)[64] = calloc((size_t)(nb ? nb : 1), sizeof *suite_ids);
    if (!pts || !plabels || !rlabels || !rlabel_buf || !rvals || !suite_ids) {
        free(pts), free(plabels), free(rlabels), free(rlabel_buf), free(rvals), free(suite_ids);
        free(md.s), free(h.s);
        return -1;
    }
    int npts = 0, nsuite_ids = 0;
    for (int i = 0; i < nb; i++) {
        const gsr_bench *b0 = &f->b[i];
        if (!b0->parsed) continue;
        /* the first benchmark of each (suite, layout) starts a section */
        bool first = true;
        for (int j = 0; j < i; j++)
            if (f->b[j].parsed && !strcmp(f->b[j].suite, b0->suite) && !strcmp(f->b[j].layout, b0->layout))
                first = false;
        if (!first) continue;
        int sid = 0;
        while (sid < nsuite_ids && strcmp(suite_ids[sid], b0->suite)) sid++;
        if (sid == nsuite_ids) snprintf(suite_ids[nsuite_ids++], 64, "%s", b0->suite);
        const char *st = gsr_suite_title(f, b0->suite);
        sb_printf(&md, "\n## %s (%s)\n\n| layer | × | gsconv variant | gsconv ms | GFLOP/s | %% peak | "
                       "%% roofline | oneDNN ms (speed-up) | oneDNN plain ms (speed-up) | XNNPACK ms "
                       "(speed-up) |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n", st, b0->layout);
        sb_printf(&h, "<h2>");
        sb_html(&h, st);
        sb_printf(&h, " (%s)</h2>\n<table><tr><th>layer</th><th>&#215;</th><th>gsconv variant</th>"
                      "<th>gsconv ms</th><th>GFLOP/s</th><th>%% peak</th><th>%% roofline</th>"
                      "<th>oneDNN ms (speed-up)</th><th>oneDNN plain ms (speed-up)</th>"
                      "<th>XNNPACK ms (speed-up)</th></tr>\n", b0->layout);
        int nlay = 0;
        bool any_variants = false;
        for (int k = i; k < nb; k++) {
            const gsr_bench *bk = &f->b[k];
            if (!bk->parsed || strcmp(bk->suite, b0->suite) || strcmp(bk->layout, b0->layout)) continue;
            if (strncmp(bk->backend, "gsconv:", 7) == 0 && strcmp(bk->backend, "gsconv:tuned")) any_variants = true;
            if (layer_seen(f, k, bk)) continue;
            const gsr_bench *g = gsr_find(f, bk->suite, bk->desc, bk->layout, "gsconv:tuned");
            char gms[32], gfl[32] = "–", pk[16], rf[16], rep[16] = "1";
            fmt_ms(ok(g) ? g->median : NAN, gms, sizeof gms);
            if (ok(g) && isfinite(g->gflops)) snprintf(gfl, sizeof gfl, "%.1f", g->gflops);
            fmt_pct(ok(g) ? g->peak_frac : NAN, pk, sizeof pk);
            fmt_pct(ok(g) ? g->roofline_frac : NAN, rf, sizeof rf);
            const gsr_bench *any = g ? g : bk;
            if (isfinite(any->repeat)) snprintf(rep, sizeof rep, "%.0f", any->repeat);
            const char *variant = g ? (g->error ? "error" : g->label) : "–";
            sb_printf(&md, "| `%s` | %s | ", bk->desc, rep);
            sb_md(&md, variant);
            sb_printf(&md, " | %s | %s | %s | %s |", gms, gfl, pk, rf);
            sb_printf(&h, "<tr><td><code>%s</code></td><td>%s</td><td>", bk->desc, rep);
            sb_html(&h, variant);
            if (g && g->error) {
                sb_printf(&h, ": ");
                sb_html(&h, g->error_message);
            }
            sb_printf(&h, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>", gms, gfl, pk, rf);
            snprintf(rlabel_buf[nlay], 256, "%s", bk->desc);
            rlabels[nlay] = rlabel_buf[nlay];
            for (int pi = 0; pi < NPEERS; pi++) {
                const gsr_bench *pb = gsr_find(f, bk->suite, bk->desc, bk->layout, peer_names[pi]);
                char cell[160];
                double sp = NAN;
                if (!pb)
                    snprintf(cell, sizeof cell, "–");
                else if (pb->error)
                    snprintf(cell, sizeof cell, "skipped");
                else if (ok(pb)) {
                    char pm[32];
                    fmt_ms(pb->median, pm, sizeof pm);
                    if (ok(g)) {
                        sp = pb->median / g->median;
                        snprintf(cell, sizeof cell, "%s (%.2f×)", pm, sp);
                    } else {
                        snprintf(cell, sizeof cell, "%s", pm);
                    }
                    if (isfinite(pb->reorder_src_ms) && (pb->reorder_src_ms > 0 || pb->reorder_dst_ms > 0)) {
                        const size_t l = strlen(cell);
                        snprintf(cell + l, sizeof cell - l, " +%.3g ms reorders", pb->reorder_src_ms + pb->reorder_dst_ms);
                    }
                } else
                    snprintf(cell, sizeof cell, "n/a");
                rvals[nlay * NPEERS + pi] = sp;
                sb_printf(&md, " %s |", cell);
                sb_printf(&h, "<td%s>", pb && pb->error ? " class=\"few\"" : "");
                sb_html(&h, cell);
                if (pb && pb->error) {
                    sb_printf(&h, "<br><small>");
                    sb_html(&h, pb->error_message);
                    sb_printf(&h, "</small>");
                }
                sb_printf(&h, "</td>");
                /* roofline dots for the peers too */
                if (ok(pb) && isfinite(pb->gflops)) {
                    gsconv_problem p;
                    if (gsconv_problem_parse(&p, bk->desc) == GSCONV_OK) {
                        const double bytes = 4.0 * (double)(gsconv_problem_src_elems(&p) + gsconv_problem_wei_elems(&p) + gsconv_problem_dst_elems(&p));
                        snprintf(plabels[npts], 512, "%s %s %s", bk->desc, bk->layout, pb->backend);
                        pts[npts] = (roof_point){gsconv_problem_flops(&p) / bytes, pb->gflops, 1 + pi, plabels[npts]};
                        npts++;
                    }
                }
            }
            sb_printf(&md, "\n");
            sb_printf(&h, "</tr>\n");
            if (ok(g) && isfinite(g->gflops)) {
                gsconv_problem p;
                if (gsconv_problem_parse(&p, bk->desc) == GSCONV_OK) {
                    const double bytes = 4.0 * (double)(gsconv_problem_src_elems(&p) + gsconv_problem_wei_elems(&p) + gsconv_problem_dst_elems(&p));
                    snprintf(plabels[npts], 512, "%s %s gsconv (%.100s)", bk->desc, bk->layout, g->label);
                    pts[npts] = (roof_point){gsconv_problem_flops(&p) / bytes, g->gflops, 0, plabels[npts]};
                    npts++;
                }
            }
            nlay++;
        }
        sb_printf(&h, "</table>\n");
        /* the variants, when timed (--variants all) */
        if (any_variants) {
            sb_printf(&md, "\nEvery timed variant (ms; * = the plan's choice):\n\n");
            sb_printf(&h, "<h3>Every timed variant (ms; * = the plan's choice)</h3>\n<table><tr><th>layer</th><th>variants</th></tr>\n");
            for (int k = i; k < nb; k++) {
                const gsr_bench *bk = &f->b[k];
                if (!bk->parsed || strcmp(bk->suite, b0->suite) || strcmp(bk->layout, b0->layout) ||
                    layer_seen(f, k, bk))
                    continue;
                const gsr_bench *g = gsr_find(f, bk->suite, bk->desc, bk->layout, "gsconv:tuned");
                sb_printf(&md, "- `%s`:", bk->desc);
                sb_printf(&h, "<tr><td><code>%s</code></td><td>", bk->desc);
                double best = INFINITY;
                for (int v = k; v < nb; v++) {
                    const gsr_bench *bv = &f->b[v];
                    if (bv->parsed && !strcmp(bv->suite, bk->suite) && !strcmp(bv->layout, bk->layout) &&
                        !strcmp(bv->desc, bk->desc) && !strncmp(bv->backend, "gsconv:", 7) &&
                        strcmp(bv->backend, "gsconv:tuned") && ok(bv) && bv->median < best)
                        best = bv->median;
                }
                for (int v = k; v < nb; v++) {
                    const gsr_bench *bv = &f->b[v];
                    if (!(bv->parsed && !strcmp(bv->suite, bk->suite) && !strcmp(bv->layout, bk->layout) &&
                          !strcmp(bv->desc, bk->desc) && !strncmp(bv->backend, "gsconv:", 7) &&
                          strcmp(bv->backend, "gsconv:tuned")))
                        continue;
                    char ms[32];
                    fmt_ms(ok(bv) ? bv->median : NAN, ms, sizeof ms);
                    const bool chosen = g && !strcmp(g->label, bv->backend + 7);
                    const bool fastest = ok(bv) && bv->median == best;
                    sb_printf(&md, " %s%s %s%s%s;", fastest ? "**" : "", bv->backend + 7, ms,
                              chosen ? "\\*" : "", fastest ? "**" : "");
                    sb_printf(&h, "%s%s %s%s%s; ", fastest ? "<b>" : "", bv->backend + 7, ms,
                              chosen ? "*" : "", fastest ? "</b>" : "");
                }
                sb_printf(&md, "\n");
                sb_printf(&h, "</td></tr>\n");
            }
            sb_printf(&h, "</table>\n");
        }
        {
            const char *series[NPEERS] = {"vs oneDNN (blocked)", "vs oneDNN (plain)", "vs XNNPACK"};
            const char *colors[NPEERS] = {backend_color("onednn:best"), backend_color("onednn:plain"),
                                          backend_color("xnnpack")};
            bool any = false;
            for (int q = 0; q < nlay * NPEERS; q++) any |= isfinite(rvals[q]);
            if (any) {
                char ct[300];
                snprintf(ct, sizeof ct, "gsconv speed-up per layer: %s (%s)", st, b0->layout);
                svg_log_bars(&h, ct, rlabels, nlay, series, colors, NPEERS, rvals,
                             "peer time / gsconv time, log scale; right of 1× = gsconv faster");
            }
            for (int q = 0; q < nlay * NPEERS; q++) rvals[q] = NAN;
        }
    }
    /* ---- roofline */
    if (npts) {
        const double bw[3] = {isfinite(f->bandwidth_gbs) ? f->bandwidth_gbs : 0,
                              isfinite(f->bw_l3_gbs) ? f->bw_l3_gbs : 0,
                              isfinite(f->bw_l2_gbs) ? f->bw_l2_gbs : 0};
        const char *bwn[3] = {"memory", "L3", "L2"};
        const char *series[4] = {"gsconv", "oneDNN", "oneDNN (plain)", "XNNPACK"};
        const char *colors[4] = {backend_color("gsconv"), backend_color("onednn:best"),
                                 backend_color("onednn:plain"), backend_color("xnnpack")};
        sb_printf(&h, "<h2>Roofline</h2>\n<p class=\"note\">Every layer (all suites and layouts) at "
                      "its median GFLOP/s, against the FMA peak and the bandwidth from memory, the last "
                      "cache and L2 (the roofline bound of a layer uses the level its bytes fit "
                      "in).</p>\n");
        svg_roofline(&h, "Roofline", isfinite(f->peak_gflops) ? f->peak_gflops : 0, bw, bwn, 3,
                     pts, npts, series, colors, 4);
    }
    sb_printf(&h, "</body></html>\n");
    free(pts), free(plabels), free(rlabels), free(rlabel_buf), free(rvals), free(suite_ids);
    char *m = sb_take(&md), *hh = sb_take(&h);
    if (!m || !hh) {
        free(m), free(hh);
        return -1;
    }
    if (md_out) *md_out = m; else free(m);
    if (html_out) *html_out = hh; else free(hh);
    return 0;
}
