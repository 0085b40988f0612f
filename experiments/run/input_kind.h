/* experiments/run/input_kind.h: what a classifier reads, as data.
 *
 * An input kind is one row of the table in experiments/run/input_kind.c: the
 * name a sweep's --inputs gives, what it sets in the run's configuration
 * (input onehot or embed; the embedding: none, random, one the sweep
 * pre-trains with a trainer of embed/trainer.h, or one stored in lab.db;
 * frozen or not), and how reports and plots label it. Every run records its
 * kind as given (`$.input_kind` of runs.config), and the sweep's statistics
 * label runs from it (experiments/report/sweep_stats.c), never from the embedding's
 * name.
 *
 *   onehot            one-hot vectors over the vocabulary
 *   random            an embedding layer started at random
 *   word2vec          an embedding the sweep trains with word2vec, one per --dims
 *   word2vec-frozen   the same, kept fixed
 *   emb:NAME          the stored embedding NAME (its own dimension; with
 *                     {dim} in NAME, one per --dims: emb:imdb-sg{dim})
 *   emb:NAME:frozen   the same, kept fixed
 *   sub:NAME          the stored subword embedding NAME (embed train --subwords),
 *                     each token composed from its word row and its character
 *                     n-grams' rows (--subwords on), so that words unseen in
 *                     training get vectors; fine-tuned
 *   sub:NAME:frozen   the same, kept fixed
 * A stored kind is spelt PREFIX:NAME (and PREFIX:NAME:frozen), its prefix
 * taken from its row's name.
 *
 *   input_kind_parse   a kind as --inputs spells it
 *   input_kind_apply   what it sets in a run's configuration
 *   input_kind_label   how reports and plots name it
 *   input_kind_of      the kind of a configuration made without one (train) */
#ifndef EL_INPUT_KIND_H
#define EL_INPUT_KIND_H

#include <stddef.h>

#include "experiments/run/experiment.h"
#include "rnn/train.h"

typedef enum {
    EMB_NONE,    /* one-hot input: no embedding */
    EMB_RANDOM,  /* an embedding layer started at random */
    EMB_TRAINED, /* trained by the sweep with `trainer`, named by the sweep */
    EMB_STORED,  /* already in lab.db, named in the kind */
} EmbSource;

typedef struct {
    const char *name;     /* as --inputs spells it (a stored kind's form: emb:NAME, emb:NAME:frozen) */
    const char *input;    /* the run's input: "onehot" or "embed" */
    EmbSource source;     /* where the embedding comes from */
    const char *trainer;  /* EMB_TRAINED: the trainer (embed/trainer.h) that makes it */
    int freeze;           /* the embedding stays fixed */
    const char *label;    /* in reports and plots; NULL: from the trainer or the stored name (input_kind_label) */
    const char *tag;      /* EMB_STORED: a word its label adds, "NAME (TRAINER, TAG)"; NULL: none */
    int style;            /* the plot's line: 0 solid, 1 dashed, 2 dotted */
    const char *subwords; /* the run's --subwords ("on": fastText's composition from a subword
                           * embedding's n-gram rows, "off"); NULL: left as it is */
} InputKind;

/* A kind as given: its row, and for a stored one the embedding's name. */
typedef struct {
    const InputKind *kind;
    char embedding[128]; /* EMB_STORED: NAME, maybe with {dim} */
} InputChoice;

/* The table and its length. */
extern const InputKind input_kinds[];
extern const int input_kinds_n;

/* Parses text ("word2vec-frozen", "emb:imdb-sg16:frozen"): 0, or -1 with a
 * message listing the kinds. A stored embedding's name must be a valid name
 * (core/names.h) once {dim} is filled in. */
int input_kind_parse(const char *text, InputChoice *out);

/* Whether the grid crosses the kind with --dims (else the point has no dim
 * of its own: one-hot, or a stored embedding's own dimension). */
int input_kind_per_dim(const InputChoice *ch);

/* Sets the fields of c the kind decides: input, embedding (trained: the
 * sweep's name for it, trained_name; stored: its name with {dim} filled by
 * dim), freeze, and input_kind (text, as given; its frozen counterpart when c
 * is frozen already, by a sweep's --freeze). 0, or -1 with a message. */
int input_kind_apply(const InputChoice *ch, const char *text, int dim, const char *trained_name, Experiment *c);

/* How reports and plots name a kind: its table label; for a trained kind its
 * trainer's label; for a stored one "NAME (TRAINER, TAG)", trainer being the
 * stored embedding's (NULL if unknown) and TAG the row's; frozen ones add
 * "frozen". */
const char *input_kind_label(const InputChoice *ch, const char *trainer, char *buf, size_t n);

/* The kind of a configuration that names none (`embedlab train`'s runs):
 * onehot, random, or emb:NAME[:frozen]; in buf. */
const char *input_kind_of(const Experiment *c, char *buf, size_t n);

/* "onehot, random, ...": the kinds, for messages and --help. */
const char *input_kind_names(void);
/* The name of the i-th kind, NULL past the last (a sweep's --inputs in
 * --help: core/options.h's Option.choice). */
const char *input_kind_name_at(int i);

#endif
