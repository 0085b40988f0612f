/* db/runs.h: classifier runs in the lab notebook.
 *
 *   run_start       a runs row (status 'running') with the full config as JSON
 *                   and its owner (db/owner.h); a sweep's grid point is claimed:
 *                   not started when it is finished or running elsewhere
 *   run_point_state whether a grid point is free, running or finished
 *   run_mark_lost   running runs whose process is gone become 'lost'
 *   run_claim_embedding  the training of a sweep's embedding, by one process
 *                   (run_release_embedding after)
 *   run_add_epoch   one epochs row, written as the epoch ends
 *   run_finish      results, trained parameters and vocabulary, status
 *                   'finished': one transaction, refused if the run is no
 *                   longer 'running' (another process marked it lost)
 *   run_set_status  'failed' or 'interrupted', with a message (of a run
 *                   still 'running')
 *   run_load        config, model and vocabulary of a finished run */
#ifndef EL_DB_RUNS_H
#define EL_DB_RUNS_H

#include <sqlite3.h>
#include <stdint.h>

#include "rnn/train.h"

typedef struct {
    double test_loss, test_acc, val_loss, val_acc;
    int best_epoch, epochs;
    int64_t params;
    double seconds, seconds_per_epoch;
    int64_t input_bytes, onehot_bytes;
} RunResult;

/* 0 with *run_id set; 1 when sweep_key is given and that point of the sweep
 * is finished or running in a live process (nothing is recorded); -1 on error.
 * Runs whose owner is gone are marked lost first, so their point is run again. */
int run_start(sqlite3 *db, const ClassifierConfig *c, int64_t sweep_id, const char *sweep_key, int64_t embedding_id,
              int64_t *run_id);

/* Claims the training of the embedding name for this process (a row of
 * embedding_claims; one whose owner is gone is void), so that sweeps started
 * together train it once: 0 when claimed (release it with
 * run_release_embedding once saved or failed), 1 when a live process holds
 * it, -1 on error. */
int run_claim_embedding(sqlite3 *db, const char *name);
void run_release_embedding(sqlite3 *db, const char *name);

enum { RUN_POINT_FREE = 0, RUN_POINT_RUNNING = 1, RUN_POINT_FINISHED = 2 };
/* The state of a sweep's grid point: RUN_POINT_FINISHED if a run of it
 * finished, else RUN_POINT_RUNNING if one runs in a live process, else
 * RUN_POINT_FREE; -1 on error. */
int run_point_state(sqlite3 *db, int64_t sweep, const char *key);
/* Marks lost the running runs whose process is gone (of one sweep, or all
 * with sweep 0); -1 on error. */
int run_mark_lost(sqlite3 *db, int64_t sweep);
int run_add_epoch(sqlite3 *db, int64_t run, const EpochMetrics *e);
int run_finish(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const char *vocab, size_t vocab_len);
int run_set_status(sqlite3 *db, int64_t run, const char *status, const char *error);
int run_load(sqlite3 *db, int64_t run, ClassifierConfig *c, Model *m, char **vocab);

/* The config of a run, from its JSON. */
int run_config(sqlite3 *db, int64_t run, ClassifierConfig *c);

#endif
