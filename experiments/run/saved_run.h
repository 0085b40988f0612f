/* experiments/run/saved_run.h: a finished run, loaded back to be used: its
 * configuration, trained model and vocabulary (`embedlab predict` and
 * `embedlab eval`).
 *
 *   saved_run_load     config, model, the vocabulary rebuilt as a Dict and
 *                      the tokenizer (a learned one's model from lab.db);
 *                      under subword input also the embedding's n-gram
 *                      setting and rows the model is completed from
 *   saved_run_predict  P(positive) of texts
 *   saved_run_test     the run's test reviews (of the data it was trained on,
 *                      or of a LABEL<TAB>TEXT file) as its Dataset, for r->m
 *
 * A subword-input run's model reads token types, not word indices, and its
 * table holds rows for the n-grams of the tokens it reads: it is rebuilt
 * over the tokens of each input (experiments/run/subword_run.h), so r->m is the
 * model of the last texts or test reviews given. */
#ifndef EL_SAVED_RUN_H
#define EL_SAVED_RUN_H

#include <sqlite3.h>

#include "embed/data/dataset.h"
#include "embed/data/dict.h"
#include "embed/text/tokenizer.h"
#include "experiments/run/experiment.h"
#include "experiments/run/subword_run.h"
#include "rnn/train.h"

typedef struct {
    Experiment c;
    Model m;
    Dict words;      /* dict id + 2 == index */
    Tokenizer *tok;  /* the run's, ready: its spec, and a learned kind's stored model */
    int sub;         /* subword input: the fields below are set */
    SubwordRun sr;   /* its stored parameters */
    Embedding base;  /* its embedding's n-gram setting and rows (no word vectors) */
    SubwordInput si; /* the token types m is built on */
} SavedRun;

/* 0, or -1 with a message (no such run, not finished, parameters of the
 * wrong size, its tokenizer's model missing or damaged). Free with
 * saved_run_free. */
int saved_run_load(sqlite3 *db, int64_t run, SavedRun *r);
void saved_run_free(SavedRun *r);

/* p[i] = P(positive) of texts[i], i < n, each tokenized by the run's
 * tokenizer and shaped to its maxlen as its training data was. 0, or -1 with
 * a message. */
int saved_run_predict(SavedRun *r, char *const *texts, int n, real *p);

/* The labeled test reviews in d: those of file (LABEL<TAB>TEXT) when given,
 * else the test split of the data the run was trained on. 0, or -1 with a
 * message. Free d with dataset_free. */
int saved_run_test(SavedRun *r, const char *file, Dataset *d);

#endif
