/* embed/trainer.h: embedding trainers, behind one interface.
 *
 * A trainer turns the documents of a corpus into an Embedding. Each is one
 * EmbedTrainer (its name, the label reports give its embeddings, the option
 * table of its parameters (core/options.h: defaults, parsing, help), and a
 * train function) listed once in embed/trainer.c's registry, or added with
 * trainer_register() at start-up (a test build's toy, tests/toys/). `embedlab embed train` and a sweep's
 * pre-training (experiments/run/embed_job.c) both go through it; the trainer's
 * name is recorded with each embedding it makes (`$.trainer` of the
 * embeddings table's params) and labels the sweep's input kinds
 * (experiments/run/input_kind.h). word2vec (embed/trainer_word2vec.c) is the
 * first.
 *
 *   trainer_find      a trainer by name
 *   trainer_at        the i-th of the registry
 *   trainer_names     the registry's names, for messages
 *   trainer_name_at   the i-th's name: the choices of embed train's --trainer
 *   trainer_register  add one (at start-up)
 *   trainer_defaults  a trainer's parameters at their defaults
 *   trainer_options   space-separated options ("--window 3 --epochs 2") into
 *                     a trainer's parameters */
#ifndef EL_TRAINER_H
#define EL_TRAINER_H

#include <stddef.h>
#include <stdint.h>

#include "core/options.h"
#include "embed/data/corpus.h"
#include "embed/vectors.h"

/* What a trainer made: the vectors and what the lab database records of them. */
typedef struct {
    Embedding emb;     /* the vectors (and, with subwords, the n-gram rows) */
    char *params_json; /* the settings as a JSON object, "trainer" first (malloc'd) */
    int minn, maxn;    /* subword n-gram lengths; 0: none */
    int64_t nngrams;   /* n-gram rows */
    int64_t corpus_tokens;
    int epochs; /* passes over the corpus */
    double seconds, words_per_sec;
} TrainedEmbedding;

typedef struct {
    const char *name;  /* "word2vec": recorded with every embedding it makes */
    const char *label; /* how reports and plots name its embeddings */
    /* Its parameters, a struct of params_size bytes: every option of
     * `embedlab embed train --trainer NAME` and of a sweep's --embed-options.
     * It has "dim" (the vector size) and "seed". */
    const OptionTable *options;
    size_t params_size;
    /* The rules between options: 0, or -1 with a message. */
    int (*check)(const void *params);
    /* A short description for the progress line: "sg, ns, dim 16". */
    void (*describe)(const void *params, char *buf, size_t n);
    /* The settings part of a default embedding name: "sg-ns-d100-s1". */
    void (*settings_name)(const void *params, char *buf, size_t n);
    /* Trains on the documents of c in splits, on el_threads() threads: 0
     * with *out filled (free with trained_free), or -1 with a message. */
    int (*train)(const void *params, const Corpus *c, unsigned splits, TrainedEmbedding *out);
} EmbedTrainer;

/* The trainer of that name, or NULL. */
const EmbedTrainer *trainer_find(const char *name);
/* The i-th trainer of the registry, NULL past the last. */
const EmbedTrainer *trainer_at(int i);
/* The name of the i-th trainer, NULL past the last (an option's registry:
 * core/options.h's Option.choice). */
const char *trainer_name_at(int i);
/* "word2vec, ...": the registry's names. */
const char *trainer_names(void);
/* Adds t to the registry: 0, or -1 if its name is taken or the registry is
 * full. Not thread-safe: call it at start-up. */
int trainer_register(const EmbedTrainer *t);

/* Every parameter in params (t->params_size bytes) at its default; the vector
 * size dim unless dim is 0 (then the table's default). 0, or -1 with a
 * message if the trainer takes no such dim. */
int trainer_defaults(const EmbedTrainer *t, void *params, int dim);

/* Space-separated "--opt value" pairs in text into params (over their
 * current values) through t->option, then t->check; "--threads N" goes to
 * *threads (left as it is unless given). 0, or -1 with a message. */
int trainer_options(const EmbedTrainer *t, const char *text, void *params, int *threads);

void trained_free(TrainedEmbedding *t);

#endif
