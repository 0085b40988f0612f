/* experiments/embed_job.h: word2vec training into the lab database, as a
 * library call (a sweep's embeddings; `embedlab embed train` does the same).
 *
 *   embed_options_parse  word2vec options in `embedlab embed train`'s words
 *                        ("--min-count 1 --epochs 2 --threads 1")
 *   embed_job_train      train on a corpus and save the vectors under a name */
#ifndef EL_EMBED_JOB_H
#define EL_EMBED_JOB_H

#include <sqlite3.h>

#include "embed/corpus.h"
#include "embed/word2vec.h"

/* Parses the space-separated options in text into p (over its current
 * values) and *threads (left as it is unless --threads is given): 0, or -1
 * with a message naming the bad option. */
int embed_options_parse(const char *text, W2vParams *p, int *threads);

/* What a trained embedding is, for the caller's summary line. */
typedef struct {
    int32_t nwords, dim;
    int minn, maxn;  /* 0: no subwords */
    int64_t nngrams; /* n-gram rows stored */
    int64_t corpus_tokens;
    double seconds, words_per_sec;
} EmbedJobResult;

/* Trains word2vec with p on the splits of c, on el_threads() threads, and
 * saves the vectors (and, with subwords, the n-gram rows) as embedding `name`
 * in db with their parameters (corpus names where they came from: "train",
 * "all" or a file) and c's tokenizer (c->tok; a learned one's model is
 * stored with it), all in one transaction; fills *out if not NULL. 0, or -1
 * with a message (the name taken already among them). The one way embeddings
 * are trained into a lab database: `embedlab embed train` and sweeps call it. */
int embed_job_train(sqlite3 *db, const char *name, const Corpus *c, unsigned splits, const char *corpus,
                    const W2vParams *p, EmbedJobResult *out);

#endif
