/* experiments/run/ensemble.h: several finished runs as one classifier, by soft
 * vote: a review's probability is the mean of the runs' probabilities.
 *
 * It reads the test predictions each run stored when it finished (db/runs.h
 * run_read_predictions), so it needs neither the runs' models nor their data:
 * runs of different tokenizers, cells or inputs combine alike, as long as they
 * were tested on the same reviews (the same data and test files, the same
 * labels in the same order). */
#ifndef EL_ENSEMBLE_H
#define EL_ENSEMBLE_H

#include <sqlite3.h>
#include <stdint.h>

typedef struct {
    int64_t n;    /* test reviews */
    double acc;   /* the vote's accuracy: mean probability >= 0.5 is positive */
    double loss;  /* the vote's binary cross-entropy, probabilities clipped to [1e-7, 1 - 1e-7] */
    double *accs; /* [nruns] each run's accuracy from its stored predictions */
} EnsembleResult;

/* Soft vote of runs[0..nruns) (1 <= nruns <= ENSEMBLE_MAX_RUNS). 0 and *r
 * (free with ensemble_free), or -1 with a message: a run not finished or
 * without stored predictions, or runs tested on different reviews (their
 * data files, counts or labels differ). */
#define ENSEMBLE_MAX_RUNS 64
int ensemble_eval(sqlite3 *db, const int64_t *runs, int nruns, EnsembleResult *r);
void ensemble_free(EnsembleResult *r);

#endif
