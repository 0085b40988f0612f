/* experiments/report/plots.c: sweep, learning-curve and word-map plots. */
#include "experiments/report/plots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/common.h"
#include "core/escape.h"
#include "db/lab.h"
#include "experiments/report/plot.h"
#include "experiments/report/sweep_stats.h"

int64_t latest_sweep(sqlite3 *db) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT max(id) FROM sweeps", &st) != 0)
        return -1;
    int64_t id =
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    if (id < 0)
        el_fail("the lab database has no sweeps yet ('embedlab sweep')");
    return id;
}

static int cell_colour(const char *cell) {
    if (!strcmp(cell, "rnn"))
        return 1;
    if (!strcmp(cell, "lstm"))
        return 2;
    if (!strcmp(cell, "gru"))
        return 7;
    return 4;
}

/* What a line shows, "KIND CELL[ SETTING]SUFFIX", escaped by esc (core/escape.h). */
static char *line_title(const SeriesPoint *p, const char *suffix, char *(*esc)(const char *)) {
    char text[512];
    snprintf(text, sizeof text, "%s %s%s%s%s", p->kind, p->cell, p->setting[0] ? " " : "", p->setting, suffix);
    return esc(text);
}

int plot_sweep(sqlite3 *db, int64_t sweep, const char *image) {
    PlotFiles pf;
    if (plot_files(image, &pf) != 0)
        return -1;
    Series series;
    if (sweep_series(db, sweep, &series) != 0)
        return -1;
    OutFile dat, gp;
    if (plot_open_data(&pf, &dat) != 0) {
        series_free(&series);
        return -1;
    }
    /* Lines (one per cell, kind and setting) go to the data file as blocks,
     * one-hot points become baselines. */
    enum { MAX_LINES = 64 };
    const SeriesPoint *lines[MAX_LINES], *base[MAX_LINES];
    int nlines = 0, nbase = 0, dmin = 1 << 30, dmax = 0;
    for (int i = 0; i < series.n; i++) {
        const SeriesPoint *p = &series.points[i];
        if (p->baseline) {
            if (nbase < MAX_LINES)
                base[nbase++] = p;
            continue;
        }
        if (p->dim < dmin)
            dmin = p->dim;
        if (p->dim > dmax)
            dmax = p->dim;
        const SeriesPoint *last = nlines ? lines[nlines - 1] : NULL;
        if (!last || !series_same_line(p, last)) {
            if (nlines == MAX_LINES)
                break;
            char *what = line_title(p, "", esc_line);
            fprintf(dat.f, "%s# %s: dim mean_test_acc std n_seeds\n", nlines ? "\n\n" : "", what);
            free(what);
            lines[nlines++] = p;
        }
        fprintf(dat.f, "%d %.6f %.6f %d\n", p->dim, p->mean, p->sd, p->n);
    }
    if (dmax == 0)
        dmin = 16, dmax = 128;
    if (outfile_commit(&dat) != 0 ||
        plot_open_script(&pf, series.settings ? 1200 : 960, 600, &gp) != 0) { /* room for the longer key */
        series_free(&series);
        return -1;
    }
    fprintf(gp.f,
            "# Sweep %lld written by embedlab; edit and rerun with: gnuplot %s\n"
            "set title 'Sweep %lld: test accuracy by embedding size (mean and std over seeds)'\n"
            "set xlabel 'embedding size'\nset ylabel 'test accuracy'\n"
            "set logscale x 2\nset xrange [%g:%g]\nset xtics (",
            (long long)sweep, pf.script_name, (long long)sweep, dmin / 1.3, dmax * 1.3);
    for (int d = dmin; d <= dmax && d > 0; d *= 2)
        fprintf(gp.f, "%s%d", d > dmin ? ", " : "", d);
    fprintf(gp.f,
            ")\nset key outside right center\nset grid lc rgb '#dddddd'\nset offsets 0, 0, graph 0.05, graph 0.05\n"
            "plot ");
    /* Colour says the cell, or the cell and setting when the grid varies one;
     * the line and point style say the input kind. */
    const SeriesPoint *pairs[2 * MAX_LINES];
    int npairs = 0;
    int colour[2 * MAX_LINES]; /* per line, then per baseline */
    for (int i = 0; i < nlines + nbase; i++) {
        const SeriesPoint *p = i < nlines ? lines[i] : base[i - nlines];
        int k = 0;
        while (k < npairs && (strcmp(pairs[k]->cell, p->cell) || strcmp(pairs[k]->setting, p->setting)))
            k++;
        if (k == npairs)
            pairs[npairs++] = p;
        colour[i] = series.settings ? 1 + k : cell_colour(p->cell);
    }
    int first = 1;
    for (int i = 0; i < nlines; i++, first = 0) {
        const SeriesPoint *p = lines[i];
        int k = p->style >= 0 && p->style <= 2 ? p->style : 0;
        static const char *style[3] = {"dt 1 pt 7", "dt 4 pt 4", "dt 3 pt 9"};
        char *title = line_title(p, "", esc_gnuplot);
        fprintf(gp.f, "%s%s index %d using 1:2:3 with yerrorlines lw 2 lc %d %s title %s noenhanced",
                first ? "" : ", \\\n     ", pf.data_ref, i, colour[i], style[k], title);
        free(title);
    }
    for (int b = 0; b < nbase; b++, first = 0) {
        const SeriesPoint *p = base[b];
        char mean[64];
        snprintf(mean, sizeof mean, " (%.3f ± %.3f)", p->mean, p->sd);
        char *title = line_title(p, mean, esc_gnuplot);
        fprintf(gp.f, "%s%.6f with lines dt 2 lw 1.5 lc %d title %s noenhanced", first ? "" : ", \\\n     ", p->mean,
                colour[nlines + b], title);
        free(title);
    }
    fprintf(gp.f, "\n");
    series_free(&series);
    if (outfile_commit(&gp) != 0)
        return -1;
    return plot_run(&pf);
}

