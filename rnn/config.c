/* rnn/config.c: the table of a model's and its training's configuration
 * and what follows from it (a run's whole table, with the experiment's
 * fields: experiments/run/experiment.c). */
#include "rnn/config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "rnn/cell.h"

/* Where a member of ClassifierConfig lives, and how big it is. */
#define AT(member) OPTION_AT(ClassifierConfig, member)

/* The names of the choice fields, in the order of their values (rnn/train.h,
 * rnn/cell.h, rnn/model.h, rnn/optim.h, embed/data/sequence.h). */
static const char *const activation_names[] = {"tanh", "relu", "leaky_relu", "selu", NULL};
static const char *const input_names[] = {"onehot", "embed", NULL};
static const char *const side_names[] = {"pre", "post", NULL};
static const char *const subwords_names[] = {"auto", "on", "off", NULL};
static const char *const pool_names[] = {"last", "mean", "max", NULL};
static const char *const optim_names[] = {"sgd", "rmsprop", "adam", NULL};

static const Option fields[] = {
    {"cell", OPTION_ENUM, AT(cell), "rnn", 0, 0, NULL, cell_name_at, NULL, "Model", "cell type; rnn is a SimpleRNN", 0},
    {"activation", OPTION_ENUM, AT(activation), "tanh", 0, 0, activation_names, NULL, "A", "Model",
     "SimpleRNN activation", 0},
    {"input", OPTION_ENUM, AT(input), "embed", 0, 0, input_names, NULL, NULL, "Model",
     "one-hot vectors over the vocabulary, or an embedding", 0},
    {"dim", OPTION_INT, AT(dim), "16", 1, 4096, NULL, NULL, NULL, "Model",
     "embedding size (default 16, or the embedding's)", FIELD_EMBED_ONLY},
    {"units", OPTION_INT, AT(units), "8", 1, 4096, NULL, NULL, NULL, "Model", "cell size", 0},
    {"layers", OPTION_INT, AT(layers), "1", 1, MAX_LAYERS, NULL, NULL, NULL, "Model",
     "stacked cells, full sequences between them", 0},
    {"pool", OPTION_ENUM, AT(pool), "last", 0, 0, pool_names, NULL, NULL, "Model",
     "the top layer's outputs into the head: the last step's, or mean or max over non-padding steps", 0},
    {"bidirectional", OPTION_FLAG, AT(bidirectional), NULL, 0, 0, NULL, NULL, NULL, "Model",
     "a second cell per layer over the reversed sequence, outputs side by side (default off)", 0},
    {"vocab", OPTION_INT, AT(vocab), "500", 3, 10000000, NULL, NULL, NULL, "Data",
     "keep indices below N, as Keras' num_words", 0},
    {"maxlen", OPTION_INT, AT(maxlen), "100", 1, 100000, NULL, NULL, NULL, "Data", "sequence length", 0},
    {"pad", OPTION_ENUM, AT(pad), "pre", 0, 0, side_names, NULL, NULL, "Data", "where padding goes (pre, as Keras)", 0},
    {"truncate", OPTION_ENUM, AT(truncate), "pre", 0, 0, side_names, NULL, NULL, "Data",
     "where long reviews are cut (pre, as Keras)", 0},
    {"mask", OPTION_FLAG, AT(mask), NULL, 0, 0, NULL, NULL, NULL, "Model",
     "padding steps leave the state unchanged (default off)", 0},
    {"freeze", OPTION_FLAG, AT(freeze), NULL, 0, 0, NULL, NULL, NULL, "Model", "keep the embedding fixed (default off)",
     0},
    {"subwords", OPTION_ENUM, AT(subwords), "auto", 0, 0, subwords_names, NULL, NULL, "Model",
     "each token the mean of its word row and its n-grams' rows (fastText), from a subword embedding; auto: on when "
     "--embedding has n-grams",
     FIELD_EMBED_ONLY},
    {"dropout", OPTION_REAL, AT(dropout), "0", 0, 0.99, NULL, NULL, NULL, "Model", "dropout on each cell's input", 0},
    {"recurrent_dropout", OPTION_REAL, AT(recurrent_dropout), "0", 0, 0.99, NULL, NULL, NULL, "Model",
     "dropout on each cell's state", 0},
    {"opt", OPTION_ENUM, AT(opt), "rmsprop", 0, 0, optim_names, NULL, NULL, "Training", "optimiser, Keras defaults", 0},
    {"lr", OPTION_REAL, AT(lr), "1e-4", 1e-12, 100, NULL, NULL, NULL, "Training", "learning rate", 0},
    {"clip", OPTION_REAL, AT(clip), "0", 0, 1e12, NULL, NULL, NULL, "Training",
     "clip the gradient's global norm (default 0: off)", 0},
    {"batch", OPTION_INT, AT(batch), "64", 1, 65536, NULL, NULL, NULL, "Training", "batch size", 0},
    {"bucket", OPTION_INT, AT(bucket), "0", 0, 100000, NULL, NULL, NULL, "Training",
     "under --mask, batches of like length: each epoch's shuffled reviews are cut into pools of N batches, each "
     "pool sorted by length and its batches shuffled (default 0: off)",
     0},
    {"epochs", OPTION_INT, AT(epochs), "100", 1, 100000, NULL, NULL, NULL, "Training", "at most N epochs", 0},
    {"patience", OPTION_INT, AT(patience), "3", 0, 100000, NULL, NULL, NULL, "Training",
     "early stopping on validation loss, best weights restored (default 3; 0: off)", 0},
    {"val_split", OPTION_REAL, AT(val_split), "0.2", 0.01, 0.9, NULL, NULL, NULL, "Data",
     "validation share of train, drawn by the seed", 0},
    {"seed", OPTION_SEED, AT(seed), "1", 0, 0, NULL, NULL, NULL, "Training",
     "fixes every random choice; results are bit-identical for any --threads", 0},
    {"threads", OPTION_INT, AT(threads), "0", 0, 1024, NULL, NULL, NULL, NULL, "threads the run used", FIELD_RECORDED},
};
const OptionTable config_table = {fields, (int)(sizeof fields / sizeof *fields)};

const Option *config_find(const char *name) { return opt_find(&config_table, name); }

int config_set(ClassifierConfig *c, const char *name, const char *text) {
    return opt_set(&config_table, c, name, text);
}

void config_defaults(ClassifierConfig *c) {
    memset(c, 0, sizeof *c);
    opt_defaults(&config_table, c);
}

int config_check(const ClassifierConfig *c) {
    /* Without the mask every review runs all maxlen steps: buckets would
     * change the batches and save nothing. */
    if (c->bucket > 0 && !c->mask)
        return el_fail("--bucket needs --mask (without it every review runs all --maxlen steps)");
    return 0;
}

void config_help(FILE *out) { opt_help(&config_table, out); }

const char *config_format(const ClassifierConfig *c, const Option *f, char *buf, size_t n) {
    return opt_format(c, f, buf, n);
}

const char *config_text(const ClassifierConfig *c, const char *name, char *buf, size_t n) {
    const Option *f = config_find(name);
    if (!f) {
        snprintf(buf, n, "%s", "");
        return buf;
    }
    return opt_format(c, f, buf, n);
}
