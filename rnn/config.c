/* rnn/config.c: the table of a run's configuration and what follows from it. */
#include "rnn/config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/text/tokenizer.h"
#include "rnn/cell.h"

/* Where a member of ClassifierConfig lives, and how big it is. */
#define AT(member) offsetof(ClassifierConfig, member), sizeof(((ClassifierConfig *)0)->member)

/* In the order of the JSON stored in runs.config (existing lab databases and
 * the report read these keys; their order and types stay). */
const ConfigField config_fields[] = {
    {"cell", FIELD_CHOICE, AT(cell), "rnn", 0, 0, NULL, cell_names, NULL, "Model", "cell type; rnn is a SimpleRNN", 0},
    {"activation", FIELD_CHOICE, AT(activation), "tanh", 0, 0, "tanh, relu, leaky_relu, selu", NULL, "A", "Model",
     "SimpleRNN activation: tanh, relu, leaky_relu, selu", 0},
    {"input", FIELD_CHOICE, AT(input), "embed", 0, 0, "onehot, embed", NULL, NULL, "Model",
     "one-hot vectors over the vocabulary, or an embedding", 0},
    {"embedding", FIELD_TEXT, AT(embedding), "random", 0, 0, NULL, NULL, "NAME|random", "Model",
     "initialise from a lab.db embedding, or randomly", FIELD_EMBED_ONLY},
    {"dim", FIELD_INT, AT(dim), "16", 1, 4096, NULL, NULL, NULL, "Model",
     "embedding size (default 16, or the embedding's)", FIELD_EMBED_ONLY},
    {"units", FIELD_INT, AT(units), "8", 1, 4096, NULL, NULL, NULL, "Model", "cell size", 0},
    {"layers", FIELD_INT, AT(layers), "1", 1, MAX_LAYERS, NULL, NULL, NULL, "Model",
     "stacked cells, full sequences between them", 0},
    {"pool", FIELD_CHOICE, AT(pool), "last", 0, 0, "last, mean, max", NULL, NULL, "Model",
     "the top layer's outputs into the head: the last step's, or mean or max over non-padding steps", 0},
    {"bidirectional", FIELD_FLAG, AT(bidirectional), NULL, 0, 0, NULL, NULL, NULL, "Model",
     "a second cell per layer over the reversed sequence, outputs side by side (default off)", 0},
    {"vocab", FIELD_INT, AT(vocab), "500", 3, 10000000, NULL, NULL, NULL, "Data",
     "keep indices below N, as Keras' num_words", 0},
    {"maxlen", FIELD_INT, AT(maxlen), "100", 1, 100000, NULL, NULL, NULL, "Data", "sequence length", 0},
    {"pad", FIELD_CHOICE, AT(pad), "pre", 0, 0, "pre, post", NULL, NULL, "Data", "where padding goes (pre, as Keras)",
     0},
    {"truncate", FIELD_CHOICE, AT(truncate), "pre", 0, 0, "pre, post", NULL, NULL, "Data",
     "where long reviews are cut (pre, as Keras)", 0},
    {"mask", FIELD_FLAG, AT(mask), NULL, 0, 0, NULL, NULL, NULL, "Model",
     "padding steps leave the state unchanged (default off)", 0},
    {"freeze", FIELD_FLAG, AT(freeze), NULL, 0, 0, NULL, NULL, NULL, "Model", "keep the embedding fixed (default off)",
     0},
    {"subwords", FIELD_CHOICE, AT(subwords), "auto", 0, 0, "auto, on, off", NULL, NULL, "Model",
     "each token the mean of its word row and its n-grams' rows (fastText), from a subword embedding; auto: on when "
     "--embedding has n-grams",
     FIELD_EMBED_ONLY},
    {"dropout", FIELD_REAL, AT(dropout), "0", 0, 0.99, NULL, NULL, NULL, "Model", "dropout on each cell's input", 0},
    {"recurrent_dropout", FIELD_REAL, AT(recurrent_dropout), "0", 0, 0.99, NULL, NULL, NULL, "Model",
     "dropout on each cell's state", 0},
    {"opt", FIELD_CHOICE, AT(opt), "rmsprop", 0, 0, "sgd, rmsprop, adam", NULL, NULL, "Training",
     "optimiser, Keras defaults", 0},
    {"lr", FIELD_REAL, AT(lr), "1e-4", 1e-12, 100, NULL, NULL, NULL, "Training", "learning rate", 0},
    {"clip", FIELD_REAL, AT(clip), "0", 0, 1e12, NULL, NULL, NULL, "Training",
     "clip the gradient's global norm (default 0: off)", 0},
    {"batch", FIELD_INT, AT(batch), "64", 1, 65536, NULL, NULL, NULL, "Training", "batch size", 0},
    {"epochs", FIELD_INT, AT(epochs), "100", 1, 100000, NULL, NULL, NULL, "Training", "at most N epochs", 0},
    {"patience", FIELD_INT, AT(patience), "3", 0, 100000, NULL, NULL, NULL, "Training",
     "early stopping on validation loss, best weights restored (default 3; 0: off)", 0},
    {"val_split", FIELD_REAL, AT(val_split), "0.2", 0.01, 0.9, NULL, NULL, NULL, "Data",
     "validation share of train, drawn by the seed", 0},
    {"seed", FIELD_SEED, AT(seed), "1", 0, 0, NULL, NULL, NULL, "Training",
     "fixes every random choice; results are bit-identical for any --threads", 0},
    {"threads", FIELD_INT, AT(threads), "0", 0, 1024, NULL, NULL, NULL, NULL, "threads the run used", FIELD_RECORDED},
    {"data", FIELD_TEXT, AT(data), "", 0, 0, NULL, NULL, NULL, NULL, "the reviews", FIELD_RECORDED},
    {"test_data", FIELD_TEXT, AT(test_data), "", 0, 0, NULL, NULL, NULL, NULL, "the test split's file",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
    {"tokenizer", FIELD_TEXT, AT(tokenizer), "words", 0, 0, NULL, NULL, "SPEC", "Data",
     "words, unicode, chars or spm[:unigram|bpe[:N]] (default words, or the embedding's)", 0},
    {"input_kind", FIELD_TEXT, AT(input_kind), "", 0, 0, NULL, NULL, NULL, NULL,
     "the input kind, as a sweep's --inputs names it (experiments/run/input_kind.h)",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
    {"data_hash", FIELD_TEXT, AT(data_hash), "", 0, 0, NULL, NULL, NULL, NULL,
     "the fingerprint of the reviews read, both splits (experiments/run/runner.h): what `train --reuse` matches",
     FIELD_RECORDED | FIELD_EMPTY_NULL},
};
const int config_nfields = (int)(sizeof config_fields / sizeof *config_fields);

const ConfigField *config_find(const char *name) {
    char want[64];
    if (strncmp(name, "--", 2) == 0) { /* an option: its dashes are the field's underscores */
        snprintf(want, sizeof want, "%s", name + 2);
        for (char *p = want; *p; p++)
            *p = *p == '-' ? '_' : *p == '_' ? '-' : *p; /* "--val_split" is no option */
        name = want;
    }
    for (int i = 0; i < config_nfields; i++)
        if (strcmp(config_fields[i].name, name) == 0)
            return &config_fields[i];
    return NULL;
}

const char *config_option(const ConfigField *f, char *buf, size_t n) {
    snprintf(buf, n, "--%s", f->name);
    for (char *p = buf + 2; *p; p++)
        if (*p == '_')
            *p = '-';
    return buf;
}

static const char *choices_of(const ConfigField *f) { return f->choices ? f->choices : f->names(); }

/* Whether text is one of a ", "-separated list. */
static int is_choice(const char *list, const char *text) {
    size_t n = strlen(text);
    for (const char *p = list; *p;) {
        const char *end = strstr(p, ", ");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && n > 0 && strncmp(p, text, n) == 0)
            return 1;
        if (!end)
            break;
        p = end + 2;
    }
    return 0;
}

/* Parses text as field f into *at (a copy of the member): 0, or -1 with a message. */
static int parse_value(const ConfigField *f, const char *text, void *at) {
    char opt[64];
    config_option(f, opt, sizeof opt);
    char *end;
    errno = 0;
    switch (f->type) {
    case FIELD_INT: {
        long v = strtol(text, &end, 10);
        if (errno || end == text || *end || v < (long)f->min || v > (long)f->max)
            return el_fail("%s must be a whole number from %ld to %ld, got '%s'", opt, (long)f->min, (long)f->max,
                           text);
        *(int *)at = (int)v;
        return 0;
    }
    case FIELD_SEED: {
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end || v < 0 || v > (long long)(~0UL >> 1))
            return el_fail("%s must be a whole number from 0 to %ld, got '%s'", opt, (long)(~0UL >> 1), text);
        *(uint64_t *)at = (uint64_t)v;
        return 0;
    }
    case FIELD_REAL: {
        double v = strtod(text, &end);
        if (errno || end == text || *end || !(v >= f->min && v <= f->max))
            return el_fail("%s must be a number from %g to %g, got '%s'", opt, f->min, f->max, text);
        *(double *)at = v;
        return 0;
    }
    case FIELD_FLAG:
        if (!strcmp(text, "1") || !strcmp(text, "true"))
            *(int *)at = 1;
        else if (!strcmp(text, "0") || !strcmp(text, "false"))
            *(int *)at = 0;
        else
            return el_fail("%s is on (1, true) or off (0, false), got '%s'", opt, text);
        return 0;
    case FIELD_CHOICE:
        if (!is_choice(choices_of(f), text))
            return el_fail("unknown %s '%s' (known: %s)", f->name, text, choices_of(f));
        break;
    case FIELD_TEXT: break;
    }
    if (strlen(text) >= f->size)
        return el_fail("%s takes at most %zu bytes, got %zu", opt, f->size - 1, strlen(text));
    memset(at, 0, f->size); /* the whole buffer: equal configs are equal bytes */
    memcpy(at, text, strlen(text));
    return 0;
}

