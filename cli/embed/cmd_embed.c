/* cli/embed/cmd_embed.c: "embedlab embed ...": the subcommands, and train (the others
 * are cli/embed/cmd_embed_list.c, _rm.c, _eval.c and _io.c, index cli/embed/cmd_embed_index.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "experiments/run/embed_job.h"
#include "core/common.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/data/source.h"
#include "embed/text/tokenizer.h"
#include "embed/trainer.h"
#include "embed/word2vec.h"

/* ---- embed train ---- */

static const char train_help[] =
    "Usage: embedlab embed train [--trainer NAME] [options]\n\n"
    "Trains word vectors with a trainer (default word2vec) and stores them in the lab\n"
    "database in one transaction. The trainer's options follow embed train's own; those of\n"
    "another trainer: embedlab embed train --trainer NAME --help.\n\n";

/* What embed train's options say, besides the common ones and the trainer's. */
typedef struct {
    int trainer;        /* its index in embed/trainer.h's registry */
    const char *name;   /* NULL: the default name */
    const char *corpus; /* train, all, or a file */
    const char *spec;   /* the tokenizer */
} TrainArgs;

#define AT(member) OPTION_AT(TrainArgs, member)
static const Option train_fields[] = {
    {"trainer", OPTION_ENUM, AT(trainer), "word2vec", 0, 0, NULL, trainer_name_at, "NAME", "Options", "the trainer", 0},
    {"name", OPTION_STRING, AT(name), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "embedding name: 1-64 of A-Z a-z 0-9 . _ + -, starting with a letter or digit (default: CORPUS-SETTINGS, "
     "e.g. train-sg-ns-d100-s1)",
     0},
    {"corpus", OPTION_STRING, AT(corpus), "train", 0, 0, NULL, NULL, "C", "Options",
     "train (default: the train split's reviews), all (train and test texts, labels unused), or a UTF-8 file, one "
     "sentence a line",
     0},
    {"tokenizer", OPTION_STRING, AT(spec), "words", 0, 0, NULL, NULL, "SPEC", "Options",
     "words (default), unicode, chars or spm[:unigram|bpe[:N]] (a learned SentencePiece model, trained on the "
     "train split only), recorded with the embedding (a learned model stored with it); a classifier run on it "
     "uses the same tokenizer",
     0},
};
#undef AT
static const OptionTable train_options = {train_fields, (int)(sizeof train_fields / sizeof *train_fields)};

/* The trainer --trainer names (its table decides which other options there
 * are, so it is read first, as the parse will read it), or NULL after a
 * usage error. The options of every trainer are known to the peek, so that
 * their values are skipped as a parse would. */
static const EmbedTrainer *chosen_trainer(const char *cmd, int argc, char **argv, TrainArgs *a) {
    enum { MAX_TABLES = 17 };
    CliTable tables[MAX_TABLES] = {{.table = &train_options}};
    int n = 1;
    for (int i = 0; trainer_at(i) && n < MAX_TABLES; i++)
        tables[n++] = (CliTable){.table = trainer_at(i)->options};
    const char *name = cli_peek(tables, n, "trainer", argc, argv);
    opt_defaults(&train_options, a);
    if (name && opt_set(&train_options, a, "trainer", name) != 0) {
        cli_usage(cmd, "%s", el_error());
        return NULL;
    }
    return trainer_at(a->trainer);
}

/* Parses embed train's options into co, the trainer's params and a; -1 when
 * done, else an exit status. */
static int train_options_parse(const char *cmd, int argc, char **argv, CommonOpts *co, const EmbedTrainer *t,
                               void *params, TrainArgs *a) {
    const CliTable tables[] = {{.table = &train_options, .obj = a}, {.table = t->options, .obj = params}};
    int r = cli_parse_tables(cmd, train_help, tables, 2, NULL, argc, argv, co);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (t->check(params) != 0)
        return cli_usage(cmd, "%s", el_error());
    return -1;
}

/* The default name of an embedding: CORPUS-SETTINGS (the trainer's part),
 * CORPUS the corpus file's base name made a valid name. */
static void default_name(const EmbedTrainer *t, const void *params, const char *corpus, char *buf, size_t size) {
    const char *base = strrchr(corpus, '/');
    char settings[128];
    t->settings_name(params, settings, sizeof settings);
    snprintf(buf, size, "%s-%s", base ? base + 1 : corpus, settings);
    name_fix(buf); /* a corpus file name may hold anything */
}

