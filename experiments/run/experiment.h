/* experiments/run/experiment.h: a classifier run as an experiment: the
 * model and its training (rnn/config.h's ClassifierConfig) and what the
 * experiment adds around them: the reviews read (data, test_data, their
 * fingerprint data_hash), the tokenizer that cut them, the embedding that
 * initialises the input and the input kind a sweep named it by. rnn/ knows
 * only the model; these fields are the experiment's.
 *
 * experiment_table is the run configuration's one table: rnn/config.c's
 * rows (each defined there once) and the experiment's own (experiment.c),
 * in the order of the JSON stored in runs.config, which it writes and reads
 * back (experiments/run/run_record.c), and from which follow the options of
 * train and sweep and a sweep's axes (experiments/sweep/grid.c).
 *
 *   experiment_table     the table (built on first use)
 *   experiment_defaults  every field at its default
 *   experiment_find      a field by name ("data") or option ("--test-data")
 *   experiment_set       parse and check one field's value from text
 *   experiment_check     the rules between fields (config_check's and the experiment's)
 *   experiment_text      a field's value as text, by its name */
#ifndef EL_EXPERIMENT_H
#define EL_EXPERIMENT_H

#include <stddef.h>

#include "core/options.h"
#include "rnn/config.h"
#include "rnn/train.h"

typedef struct {
    ClassifierConfig model; /* the model and its training */
    char embedding[256];    /* "random" or a lab.db embedding name (input embed) */
    char data[1024];        /* the reviews: an aclImdb folder or a LABEL<TAB>TEXT file */
    char test_data[1024];   /* a LABEL<TAB>TEXT test file, when data is one too */
    char tokenizer[64];     /* a tokenizer spec (embed/text/tokenizer.h), canonical once the run starts */
    char input_kind[288];   /* experiments/run/input_kind.h: "word2vec", "emb:NAME:frozen", ... ("": not given) */
    char data_hash[17];     /* the reviews' fingerprint, 16 hex digits (experiments/run/runner.h; "": not known) */
} Experiment;

const OptionTable *experiment_table(void);

void experiment_defaults(Experiment *x);

/* The field named name or, with the leading "--", the option; NULL if none. */
const Option *experiment_find(const char *name);

/* Parses text into the field name (or option) of x: 0, or -1 with a message
 * (x unchanged then), as config_set. */
int experiment_set(Experiment *x, const char *name, const char *text);

/* The rules that tie fields together (an embedding goes with embed input, a
 * frozen embedding must be a named one, the tokenizer spec names one, and
 * config_check's): 0, or -1 with a message. */
int experiment_check(const Experiment *x);

/* The value of field name of x as text experiment_set reads back; "" for
 * no such field. */
const char *experiment_text(const Experiment *x, const char *name, char *buf, size_t n);

#endif
