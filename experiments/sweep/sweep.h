/* experiments/sweep/sweep.h: running a sweep's grid (experiments/sweep/grid.h) as
 * classifier runs tied to one sweeps row of the lab database.
 *
 *   sweep_find  the sweeps row of a grid's spec (made under the write lock)
 *   sweep_run   this shard's points that are neither finished nor running
 *               elsewhere, by J jobs with their share of the threads, the
 *               costliest first; the word2vec embeddings they need trained
 *               first (once, across processes); progress lines on stderr
 *
 * Any number of sweep processes may run the same grid on one lab.db at once:
 * they share one sweeps row, and each grid point is claimed when its run
 * starts (run_start, db/runs.c: run_insert), so each runs exactly once. A point whose
 * process died (lost) is run again, and running a sweep again resumes it. */
#ifndef EL_SWEEP_H
#define EL_SWEEP_H

#include <sqlite3.h>
#include <stdint.h>

#include "experiments/sweep/grid.h"

/* The sweep of this spec; a new one when there is none and create is set,
 * else *id = 0. 0, or -1 with a message. */
int sweep_find(sqlite3 *db, const Grid *g, const char *spec, int create, int64_t *id);

typedef struct {
    const Grid *g;
    const GridPoint *pts;
    int npts;
    const char *path;             /* the lab database */
    const char *data, *test_data; /* the reviews (test_data may be NULL) */
    int threads;                  /* 0: every core */
    int jobs;                     /* 0: auto, one per thread */
    volatile int *stop;           /* set (Ctrl-C): no new run starts, running ones stop */
} SweepJob;

typedef struct {
    int64_t sweep;
    int mine;     /* this shard's points */
    int finished; /* of them, finished now (by any process) */
    int failed;   /* runs of this process that failed */
} SweepOutcome;

/* Runs the sweep: 0 when every run of this process ended (finished, failed
 * or stopped: see *out and *s->stop), -1 with a message when the sweep could
 * not run (the database, the data, an embedding). */
int sweep_run(const SweepJob *s, SweepOutcome *out);

/* A point's rough cost, for the order: multiply-adds per token over its epochs. */
double sweep_point_cost(const ClassifierConfig *c);

#endif
