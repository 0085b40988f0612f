/* db/runs.h: classifier runs in the lab notebook, as plain rows: db/ knows
 * no configuration struct or model (those are rnn/'s; experiments/run/run_record.h
 * turns them into these rows and back).
 *
 *   run_insert      a runs row (status 'running') with the config as a JSON
 *                   object of typed values, and its owner (db/owner.h); a
 *                   sweep's grid point is claimed: not started when it is
 *                   finished or running elsewhere
 *   run_find_finished  a finished run of the same config, embedding and
 *                   tokenizer model, for `train --reuse`
 *   run_point_state whether a grid point is free, running or finished
 *   run_mark_lost   running runs whose process is gone become 'lost'
 *   run_claim_embedding  the training of a sweep's embedding, by one process
 *                   (run_release_embedding after)
 *   run_insert_epoch  one epochs row, written as the epoch ends
 *   run_save_results  results, trained parameters and vocabulary, status
 *                   'finished': one transaction, refused if the run is no
 *                   longer 'running' (another process marked it lost)
 *   run_set_status  'failed' or 'interrupted', with a message (of a run
 *                   still 'running')
 *   run_config_each each key and value of a run's config JSON
 *   run_read_model  the trained parameters (in any format) and vocabulary of
 *                   a finished run, checked against its hash, with its
 *                   embedding's id
 *   run_read_predictions  its test predictions, for ensembles
 *   run_remove      runs with every row that hangs off them, in one
 *                   transaction (db/runs_remove.c) */
#ifndef EL_DB_RUNS_H
#define EL_DB_RUNS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/real.h"

typedef struct {
    double test_loss, test_acc, val_loss, val_acc;
    int best_epoch, epochs;
    int64_t params;
    double seconds, seconds_per_epoch;
    int64_t input_bytes, onehot_bytes;
    /* The test split's predictions, kept with the results so that runs can be
     * combined later (experiments/run/ensemble.h) without loading their models:
     * npred reviews, in the split's order, each P(positive) and its 0/1
     * label. npred 0 keeps none. */
    int64_t npred;
    const float *pred_probs;
    const uint8_t *pred_labels;
} RunResult;

/* A finished run's stored test predictions (see RunResult). */
typedef struct {
    int64_t n;
    float *probs;    /* [n] */
    uint8_t *labels; /* [n], each 0 or 1 */
} RunPredictions;

/* One key of a run's config (runs.config, a JSON object) and its value. */
typedef enum { RUN_VALUE_NULL, RUN_VALUE_INT, RUN_VALUE_REAL, RUN_VALUE_BOOL, RUN_VALUE_TEXT } RunValueType;
typedef struct {
    const char *key;
    RunValueType type;
    int64_t i;        /* RUN_VALUE_INT; RUN_VALUE_BOOL: 0 or 1 (JSON false or true) */
    double r;         /* RUN_VALUE_REAL */
    const char *text; /* RUN_VALUE_TEXT */
} RunValue;

/* Records a run whose config is the JSON object of the n values, in order
 * (SQLite's json_object(): a real keeps 15 significant digits); threads goes
 * to its provenance. 0 with *run_id set; 1 when sweep_key is given and that
 * point of the sweep is finished or running in a live process (nothing is
 * recorded); -1 on error. Runs whose owner is gone are marked lost first, so
 * their point is run again. */
int run_insert(sqlite3 *db, const RunValue *config, int n, int threads, int64_t sweep_id, const char *sweep_key,
               int64_t embedding_id, int64_t *run_id);

/* The newest finished run whose config is the JSON object of the n values
 * (built as run_insert builds it: equal values, equal text), which read
 * embedding embedding_id and tokenizer model tokenizer_id (0: none): 1 with
 * *run_id and its results in *r (no predictions: npred 0), 0 when there is
 * none, -1 on error. Nothing is written. */
int run_find_finished(sqlite3 *db, const RunValue *config, int n, int64_t embedding_id, int64_t tokenizer_id,
                      int64_t *run_id, RunResult *r);

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

