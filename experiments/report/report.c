/* experiments/report/report.c: Markdown and HTML reports of a sweep. */
#include "experiments/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/escape.h"
#include "core/outfile.h"
#include "db/lab.h"
#include "experiments/report/plots.h"
#include "experiments/report/sweep_stats.h"

/* Markdown and HTML differ only in these. Every text from the lab database
 * goes through esc(): a name or setting from a database made elsewhere may
 * hold markup. */
typedef struct {
    int html;
    FILE *f;
} Out;

static char *esc(const Out *o, const char *text) { return o->html ? esc_html(text) : esc_markdown(text); }

/* text, escaped, as fmt's one %s. */
static void put(Out *o, const char *fmt, const char *text) {
    char *t = esc(o, text ? text : "");
    fprintf(o->f, fmt, t);
    free(t);
}

static void row_start(Out *o) { fputs(o->html ? "<tr>" : "|", o->f); }
static void row_end(Out *o) { fputs(o->html ? "</tr>\n" : "\n", o->f); }
static void cell(Out *o, int head, const char *text) {
    if (o->html)
        put(o, head ? "<th>%s</th>" : "<td>%s</td>", text);
    else
        put(o, " %s |", text);
}
static void rule(Out *o, int ncols) {
    if (o->html)
        return;
    fputc('|', o->f);
    for (int i = 0; i < ncols; i++)
        fputs("---|", o->f);
    fputc('\n', o->f);
}
static void heading(Out *o, const char *text) { put(o, o->html ? "<h2>%s</h2>\n" : "\n## %s\n\n", text); }
static void table_start(Out *o) {
    if (o->html)
        fputs("<table>\n", o->f);
}
static void table_end(Out *o) {
    if (o->html)
        fputs("</table>\n", o->f);
}

/* Where the sweep's runs ran: each machine and build (the runs' provenance)
 * with its count, since one seed's numbers can differ in the last digits
 * between CPUs or BLAS kernels. */
static int write_machines(sqlite3 *db, int64_t sweep, Out *o) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT coalesce(printf('%s (%s), OpenBLAS kernel %s, embedlab %s built by %s %s',"
                    " json_extract(provenance, '$.cpu'), json_extract(provenance, '$.isa'),"
                    " json_extract(provenance, '$.blas_kernel'), json_extract(provenance, '$.commit'),"
                    " json_extract(provenance, '$.compiler'), json_extract(provenance, '$.flags')),"
                    " 'not recorded (made before embedlab recorded provenance)'), count(*)"
                    " FROM runs WHERE sweep_id = ?1 AND kind = 'classifier' AND status = 'finished'"
                    " GROUP BY 1 ORDER BY min(id)",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, sweep);
    heading(o, "Where the runs ran");
    if (o->html)
        fputs("<ul>\n", o->f);
    while (sqlite3_step(st) == SQLITE_ROW) {
        char line[1024];
        snprintf(line, sizeof line, "%d run(s) on %s", sqlite3_column_int(st, 1),
                 (const char *)sqlite3_column_text(st, 0));
        put(o, o->html ? "<li>%s</li>\n" : "- %s\n", line);
    }
    if (o->html)
        fputs("</ul>\n", o->f);
    sqlite3_finalize(st);
    return 0;
}

/* The title and the sweep's line: when it started, how many of its grid
 * points finished, its grid spec. */
static void write_header(sqlite3 *db, int64_t sweep, Out *o) {
    sqlite3_stmt *st;
    char spec[2048] = "", when[64] = "";
    int finished = 0, total = 0;
    if (lab_prepare(
            db,
            "SELECT json_extract(config, '$.spec'), created, (SELECT count(*) FROM runs WHERE sweep_id = ?1 AND "
            "status = 'finished'), (SELECT count(DISTINCT sweep_key) FROM runs WHERE sweep_id = ?1) FROM sweeps "
            "WHERE id = ?1",
            &st) == 0) {
        sqlite3_bind_int64(st, 1, sweep);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(spec, sizeof spec, "%s", lab_text(st, 0));
            snprintf(when, sizeof when, "%s", lab_text(st, 1));
            finished = sqlite3_column_int(st, 2);
            total = sqlite3_column_int(st, 3);
        }
        sqlite3_finalize(st);
    }
    FILE *f = o->f;
    if (o->html)
        fprintf(f,
                "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>embedlab sweep %lld</title>\n"
                "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
                "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}"
                "code{background:#f6f6f6}</style></head><body>\n<h1>embedlab report: sweep %lld</h1>\n<p>",
                (long long)sweep, (long long)sweep);
    else
        fprintf(f, "# embedlab report: sweep %lld\n\n", (long long)sweep);
    put(o, "Started %s; ", when);
    fprintf(f, "%d finished runs over %d grid points. ", finished, total);
    put(o, "Grid: <code>%s</code>", spec);
    fputs(o->html ? "</p>\n" : "\n", f);
}