int config_set(ClassifierConfig *c, const char *name, const char *text) {
    const ConfigField *f = config_find(name);
    if (!f)
        return el_fail("unknown option '%s'", name);
    char value[1024]; /* the largest member, so that c changes only when text is valid */
    if (f->size > sizeof value)
        return el_fail("config field %s is too large", f->name);
    if (parse_value(f, text, value) != 0)
        return -1;
    memcpy((char *)c + f->offset, value, f->size);
    return 0;
}

void config_defaults(ClassifierConfig *c) {
    memset(c, 0, sizeof *c);
    for (int i = 0; i < config_nfields; i++)
        if (config_fields[i].def && config_set(c, config_fields[i].name, config_fields[i].def) != 0)
            abort(); /* a default outside its own range: a bug in the table */
}

int config_check(const ClassifierConfig *c) {
    if (strcmp(c->input, "onehot") == 0 && strcmp(c->embedding, "random") != 0)
        return el_fail("--embedding goes with --input embed, not onehot");
    if (c->freeze && strcmp(c->embedding, "random") == 0)
        return el_fail("--freeze needs --embedding NAME (a frozen random embedding learns nothing)");
    Tokenizer *t; /* a spec that names no tokenizer fails here, before anything is loaded */
    if (tokenizer_new(c->tokenizer, &t) != 0)
        return -1;
    tokenizer_free(t);
    if (c->bidirectional && strcmp(c->input, "onehot") == 0)
        return el_fail("--bidirectional needs --input embed");
    if (strcmp(c->subwords, "on") == 0 && strcmp(c->embedding, "random") == 0)
        return el_fail("--subwords on needs --embedding NAME, a subword embedding (embed train --subwords)");
    return 0;
}

