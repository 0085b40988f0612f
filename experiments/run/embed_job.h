/* experiments/run/embed_job.h: embedding training into the lab database, as a
 * library call through a trainer of embed/trainer.h (a sweep's embeddings;
 * `embedlab embed train` does the same).
 *
 *   embed_job_train      train on a corpus and save the vectors under a name */
#ifndef EL_EMBED_JOB_H
#define EL_EMBED_JOB_H

#include <sqlite3.h>

#include "embed/data/corpus.h"
#include "embed/trainer.h"

/* What a trained embedding is, for the caller's summary line. */
typedef struct {
    int32_t nwords, dim;
    int minn, maxn;  /* 0: no subwords */
    int64_t nngrams; /* n-gram rows stored */
    int64_t corpus_tokens;
    int epochs;
    double seconds, words_per_sec;
} EmbedJobResult;

/* Trains with trainer t and its parameters on the splits of c, on
 * el_threads() threads, and saves the vectors (and, with subwords, the n-gram
 * rows) as embedding `name` in db with their parameters (the trainer's name
 * in them; corpus names where they came from: "train", "all" or a file) and
 * c's tokenizer (c->tok; a learned one's model is stored with it), all in one
 * transaction; fills *out if not NULL. 0, or -1 with a message (the
 * name taken already among them). The one way embeddings are trained into a
 * lab database: `embedlab embed train` and sweeps call it. */
int embed_job_train(sqlite3 *db, const char *name, const Corpus *c, unsigned splits, const char *corpus,
                    const EmbedTrainer *t, const void *params, EmbedJobResult *out);

#endif