/* The embedding sizes of the series, ascending, at most max of them. */
static int series_dims(const Series *series, int *dims, int max) {
    int nd = 0;
    for (int i = 0; i < series->n; i++) {
        int seen = 0;
        for (int k = 0; k < nd; k++)
            seen |= dims[k] == series->points[i].dim;
        if (!seen && series->points[i].dim > 0 && nd < max)
            dims[nd++] = series->points[i].dim;
    }
    for (int a = 0; a < nd; a++)
        for (int b = a + 1; b < nd; b++)
            if (dims[b] < dims[a]) {
                int t = dims[a];
                dims[a] = dims[b];
                dims[b] = t;
            }
    return nd;
}

/* The accuracy table: a row per cell, input kind and setting, a column per
 * embedding size (one-hot's one value in every column). */
static void write_accuracy(const Series *series, Out *o) {
    const SeriesPoint *s = series->points;
    int n = series->n, settings = series->settings; /* a column for the setting only when the grid varies one */
    int dims[32], nd = series_dims(series, dims, 32);
    heading(o, "Test accuracy (mean ± std over seeds; n seeds)");
    table_start(o);
    row_start(o);
    cell(o, 1, "cell");
    cell(o, 1, "input");
    if (settings)
        cell(o, 1, "setting");
    char buf[128];
    for (int k = 0; k < nd; k++) {
        snprintf(buf, sizeof buf, "dim %d", dims[k]);
        cell(o, 1, buf);
    }
    if (nd == 0)
        cell(o, 1, "all");
    row_end(o);
    rule(o, 2 + settings + (nd ? nd : 1));
    for (int i = 0; i < n; i++) {
        if (i > 0 && series_same_line(&s[i], &s[i - 1]))
            continue;
        row_start(o);
        cell(o, 0, s[i].cell);
        cell(o, 0, s[i].kind);
        if (settings)
            cell(o, 0, s[i].setting);
        for (int k = 0; k < (nd ? nd : 1); k++) {
            const char *text = "";
            for (int j = i; j < n && series_same_line(&s[j], &s[i]); j++)
                if (s[j].dim == 0 || !nd || s[j].dim == dims[k]) {
                    snprintf(buf, sizeof buf, "%.4f ± %.4f (%d)", s[j].mean, s[j].sd, s[j].n);
                    text = buf;
                }
            cell(o, 0, text);
        }
        row_end(o);
    }
    table_end(o);
    if (!o->html)
        fprintf(o->f, "\nOne-hot input has no embedding size: its one value stands in every column.\n");
}

/* One row of the cost table from the query in write_costs. */
static void cost_row(sqlite3_stmt *st, int settings, Out *o) {
    char buf[128];
    row_start(o);
    cell(o, 0, (const char *)sqlite3_column_text(st, 0));
    cell(o, 0, (const char *)sqlite3_column_text(st, 1));
    if (settings)
        cell(o, 0, (const char *)sqlite3_column_text(st, 8));
    int d = sqlite3_column_int(st, 2);
    snprintf(buf, sizeof buf, "%s", d ? (const char *)sqlite3_column_text(st, 2) : "-");
    cell(o, 0, buf);
    snprintf(buf, sizeof buf, "%.0f", sqlite3_column_double(st, 3));
    cell(o, 0, buf);
    if (d)
        snprintf(buf, sizeof buf, "%.2f MB embedding table", sqlite3_column_double(st, 4) / 1e6);
    else
        snprintf(buf, sizeof buf, "%.0f MB as one-hot tensors", sqlite3_column_double(st, 5) / 1e6);
    cell(o, 0, buf);
    snprintf(buf, sizeof buf, "%.2f", sqlite3_column_double(st, 6));
    cell(o, 0, buf);
    snprintf(buf, sizeof buf, "%g", sqlite3_column_double(st, 9));
    cell(o, 0, buf);
    snprintf(buf, sizeof buf, "%.1f", sqlite3_column_double(st, 7));
    cell(o, 0, buf);
    row_end(o);
}

/* The cost table: parameters, input memory, time and threads per
 * configuration, means over seeds. sweep_series() made the sweep_runs view
 * and its natural_order collation. */
