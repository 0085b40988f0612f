/* experiments/sweep_stats.c: a sweep's runs grouped for the plot and the report. */
#include "experiments/sweep_stats.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"

/* The setting comes from the run's grid point, sweep_key ("cell=gru
 * input=random dim=8 units=32 seed=1"): spelt as a JSON object, stripped of
 * cell, input, dim and seed by json_remove, and spelt back as "units=32". A
 * key that does not make valid JSON (a value with a quote in it) keeps its
 * runs apart from the others rather than pooling them. */
static const char view_sql[] =
    "CREATE TEMP VIEW IF NOT EXISTS sweep_runs AS\n"
    "SELECT run_id, sweep_id, cell, kind, dim, test_acc, params, input_bytes, onehot_bytes, seconds_per_epoch,\n"
    "  epochs, threads,\n"
    "  CASE WHEN json_valid(j) THEN replace(replace(replace(replace(replace(\n"
    "    json_remove(j, '$.cell', '$.input', '$.dim', '$.seed'), '{\"', ''), '\"}', ''), '\":\"', '='),\n"
    "    '\",\"', ' '), '{}', '') ELSE coalesce(key, '') END AS setting\n"
    "FROM (SELECT rr.run_id, rr.sweep_id, rr.cell, coalesce(rr.dim, 0) AS dim, rr.test_acc, rr.params,\n"
    "    rr.seconds_per_epoch, rr.epochs, s.input_bytes, s.onehot_bytes, r.sweep_key AS key,\n"
    "    json_extract(r.config, '$.threads') AS threads,\n"
    "    CASE WHEN rr.input = 'onehot' THEN 'one-hot' WHEN rr.embedding = 'random' THEN 'random'\n"
    "      WHEN json_extract(r.config, '$.freeze') THEN 'word2vec (frozen)' ELSE 'word2vec' END AS kind,\n"
    "    '{\"' || replace(replace(coalesce(r.sweep_key, ''), '=', '\":\"'), ' ', '\",\"') || '\"}' AS j\n"
    "  FROM run_results rr JOIN runs r ON r.id = rr.run_id JOIN results s ON s.run_id = rr.run_id\n"
    "  WHERE rr.sweep_id IS NOT NULL AND rr.status = 'finished')";

/* Settings in the order a person reads numbers: units=4 before units=16,
 * lr=1e-4 before lr=0.001. Runs of digits (with a sign, point or exponent)
 * compare as numbers, everything else byte by byte. */
static int natural_compare(void *unused, int na, const void *a, int nb, const void *b) {
    (void)unused;
    char x[256], y[256];
    snprintf(x, sizeof x, "%.*s", na, (const char *)a);
    snprintf(y, sizeof y, "%.*s", nb, (const char *)b);
    const char *p = x, *q = y;
    while (*p && *q) {
        if (isdigit((unsigned char)*p) && isdigit((unsigned char)*q)) {
            char *pe, *qe;
            double u = strtod(p, &pe), v = strtod(q, &qe);
            if (u != v)
                return u < v ? -1 : 1;
            p = pe, q = qe;
        } else if (*p != *q) {
            return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        } else {
            p++, q++;
        }
    }
    return (*p != 0) - (*q != 0);
}

int sweep_runs_view(sqlite3 *db) {
    if (sqlite3_create_collation(db, "natural_order", SQLITE_UTF8, NULL, natural_compare) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    return lab_exec(db, view_sql);
}

int sweep_series(sqlite3 *db, int64_t sweep, Series *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (sweep_runs_view(db) != 0 ||
        lab_prepare(
            db,
            "SELECT cell, kind, setting, dim, avg(test_acc),\n"
            "  CASE WHEN count(*) > 1 THEN sqrt(max(sum((test_acc - m) * (test_acc - m)), 0) / (count(*) - 1))\n"
            "  ELSE 0 END, count(*)\n"
            "FROM (SELECT *, avg(test_acc) OVER (PARTITION BY cell, kind, setting, dim) AS m\n"
            "  FROM sweep_runs WHERE sweep_id = ?)\n"
            "GROUP BY cell, kind, setting, dim\n"
            "ORDER BY kind = 'one-hot' DESC, cell, kind, setting COLLATE natural_order, dim",
            &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, sweep);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out->n == cap)
            out->points = xrealloc(out->points, (cap = cap ? cap * 2 : 64) * sizeof *out->points);
        SeriesPoint *p = &out->points[out->n++];
        snprintf(p->cell, sizeof p->cell, "%s", sqlite3_column_text(st, 0));
        snprintf(p->kind, sizeof p->kind, "%s", sqlite3_column_text(st, 1));
        snprintf(p->setting, sizeof p->setting, "%s", sqlite3_column_text(st, 2));
        p->dim = sqlite3_column_int(st, 3);
        p->mean = sqlite3_column_double(st, 4);
        p->sd = sqlite3_column_double(st, 5);
        p->n = sqlite3_column_int(st, 6);
        out->settings |= p->setting[0] != 0;
    }
    sqlite3_finalize(st);
    if (out->n == 0) {
        series_free(out);
        return el_fail("sweep %lld has no finished runs yet", (long long)sweep);
    }
    return 0;
}

void series_free(Series *s) {
    free(s->points);
    memset(s, 0, sizeof *s);
}

int series_same_line(const SeriesPoint *a, const SeriesPoint *b) {
    return !strcmp(a->cell, b->cell) && !strcmp(a->kind, b->kind) && !strcmp(a->setting, b->setting);
}