/* One option's help line: "  --units N                  cell size (default 8)". */
static void help_line(FILE *out, const ConfigField *f) {
    char opt[64], left[160], meta[64];
    config_option(f, opt, sizeof opt);
    const char *m = f->metavar;
    if (!m && f->type == FIELD_CHOICE) {
        const char *list = choices_of(f);
        size_t w = 0;
        for (const char *r = list; *r && w + 1 < sizeof meta; r++) /* "a, b" -> "a|b" */
            if (!(*r == ' ' && r > list && r[-1] == ','))
                meta[w++] = *r == ',' ? '|' : *r;
        meta[w] = 0;
        m = meta;
    } else if (!m) {
        m = f->type == FIELD_REAL ? "F" : f->type == FIELD_FLAG ? "" : "N";
    }
    snprintf(left, sizeof left, "%s%s%s", opt, *m ? " " : "", m);
    fprintf(out, "  %-26s %s", left, f->help);
    if (f->def && !strstr(f->help, "(default"))
        fprintf(out, " (default %s)", f->def);
    fprintf(out, "\n");
}

void config_help(FILE *out) {
    for (int i = 0; i < config_nfields; i++) {
        const char *g = config_fields[i].group;
        int first = g != NULL;
        for (int j = 0; j < i && first; j++)
            first = !config_fields[j].group || strcmp(config_fields[j].group, g) != 0;
        if (!first)
            continue;
        fprintf(out, "%s:\n", g);
        for (int j = i; j < config_nfields; j++)
            if (config_fields[j].group && strcmp(config_fields[j].group, g) == 0)
                help_line(out, &config_fields[j]);
    }
}

const char *config_format(const ClassifierConfig *c, const ConfigField *f, char *buf, size_t n) {
    const char *at = (const char *)c + f->offset;
    switch (f->type) {
    case FIELD_INT:
    case FIELD_FLAG: snprintf(buf, n, "%d", *(const int *)at); break;
    case FIELD_SEED: snprintf(buf, n, "%" PRIu64, *(const uint64_t *)at); break;
    case FIELD_REAL: snprintf(buf, n, "%.17g", *(const double *)at); break;
    case FIELD_CHOICE:
    case FIELD_TEXT: snprintf(buf, n, "%s", at); break;
    }
    return buf;
}