/* An epochs row. */
typedef struct {
    int epoch;
    double train_loss, train_acc, val_loss, val_acc, seconds;
} RunEpoch;
int run_insert_epoch(sqlite3 *db, int64_t run, const RunEpoch *e);

/* The results, the nparams trained parameters and the vocabulary (the words
 * of indices 2, 3, ..., one a line) of a run still 'running', which becomes
 * 'finished'; 0, or -1 with a message and nothing kept. */
int run_save_results(sqlite3 *db, int64_t run, const RunResult *r, const real *params, int64_t nparams,
                     const char *vocab, size_t vocab_len);
/* The same with the parameters as bytes of a named format (models.format):
 * run_save_results stores nparams reals as "float32-le"; a subword-input
 * run stores its own layout (experiments/run/subword_run.h). */
int run_save_model(sqlite3 *db, int64_t run, const RunResult *r, const char *format, const void *params, size_t bytes,
                   const char *vocab, size_t vocab_len);
int run_set_status(sqlite3 *db, int64_t run, const char *status, const char *error);

/* Calls fn with each key of a classifier run's config whose value is not
 * null, the value as text (a real with 17 digits), in the JSON's order, until
 * fn returns nonzero. 0; -1 when fn did (its message stands), on a database
 * error, or when there is no such run. */
int run_config_each(sqlite3 *db, int64_t run, int (*fn)(const char *key, const char *value, void *ctx), void *ctx);

/* A finished run's stored model as it is: the parameters' bytes and their
 * format (models.format), the vocabulary, and the embedding the run read
 * (runs.embedding_id, 0 when none or removed). */
typedef struct {
    char *format;
    void *params;
    size_t bytes;
    char *vocab;
    int64_t embedding_id;
} RunModel;

/* 0 with *m filled (free with run_model_free), or -1 with a message naming
 * the run: no parameters stored, a NULL vocabulary or format, or bytes that
 * do not match the row's hash (models.hash, recorded since schema 9; older
 * rows have none and are read as they are). The caller checks the bytes
 * against their format. */
int run_read_model(sqlite3 *db, int64_t run, RunModel *m);
void run_model_free(RunModel *m);

/* The test predictions stored with a finished run, into p (free with
 * run_predictions_free); 0, or -1 with a message (no such run, none stored,
 * or a row whose sizes or labels do not check out). */
int run_read_predictions(sqlite3 *db, int64_t run, RunPredictions *p);
void run_predictions_free(RunPredictions *p);

/* Which classifier runs run_remove takes: the nids ids given (each must
 * exist), or, with nids 0, every one of sweep (0: any sweep or none) whose
 * status is in statuses, a comma-separated list (NULL: any). A status is
 * run_status's (db/lab.h): a running run whose process is gone is 'lost'. */
typedef struct {
    const int64_t *ids;
    int nids;
    int64_t sweep;
    const char *statuses;
} RunSelection;

/* What run_remove removed: the runs (ids[n], in the order named, a filter's
 * ascending; free with run_removed_free), the rows of each table keyed by their run_id, the bytes
 * their pages held (free pages of the file now, which later writes reuse),
 * and the specs of learned tokenizers' models that went with their last
 * user (", "-separated; empty: none). */
typedef struct {
    int64_t *ids;
    int64_t n;
    int64_t epochs, results, models, predictions;
    int64_t bytes;
    char tokenizers[256];
} RunRemoved;

/* Removes the selected runs, their epochs, results, models and predictions
 * (and any other row whose foreign key cascades from runs) and the
 * tokenizers rows no embedding or run points to any more, in one
 * transaction: all of it, or nothing. Refused, nothing removed, when an id
 * is not a classifier run, when sweep is not a sweep, or when a selected
 * run is 'running' in a live process (named with its pid and host). A
 * sweep's row stays: a rerun of the sweep trains the removed points again.
 * 0 with *out filled (n may be 0 for a filter that matched none), or -1 with
 * a message. */
int run_remove(sqlite3 *db, const RunSelection *sel, RunRemoved *out);
void run_removed_free(RunRemoved *r);

#endif