int plot_curves(sqlite3 *db, const int64_t *runs, int nruns, const char *image) {
    PlotFiles pf;
    if (plot_files(image, &pf) != 0)
        return -1;
    OutFile dat, gp;
    if (plot_open_data(&pf, &dat) != 0)
        return -1;
    sqlite3_stmt *st;
    if (lab_prepare(
            db, "SELECT epoch, train_loss, val_loss, train_acc, val_acc FROM epochs WHERE run_id = ? ORDER BY epoch",
            &st) != 0) {
        outfile_abort(&dat);
        return -1;
    }
    char titles[64][128];
    int max_epoch = 1;
    for (int i = 0; i < nruns && i < 64; i++) {
        sqlite3_stmt *t;
        if (lab_prepare(db,
                        "SELECT printf('run %d: %s%s', id, json_extract(config, '$.cell'),"
                        " CASE json_extract(config, '$.input') WHEN 'onehot' THEN ' one-hot' ELSE"
                        " ' ' || json_extract(config, '$.embedding') || '-' || json_extract(config, '$.dim') END)"
                        " FROM runs WHERE id = ?",
                        &t) != 0)
            break;
        sqlite3_bind_int64(t, 1, runs[i]);
        int found = sqlite3_step(t) == SQLITE_ROW;
        snprintf(titles[i], sizeof titles[i], "%s", found ? (const char *)sqlite3_column_text(t, 0) : "");
        sqlite3_finalize(t);
        if (!found) {
            outfile_abort(&dat);
            sqlite3_finalize(st);
            return el_fail("no run %lld (see 'embedlab runs')", (long long)runs[i]);
        }
        char *what = esc_line(titles[i]);
        fprintf(dat.f, "%s# %s: epoch train_loss val_loss train_acc val_acc\n", i ? "\n\n" : "", what);
        free(what);
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, runs[i]);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            if (sqlite3_column_int(st, 0) > max_epoch)
                max_epoch = sqlite3_column_int(st, 0);
            fprintf(dat.f, "%d %.6f %.6f %.6f %.6f\n", sqlite3_column_int(st, 0), sqlite3_column_double(st, 1),
                    sqlite3_column_double(st, 2), sqlite3_column_double(st, 3), sqlite3_column_double(st, 4));
        }
        if (!rows)
            fprintf(dat.f, "0 NaN NaN NaN NaN\n");
    }
    sqlite3_finalize(st);
    if (outfile_commit(&dat) != 0 || plot_open_script(&pf, 1100, 520 + 18 * nruns, &gp) != 0)
        return -1;
    fprintf(gp.f,
            "# Learning curves written by embedlab; edit and rerun with: gnuplot %s\n"
            "set multiplot layout 1,2 title 'Training (solid) and validation (dashed) per epoch'\n"
            "set grid lc rgb '#dddddd'\nset xlabel 'epoch'\nset xtics %d\n",
            pf.script_name,
            max_epoch <= 20   ? 1
            : max_epoch <= 60 ? 5
                              : 10);
    const char *panels[2][3] = {{"loss (binary cross-entropy)", "2", "3"}, {"accuracy", "4", "5"}};
    for (int p = 0; p < 2; p++) {
        fprintf(gp.f, "set ylabel '%s'\nset key below vertical\nplot ", panels[p][0]);
        for (int i = 0; i < nruns && i < 64; i++) {
            char *title = esc_gnuplot(titles[i]);
            fprintf(gp.f,
                    "%s%s index %d using 1:%s with linespoints lc %d pt 7 ps 0.6 title %s noenhanced, %s index %d "
                    "using 1:%s with linespoints lc %d dt 2 pt 6 ps 0.6 notitle",
                    i ? ", \\\n     " : "", pf.data_ref, i, panels[p][1], i + 1, title, pf.data_ref, i, panels[p][2],
                    i + 1);
            free(title);
        }
        fprintf(gp.f, "\n");
    }
    fprintf(gp.f, "unset multiplot\n");
    if (outfile_commit(&gp) != 0)
        return -1;
    return plot_run(&pf);
}