/* Loads the corpus (train, all, or a file of lines) and trains and saves
 * embedding name into db; prints what was trained. 0, or -1 with a message. */
static int train_into(sqlite3 *db, const CommonOpts *co, const EmbedTrainer *t, const void *params, const char *name,
                      const char *corpus, Tokenizer *tok) {
    Corpus c;
    corpus_init(&c);
    c.tok = tok;
    unsigned splits;
    /* A learned tokenizer learns from the train split (or the file) only, even for --corpus all. */
    int lines = strcmp(corpus, "train") != 0 && strcmp(corpus, "all") != 0;
    int rc = source_train_tokenizer(tok, lines ? corpus : co->data, lines);
    if (!lines) {
        splits = strcmp(corpus, "train") == 0 ? SPLIT_MASK(SPLIT_TRAIN) : SPLITS_ALL;
        if (rc == 0)
            rc = cli_load_corpus(co, splits, &c);
    } else {
        splits = SPLIT_MASK(SPLIT_TRAIN);
        if (rc == 0)
            rc = corpus_load_lines(&c, corpus, SPLIT_TRAIN);
    }
    if (rc == 0)
        cli_corpus_warn(&c);
    EmbedJobResult r;
    if (rc == 0)
        rc = embed_job_train(db, name, &c, splits, corpus, t, params, &r);
    if (rc == 0) {
        char sub[128] = "";
        if (r.minn > 0)
            snprintf(sub, sizeof sub, " and %lld n-gram rows (%d-%d characters)", (long long)r.nngrams, r.minn, r.maxn);
        printf("Trained %s: %d words x %d dims%s, %lld corpus tokens x %d epochs in %.1f s (%.0f words/s); "
               "saved to %s\n",
               name, r.nwords, r.dim, sub, (long long)r.corpus_tokens, r.epochs, r.seconds, r.words_per_sec,
               lab_path(co->db));
        rc = cli_index_new_embedding(db, name);
    }
    corpus_free(&c);
    return rc;
}

int cmd_embed_train(int argc, char **argv) {
    const char *cmd = "embedlab embed train";
    TrainArgs a;
    const EmbedTrainer *t = chosen_trainer(cmd, argc, argv, &a);
    if (!t)
        return 2;
    CommonOpts co;
    void *params = xcalloc(1, t->params_size);
    trainer_defaults(t, params, 0);
    int r = train_options_parse(cmd, argc, argv, &co, t, params, &a);
    Tokenizer *tok = NULL;
    if (r < 0 && tokenizer_new(a.spec, &tok) != 0)
        r = cli_usage(cmd, "%s", el_error());
    char name[256];
    if (r < 0 && !a.name)
        default_name(t, params, a.corpus, name, sizeof name);
    else if (r < 0 && name_check("embedding", a.name) != 0)
        r = cli_usage(cmd, "%s", el_error());
    else if (r < 0)
        snprintf(name, sizeof name, "%s", a.name);
    sqlite3 *db = NULL;
    if (r < 0)
        r = lab_open(lab_path(co.db), &db) == 0 ? -1 : cli_failed();
    if (r < 0) {
        int exists = db_embedding_exists(db, name);
        if (exists > 0)
            el_fail("an embedding named '%s' already exists (remove it with 'embedlab embed rm %s')", name, name);
        r = exists == 0 && train_into(db, &co, t, params, name, a.corpus, tok) == 0 ? 0 : cli_failed();
    }
    lab_close(db);
    tokenizer_free(tok);
    free(params);
    return r;
}

int cmd_embed(int argc, char **argv) {
    static const Command sub[] = {
        {"train", "train word vectors (word2vec, ...) into the lab database", cmd_embed_train},
        {"list", "list stored embeddings", cmd_embed_list},
        {"rm", "remove an embedding", cmd_embed_rm},
        {"eval", "analogy accuracy and word-similarity correlation", cmd_embed_eval},
        {"export", "write vectors in word2vec text or binary format", cmd_embed_export},
        {"import", "read vectors in word2vec text or binary format", cmd_embed_import},
        {"index", "build the nearest-word index of an embedding", cmd_embed_index},
        {NULL, NULL, NULL}};
    return cli_dispatch("embedlab embed", sub, argc, argv);
}