static void write_costs(sqlite3 *db, int64_t sweep, int settings, Out *o) {
    heading(o, "Cost per configuration (means over seeds)");
    sqlite3_stmt *st;
    if (lab_prepare(
            db,
            "SELECT cell, kind, dim, avg(params), avg(input_bytes), avg(onehot_bytes), avg(seconds_per_epoch), "
            "avg(epochs), setting, avg(threads) FROM sweep_runs WHERE sweep_id = ? GROUP BY cell, kind, setting, dim "
            "ORDER BY max(baseline) DESC, cell, kind, setting COLLATE natural_order, dim",
            &st) != 0)
        return;
    sqlite3_bind_int64(st, 1, sweep);
    table_start(o);
    row_start(o);
    const char *heads[] = {"cell",         "input",   "setting", "dim",   "parameters",
                           "input memory", "s/epoch", "threads", "epochs"};
    for (int k = 0; k < 9; k++)
        if (k != 2 || settings)
            cell(o, 1, heads[k]);
    row_end(o);
    rule(o, 8 + settings);
    while (sqlite3_step(st) == SQLITE_ROW)
        cost_row(st, settings, o);
    table_end(o);
    sqlite3_finalize(st);
    if (!o->html)
        fprintf(o->f, "\nInput memory: the training set as one-hot tensors (what a one-hot model is fed in Keras), "
                      "against the embedding table an embedding model keeps. embedlab never builds the one-hot "
                      "tensors: a one-hot input picks a row of the first layer's weights.\n");
}

/* The one-hot baseline of point p's cell and setting, or NULL. */
static const SeriesPoint *baseline_of(const Series *series, const SeriesPoint *p) {
    for (int j = 0; j < series->n; j++) {
        const SeriesPoint *b = &series->points[j];
        if (b->baseline && !strcmp(b->cell, p->cell) && !strcmp(b->setting, p->setting))
            return b;
    }
    return NULL;
}

/* a's mean accuracy minus b's, and the standard error of that difference,
 * both in points (hundredths). */
static double points_diff(const SeriesPoint *a, const SeriesPoint *b, double *se) {
    *se = 100 * sqrt(a->sd * a->sd / a->n + b->sd * b->sd / b->n);
    return 100 * (a->mean - b->mean);
}

/* The conclusion for the cell and setting of point i, in line: its best
 * embedding input against its one-hot baseline, when the sweep has both. */
static void conclusion(const Series *series, int i, char *line, size_t size) {
    const SeriesPoint *s = series->points, *base = baseline_of(series, &s[i]), *best = NULL;
    for (int j = 0; j < series->n; j++)
        if (!s[j].baseline && !strcmp(s[j].cell, s[i].cell) && !strcmp(s[j].setting, s[i].setting) &&
            (!best || s[j].mean > best->mean))
            best = &s[j];
    char who[256];
    if (s[i].setting[0])
        snprintf(who, sizeof who, "%s (%s)", s[i].cell, s[i].setting);
    else
        snprintf(who, sizeof who, "%s", s[i].cell);
    if (base && best) {
        double se, diff = points_diff(best, base, &se);
        if (fabs(diff) < 0.05)
            snprintf(line, size, "%s: %s-%d matches one-hot, ± %.1f points (%.4f against %.4f)", who, best->kind,
                     best->dim, se, best->mean, base->mean);
        else
            snprintf(line, size, "%s: %s-%d %s one-hot by %.1f ± %.1f points (%.4f against %.4f)", who, best->kind,
                     best->dim, diff > 0 ? "beats" : "trails", fabs(diff), se, best->mean, base->mean);
    } else if (best) {
        snprintf(line, size, "%s: best is %s-%d at %.4f (no one-hot baseline in this sweep)", who, best->kind,
                 best->dim, best->mean);
    } else {
        snprintf(line, size, "%s: one-hot only, %.4f", who, base ? base->mean : 0);
    }
}

/* Every embedding input against its one-hot baseline: the points of test
 * accuracy it gains or loses (± the standard error of the difference), and
 * what it costs, as multiples of one-hot's parameters and seconds per epoch.
 * Written only when the sweep has a baseline. */
