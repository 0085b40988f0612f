/* experiments/report/sweep_stats.h: a sweep's finished runs, grouped the way the
 * plot and the report show them.
 *
 *   sweep_runs_view  creates the connection's TEMP view sweep_runs: one row per
 *                    run of a sweep with its cell, input kind, setting and dim
 *   sweep_series     mean and spread of test accuracy over seeds, one point per
 *                    (cell, kind, setting, dim)
 *   series_same_line whether two points share cell, kind and setting
 *
 * A setting is what the grid varies besides cell, input, dim and seed (for
 * `--units 8,32 --lr 1e-3,1e-4`: "units=8 lr=1e-3"), empty when nothing else
 * varies. Runs of different settings are never averaged together. */
#ifndef EL_SWEEP_STATS_H
#define EL_SWEEP_STATS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* TEMP VIEW sweep_runs(run_id, sweep_id, cell, kind, style, baseline,
 * setting, dim, test_acc, params, input_bytes, onehot_bytes,
 * seconds_per_epoch, epochs, threads) over the finished runs; kind is the
 * label of the run's recorded input kind (experiments/run/input_kind.h: 'one-hot',
 * 'random', 'word2vec', 'word2vec (frozen)', 'NAME (word2vec)', ...), style
 * its plot line, baseline 1 for one-hot; dim is 0 for one-hot. Also
 * registers the collation "natural_order" (units=4 before units=16) that
 * orders settings, and the SQL functions the view uses. Idempotent. */
int sweep_runs_view(sqlite3 *db);

/* The natural_order collation: settings in the order a person reads numbers,
 * units=4 before units=16 and lr=1e-4 before lr=0.001. Decimal numerals
 * compare as numbers, other bytes byte by byte; strings equal that way
 * ("01" and "1") fall back to plain byte order. A total order (antisymmetric,
 * transitive, 0 only for identical strings), as SQLite requires. */
int natural_compare(const char *a, size_t na, const char *b, size_t nb);

typedef struct {
    char cell[16], kind[160], setting[192];
    int dim, n;      /* n: seeds */
    int style;       /* the kind's plot line (experiments/run/input_kind.h) */
    int baseline;    /* one-hot: no embedding */
    double mean, sd; /* test accuracy: mean and sample standard deviation */
    double params;   /* trainable parameters, mean over seeds */
    double seconds;  /* seconds per epoch, mean over seeds */
} SeriesPoint;

typedef struct {
    SeriesPoint *points; /* one-hot first, then by cell, kind, setting, dim */
    int n;
    int settings; /* 1: the grid varies an option besides cell, input, dim, seed */
} Series;

/* The sweep's finished runs, grouped; -1 with a message on error or when the
 * sweep has no finished run yet. */
int sweep_series(sqlite3 *db, int64_t sweep, Series *out);
void series_free(Series *s);

/* Two points of one line of the plot, one row of the report's table. */
int series_same_line(const SeriesPoint *a, const SeriesPoint *b);

#endif