/* LAPACK's symmetric eigensolver (Fortran interface of OpenBLAS's LAPACK). */
extern void ssyev_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w, float *work,
                   const int *lwork, int *info);

int pca2(const float *x, int n, int dim, float *out) {
    if (n < 2)
        return el_fail("a word map needs two or more words");
    double *mean = xcalloc(dim, sizeof *mean);
    for (int i = 0; i < n; i++)
        for (int d = 0; d < dim; d++)
            mean[d] += x[(size_t)i * dim + d] / n;
    /* Covariance (dim x dim; column-major is the same for a symmetric
     * matrix) as one BLAS product of the centred rows: the loop it replaces
     * took 14.7 s for embedlab serve's projector of 20,000 words x 300. */
    float *cov = xcalloc((size_t)dim * dim, sizeof *cov), *w = xmalloc(dim * sizeof *w);
    real *xc = xmalloc((size_t)n * dim * sizeof *xc), *c = xcalloc((size_t)dim * dim, sizeof *c);
    for (int i = 0; i < n; i++)
        for (int d = 0; d < dim; d++)
            xc[(size_t)i * dim + d] = (real)(x[(size_t)i * dim + d] - mean[d]);
    mm(1, 0, dim, dim, n, (real)(1.0 / (n - 1)), xc, dim, xc, dim, 0, c, dim);
    for (size_t k = 0; k < (size_t)dim * dim; k++)
        cov[k] = (float)c[k];
    free(xc);
    free(c);
    int lwork = -1, info = 0;
    float q;
    ssyev_("V", "U", &dim, cov, &dim, w, &q, &lwork, &info);
    lwork = (int)q;
    float *work = xmalloc((size_t)(lwork > 1 ? lwork : 1) * sizeof *work);
    ssyev_("V", "U", &dim, cov, &dim, w, work, &lwork, &info);
    free(work);
    if (info != 0) {
        free(mean), free(cov), free(w);
        return el_fail("LAPACK ssyev failed (info %d)", info);
    }
    /* Eigenvalues ascend: the last two columns are the principal axes. */
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            const float *axis = cov + (size_t)(dim - 1 - k) * dim;
            double s = 0;
            for (int d = 0; d < dim; d++)
                s += (x[(size_t)i * dim + d] - mean[d]) * axis[d];
            out[i * 2 + k] = (float)s;
        }
    free(mean), free(cov), free(w);
    return 0;
}

int plot_words(const Embedding *e, const char *name, const int32_t *rows, int n, const char *image) {
    PlotFiles pf;
    if (plot_files(image, &pf) != 0)
        return -1;
    float *x = xmalloc((size_t)n * e->dim * sizeof *x), *xy = xmalloc((size_t)n * 2 * sizeof *xy);
    for (int i = 0; i < n; i++)
        memcpy(x + (size_t)i * e->dim, e->unit + (size_t)rows[i] * e->dim, e->dim * sizeof *x);
    int rc = pca2(x, n, e->dim, xy);
    free(x);
    if (rc != 0) {
        free(xy);
        return -1;
    }
    /* Words go into the script as gnuplot strings, one array element each:
     * a word may hold spaces, quotes or '#', which no data file column can. */
    OutFile dat, gp;
    if (plot_open_data(&pf, &dat) != 0) {
        free(xy);
        return -1;
    }
    char *what = esc_line(name);
    fprintf(dat.f, "# pc1 pc2 (PCA of the unit vectors of %s; row i is the word words[i + 1] of the .gp)\n", what);
    free(what);
    for (int i = 0; i < n; i++)
        fprintf(dat.f, "%.6f %.6f\n", xy[i * 2], xy[i * 2 + 1]);
    free(xy);
    if (outfile_commit(&dat) != 0 || plot_open_script(&pf, 800, 640, &gp) != 0)
        return -1;
    char title[512];
    snprintf(title, sizeof title, "Words of %s: first two principal components of their unit vectors", name);
    char *qtitle = esc_gnuplot(title);
    fprintf(gp.f,
            "# Word map written by embedlab; edit and rerun with: gnuplot %s\n"
            "set title %s noenhanced\n"
            "set xlabel 'PC1'\nset ylabel 'PC2'\nset grid lc rgb '#eeeeee'\nset offsets graph 0.12, graph 0.12, graph "
            "0.08, graph 0.08\nunset key\narray words[%d] = [",
            pf.script_name, qtitle, n);
    free(qtitle);
    for (int i = 0; i < n; i++) {
        char *w = esc_gnuplot(emb_word(e, rows[i]));
        fprintf(gp.f, "%s%s", i ? ", " : "", w);
        free(w);
    }
    fprintf(gp.f,
            "]\nplot %s using 1:2 with points pt 7 ps 1.3 lc rgb '#4a78c2', %s using 1:2:(words[int($0) + 1]) with "
            "labels offset 0,1 font ',12' noenhanced\n",
            pf.data_ref, pf.data_ref);
    if (outfile_commit(&gp) != 0)
        return -1;
    return plot_run(&pf);
}