static void write_against_onehot(const Series *series, Out *o) {
    const SeriesPoint *s = series->points;
    int any = 0;
    for (int i = 0; i < series->n && !any; i++)
        any = !s[i].baseline && baseline_of(series, &s[i]);
    if (!any)
        return;
    heading(o, "Each input against one-hot (points of test accuracy; cost as a multiple of the one-hot run)");
    table_start(o);
    row_start(o);
    const char *heads[] = {"cell", "input", "setting", "dim", "points", "parameters", "s/epoch"};
    for (int k = 0; k < 7; k++)
        if (k != 2 || series->settings)
            cell(o, 1, heads[k]);
    row_end(o);
    rule(o, 6 + series->settings);
    char buf[96];
    for (int i = 0; i < series->n; i++) {
        const SeriesPoint *b = baseline_of(series, &s[i]);
        if (s[i].baseline || !b)
            continue;
        row_start(o);
        cell(o, 0, s[i].cell);
        cell(o, 0, s[i].kind);
        if (series->settings)
            cell(o, 0, s[i].setting);
        snprintf(buf, sizeof buf, "%d", s[i].dim);
        cell(o, 0, buf);
        double se, diff = points_diff(&s[i], b, &se);
        snprintf(buf, sizeof buf, "%+.1f ± %.1f", diff, se);
        cell(o, 0, buf);
        snprintf(buf, sizeof buf, "%.0f (%.2fx)", s[i].params, b->params > 0 ? s[i].params / b->params : 0);
        cell(o, 0, buf);
        snprintf(buf, sizeof buf, "%.2f (%.2fx)", s[i].seconds, b->seconds > 0 ? s[i].seconds / b->seconds : 0);
        cell(o, 0, buf);
        row_end(o);
    }
    table_end(o);
}

/* One conclusion per cell and setting, at its first point. */
static void write_conclusions(const Series *series, Out *o) {
    const SeriesPoint *s = series->points;
    heading(o, "Conclusions");
    if (o->html)
        fputs("<ul>\n", o->f);
    for (int i = 0; i < series->n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= !strcmp(s[j].cell, s[i].cell) && !strcmp(s[j].setting, s[i].setting);
        if (seen)
            continue;
        char line[512];
        conclusion(series, i, line, sizeof line);
        put(o, o->html ? "<li>%s</li>\n" : "- %s\n", line);
    }
    if (o->html)
        fputs("</ul>\n<p>± in a conclusion is the standard error of the difference of the two means.</p>\n", o->f);
    else
        fprintf(o->f, "\n± in a conclusion is the standard error of the difference of the two means; in the tables, "
                      "the sample standard deviation over seeds.\n");
}

static int write_report(sqlite3 *db, int64_t sweep, Out *o, const char *plot_data_uri) {
    Series series;
    if (sweep_series(db, sweep, &series) != 0)
        return -1;
    write_header(db, sweep, o);
    write_accuracy(&series, o);
    if (plot_data_uri) /* base64: nothing to escape */
        fprintf(o->f, "<p><img alt='sweep plot' src='%s'></p>\n", plot_data_uri);
    write_costs(db, sweep, series.settings, o);
    write_against_onehot(&series, o);
    write_conclusions(&series, o);
    series_free(&series);
    int rc = write_machines(db, sweep, o);
    if (o->html)
        fputs("</body></html>\n", o->f);
    return rc;
}

int report_markdown(sqlite3 *db, int64_t sweep, FILE *out) {
    Out o = {0, out};
    return write_report(db, sweep, &o, NULL);
}

static char *base64_file(const char *path) {
    char *data;
    size_t len;
    if (read_file(path, &data, &len) != 0)
        return NULL;
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *prefix = "data:image/png;base64,";
    size_t plen = strlen(prefix);
    char *out = xmalloc(plen + 4 * ((len + 2) / 3) + 1), *p = out + plen;
    memcpy(out, prefix, plen);
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint8_t)data[i] << 16;
        if (i + 1 < len)
            v |= (uint8_t)data[i + 1] << 8;
        if (i + 2 < len)
            v |= (uint8_t)data[i + 2];
        *p++ = tab[v >> 18 & 63];
        *p++ = tab[v >> 12 & 63];
        *p++ = i + 1 < len ? tab[v >> 6 & 63] : '=';
        *p++ = i + 2 < len ? tab[v & 63] : '=';
    }
    *p = 0;
    free(data);
    return out;
}

int report_html(sqlite3 *db, int64_t sweep, const char *path) {
    /* The sweep plot goes next to the page, and into it as a data URI. */
    char png[4200];
    snprintf(png, sizeof png, "%s", path);
    char *dot = strrchr(png, '.'), *slash = strrchr(png, '/');
    if (dot && (!slash || dot > slash))
        *dot = 0;
    strncat(png, "-sweep.png", sizeof png - strlen(png) - 1);
    char *uri = NULL;
    if (plot_sweep(db, sweep, png) == 0)
        uri = base64_file(png);
    if (!uri) /* the page is still worth having (gnuplot may not be installed) */
        fprintf(stderr, "embedlab: warning: the report has no plot: %s\n", el_error());
    OutFile f;
    if (outfile_open(&f, path) != 0) {
        free(uri);
        return -1;
    }
    Out o = {1, f.f};
    int rc = write_report(db, sweep, &o, uri);
    free(uri);
    if (rc != 0) {
        outfile_abort(&f);
        return -1;
    }
    return outfile_commit(&f);
}
