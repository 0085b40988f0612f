/* experiments/run/run_record.c: rnn/'s run types as db/runs.c's rows and back. */
#include "experiments/run/run_record.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "experiments/run/subword_run.h"
#include "rnn/config.h"

/* c's value of field f as a JSON value; null when the field's flags say so. */
static RunValue field_value(const Experiment *c, const Option *f) {
    const char *at = (const char *)c + f->offset;
    RunValue v = {.key = f->name, .type = RUN_VALUE_NULL};
    if (((f->flags & FIELD_EMBED_ONLY) && c->model.input == INPUT_ONEHOT) || ((f->flags & FIELD_EMPTY_NULL) && !*at))
        return v;
    switch (f->type) {
    case OPTION_INT: v.type = RUN_VALUE_INT, v.i = *(const int *)at; break;
    case OPTION_INT64: v.type = RUN_VALUE_INT, v.i = *(const int64_t *)at; break;
    case OPTION_SEED: v.type = RUN_VALUE_INT, v.i = (int64_t) * (const uint64_t *)at; break;
    case OPTION_REAL: v.type = RUN_VALUE_REAL, v.r = *(const double *)at; break;
    case OPTION_FLAG: v.type = RUN_VALUE_BOOL, v.i = *(const int *)at != 0; break;
    case OPTION_ENUM: v.type = RUN_VALUE_TEXT, v.text = opt_choice_name(f, *(const int *)at); break;
    case OPTION_TEXT: v.type = RUN_VALUE_TEXT, v.text = at; break;
    case OPTION_RANGE:
    case OPTION_STRING: abort(); /* no run configuration field is a range or a borrowed string */
    }
    return v;
}

/* c's fields as the values of its config JSON, in the table's order; the
 * caller frees them. */
static RunValue *config_values(const Experiment *c) {
    RunValue *v = xmalloc((size_t)experiment_table()->n * sizeof *v);
    for (int i = 0; i < experiment_table()->n; i++)
        v[i] = field_value(c, &experiment_table()->opts[i]);
    return v;
}

int run_start(sqlite3 *db, const Experiment *c, int64_t sweep_id, const char *sweep_key, int64_t embedding_id,
              int64_t *run_id) {
    RunValue *v = config_values(c);
    int rc = run_insert(db, v, experiment_table()->n, c->model.threads, sweep_id, sweep_key, embedding_id, run_id);
    free(v);
    return rc;
}

int run_find_same(sqlite3 *db, const Experiment *c, int64_t embedding_id, int64_t tokenizer_id, int64_t *run_id,
                  RunResult *r) {
    if (!c->data_hash[0]) /* data of unknown content is never the same */
        return 0;
    RunValue *v = config_values(c);
    int rc = run_find_finished(db, v, experiment_table()->n, embedding_id, tokenizer_id, run_id, r);
    free(v);
    return rc;
}

int run_add_epoch(sqlite3 *db, int64_t run, const EpochMetrics *e) {
    RunEpoch row = {.epoch = e->epoch,
                    .train_loss = e->train_loss,
                    .train_acc = e->train_acc,
                    .val_loss = e->val_loss,
                    .val_acc = e->val_acc,
                    .seconds = e->seconds};
    return run_insert_epoch(db, run, &row);
}

int run_finish(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const char *vocab, size_t vocab_len) {
    return run_save_results(db, run, r, m->params, m->nparams, vocab, vocab_len);
}

int run_finish_subword(sqlite3 *db, int64_t run, const RunResult *r, const Model *m, const SubwordInput *s,
                       int64_t embedding_id, const char *vocab, size_t vocab_len) {
    /* The n-gram rows as loading will read them: what the stored rows are told apart from. */
    Embedding base;
    char name[256];
    if (db_embedding_load_ngrams(db, embedding_id, &base, name, sizeof name) != 0)
        return -1;
    void *blob;
    size_t bytes;
    subword_run_pack(s, m, &base, &blob, &bytes);
    emb_free(&base);
    int rc = run_save_model(db, run, r, SUBWORD_RUN_FORMAT, blob, bytes, vocab, vocab_len);
    free(blob);
    return rc;
}

typedef struct {
    Experiment *c;
    int64_t run;
} ReadBack;

/* One key of the stored JSON through experiment_set, as an option's value would be. */
static int read_key(const char *key, const char *value, void *ctx) {
    ReadBack *rb = ctx;
    if (!experiment_find(key) || experiment_set(rb->c, key, value) == 0)
        return 0;
    return el_fail("run %lld: its configuration's %s: %s", (long long)rb->run, key, el_error());
}

int run_config(sqlite3 *db, int64_t run, Experiment *c) {
    experiment_defaults(c);
    ReadBack rb = {c, run};
    return run_config_each(db, run, read_key, &rb);
}

int run_load(sqlite3 *db, int64_t run, Experiment *c, Model *m, char **vocab) {
    if (run_config(db, run, c) != 0)
        return -1;
    if (c->model.input == INPUT_EMBED && c->model.subwords == SUBWORDS_ON)
        return el_fail("run %lld took subword input: its model is rebuilt over its input's tokens "
                       "(experiments/run/saved_run.h), not loaded alone",
                       (long long)run);
    /* The stored blob is checked against the configuration's size before
     * anything is allocated or initialised (model_load: no random init,
     * whose cost grows with units cubed, for values read back anyway). */
    ModelConfig mc;
    RunModel rm;
    if (classifier_model_config(&c->model, &mc) != 0 || run_read_model(db, run, &rm) != 0)
        return -1;
    const char *format = sizeof(real) == 4 ? "float32-le" : "float64-le";
    int rc = 0;
    if (strcmp(rm.format, format) != 0)
        rc = el_fail("run %lld: its parameters are stored as '%s', which this build does not read (it reads %s)",
                     (long long)run, rm.format, format);
    else if (model_load(m, &mc, rm.params, rm.bytes) != 0)
        rc = el_fail("run %lld: %s", (long long)run, el_error());
    if (rc == 0) {
        *vocab = rm.vocab;
        rm.vocab = NULL;
    }
    run_model_free(&rm);
    return rc;
}
