/* experiments/report/plots.h: the pictures of a study, from the lab database.
 *
 *   plot_sweep   test accuracy against embedding size (log2 axis), one line per
 *                cell, input kind and setting (experiments/report/sweep_stats.h), mean
 *                with error bars (std over seeds), one-hot baselines as
 *                horizontal lines
 *   plot_curves  training and validation loss and accuracy per epoch
 *   plot_words   a 2-D map of words: PCA of their vectors (LAPACK's ssyev)
 * Each writes IMAGE, IMAGE's .dat and .gp beside it (experiments/report/plot.h). */
#ifndef EL_PLOTS_H
#define EL_PLOTS_H

#include <sqlite3.h>
#include <stdint.h>

#include "embed/vectors.h"

/* The newest sweep's id, or -1 with a message. */
int64_t latest_sweep(sqlite3 *db);

int plot_sweep(sqlite3 *db, int64_t sweep, const char *image);
int plot_curves(sqlite3 *db, const int64_t *runs, int nruns, const char *image);
int plot_words(const Embedding *e, const char *name, const int32_t *rows, int n, const char *image);

/* PCA: the top two principal axes of n rows of x [n x dim], projected: out [n x 2]. */
int pca2(const float *x, int n, int dim, float *out);

#endif
