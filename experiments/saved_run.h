/* experiments/saved_run.h: a finished run, loaded back to be used: its
 * configuration, trained model and vocabulary (`embedlab predict` and
 * `embedlab eval`).
 *
 *   saved_run_load     config, model, the vocabulary rebuilt as a Dict and
 *                      the tokenizer (a learned one's model from lab.db)
 *   saved_run_encode   a text as the run's index sequence
 *   saved_run_test     the run's test reviews (of the data it was trained on,
 *                      or of a LABEL<TAB>TEXT file) as its Dataset */
#ifndef EL_SAVED_RUN_H
#define EL_SAVED_RUN_H

#include <sqlite3.h>

#include "embed/dataset.h"
#include "embed/dict.h"
#include "embed/tokenizer.h"
#include "rnn/train.h"

typedef struct {
    ClassifierConfig c;
    Model m;
    Dict words;     /* dict id + 2 == index */
    Tokenizer *tok; /* the run's, ready: its spec, and a learned kind's stored model */
} SavedRun;

/* 0, or -1 with a message (no such run, not finished, parameters of the
 * wrong size, its tokenizer's model missing or damaged). Free with
 * saved_run_free. */
int saved_run_load(sqlite3 *db, int64_t run, SavedRun *r);
void saved_run_free(SavedRun *r);

/* text[0..n) tokenized by the run's tokenizer, each token's index under the
 * run's vocabulary and cap, shaped to its maxlen (r->c.maxlen entries in
 * out). b is the caller's scratch (one per thread). 0, or -1 with a message. */
int saved_run_encode(const SavedRun *r, const char *text, size_t n, TokenBuf *b, int32_t *out);

/* The labeled test reviews in d: those of file (LABEL<TAB>TEXT) when given,
 * else the test split of the data the run was trained on. 0, or -1 with a
 * message. Free d with dataset_free. */
int saved_run_test(const SavedRun *r, const char *file, Dataset *d);

#endif
