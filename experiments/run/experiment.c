/* experiments/run/experiment.c: the experiment's fields of a run and the one
 * table of a run's configuration (experiments/run/experiment.h). */
#include "experiments/run/experiment.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/text/tokenizer.h"

#define AT(member) OPTION_AT(Experiment, member)

/* The experiment's own rows. embedding follows rnn/config.c's "input" and
 * the others its last row: the JSON keys stay in the order runs.config has
 * always held them (an equal run is found by its JSON text, db/runs.c). */
static const Option embedding_field[] = {
    {"embedding", OPTION_TEXT, AT(embedding), "random", 0, 0, NULL, NULL, "NAME|random", "Model",
     "initialise from a lab.db embedding, or randomly", FIELD_EMBED_ONLY},
};
static const Option tail_fields[] = {
    {"data", OPTION_TEXT, AT(data), "", 0, 0, NULL, NULL, NULL, NULL, "the reviews", FIELD_RECORDED},
    {"test_data", OPTION_TEXT, AT(test_data), "", 0, 0, NULL, NULL, NULL, NULL, "the test split's file",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
    {"tokenizer", OPTION_TEXT, AT(tokenizer), "words", 0, 0, NULL, NULL, "SPEC", "Data",
     "words, unicode, chars or spm[:unigram|bpe[:N]] (default words, or the embedding's)", 0},
    {"input_kind", OPTION_TEXT, AT(input_kind), "", 0, 0, NULL, NULL, NULL, NULL,
     "the input kind, as a sweep's --inputs names it (experiments/run/input_kind.h)",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
    {"data_hash", OPTION_TEXT, AT(data_hash), "", 0, 0, NULL, NULL, NULL, NULL,
     "the fingerprint of the reviews read, both splits (experiments/run/runner.h): what `train --reuse` matches",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
};
enum { NTAIL = sizeof tail_fields / sizeof *tail_fields, MAX_FIELDS = 64 };

static Option fields[MAX_FIELDS];
static OptionTable table = {fields, 0};
static pthread_once_t built = PTHREAD_ONCE_INIT;

/* rnn/config.c's rows moved into Experiment.model, with the experiment's. */
static void build(void) {
    int n = 0;
    for (int i = 0; i < config_table.n && n < MAX_FIELDS - NTAIL - 1; i++) {
        fields[n] = config_table.opts[i];
        fields[n++].offset += offsetof(Experiment, model);
        if (strcmp(config_table.opts[i].name, "input") == 0)
            fields[n++] = embedding_field[0];
    }
    if (n + NTAIL > MAX_FIELDS)
        abort(); /* more rows than MAX_FIELDS: raise it */
    memcpy(fields + n, tail_fields, sizeof tail_fields);
    table.n = n + NTAIL;
}

const OptionTable *experiment_table(void) {
    pthread_once(&built, build);
    return &table;
}

void experiment_defaults(Experiment *x) {
    memset(x, 0, sizeof *x);
    opt_defaults(experiment_table(), x);
}

const Option *experiment_find(const char *name) { return opt_find(experiment_table(), name); }

int experiment_set(Experiment *x, const char *name, const char *text) {
    return opt_set(experiment_table(), x, name, text);
}

int experiment_check(const Experiment *x) {
    const ClassifierConfig *c = &x->model;
    if (c->input == INPUT_ONEHOT && strcmp(x->embedding, "random") != 0)
        return el_fail("--embedding goes with --input embed, not onehot");
    if (c->freeze && strcmp(x->embedding, "random") == 0)
        return el_fail("--freeze needs --embedding NAME (a frozen random embedding learns nothing)");
    Tokenizer *t; /* a spec that names no tokenizer fails here, before anything is loaded */
    if (tokenizer_new(x->tokenizer, &t) != 0)
        return -1;
    tokenizer_free(t);
    if (config_check(c) != 0)
        return -1;
    if (c->subwords == SUBWORDS_ON && strcmp(x->embedding, "random") == 0)
        return el_fail("--subwords on needs --embedding NAME, a subword embedding (embed train --subwords)");
    return 0;
}

const char *experiment_text(const Experiment *x, const char *name, char *buf, size_t n) {
    const Option *f = experiment_find(name);
    if (!f) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    return opt_format(x, f, buf, n);
}
