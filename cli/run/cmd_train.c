/* cli/run/cmd_train.c: "embedlab train". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "db/embeddings.h"
#include "db/runs.h"
#include "embed/data/dataset.h"
#include "experiments/run/runner.h"
#include "experiments/run/saved_run.h"
#include "rnn/config.h"
#include "rnn/train.h"

static const char train_help[] = "Usage: embedlab train [options]\n\n"
                                 "Trains a recurrent sentiment classifier on the reviews, records every epoch and the\n"
                                 "final test metrics and parameters as a run in the lab database.\n\n";

/* train's own option besides the configuration's fields: not a setting of the
 * run (nothing records it), but whether to train at all. */
typedef struct {
    int reuse;
} TrainArgs;
static const Option train_fields[] = {
    {"reuse", OPTION_FLAG, OPTION_AT(TrainArgs, reuse), NULL, 0, 0, NULL, NULL, NULL, "Resuming",
     "report a finished run instead of training when it would record the same: the same settings (--threads "
     "too), embedding (the same row, not only the name), tokenizer model and reviews (their content, not only the "
     "paths)",
     0},
};
static const OptionTable train_options = {train_fields, 1};

/* What the parse saw of the run's fields besides their values. */
typedef struct {
    Experiment *c;
    int dim_given, tok_given;
} Given;

/* One field of the run configuration given: set in the experiment, and
 * noted if it is --dim or --tokenizer. */
static int field_given(void *ctx, const Option *o, const char *text) {
    Given *g = ctx;
    g->dim_given |= strcmp(o->name, "dim") == 0;
    g->tok_given |= strcmp(o->name, "tokenizer") == 0;
    return experiment_set(g->c, o->name, text);
}

/* Parses training options into c; returns -1 when done, else an exit status.
 * The options are the fields of the run configuration's table
 * (experiments/run/experiment.h) and train's own (--reuse). */
static int train_parse(const char *cmd, int argc, char **argv, Experiment *c, CommonOpts *co, int *dim_given,
                       int *tok_given, int *reuse) {
    Given g = {c, 0, 0};
    TrainArgs a;
    const CliTable tables[] = {{.table = experiment_table(), .obj = c, .given = field_given, .ctx = &g},
                               {.table = &train_options, .obj = &a}};
    int r = cli_parse_tables(cmd, train_help, tables, 2, NULL, argc, argv, co);
    *dim_given = g.dim_given;
    *tok_given = g.tok_given;
    *reuse = a.reuse;
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (experiment_check(c) != 0)
        return cli_usage(cmd, "%s", el_error());
    return -1;
}

/* The tokenizer of a run of c: a named embedding's (its model too), which a
 * --tokenizer given must name; else c's spec (a learned kind still to be
 * trained, on the train split, as the data loads). 0, or -1 with a message. */
static int train_tokenizer(sqlite3 *db, Experiment *c, int tok_given, Tokenizer **out) {
    if (c->model.input != INPUT_EMBED || strcmp(c->embedding, "random") == 0)
        return tokenizer_new(c->tokenizer, out);
    if (db_embedding_tokenizer(db, c->embedding, out, NULL) != 0)
        return -1;
    Tokenizer *given;
    if (tok_given && tokenizer_new(c->tokenizer, &given) == 0) { /* experiment_check has parsed it */
        int same = strcmp(tokenizer_spec(given), tokenizer_spec(*out)) == 0;
        tokenizer_free(given);
        if (!same) {
            el_fail("--tokenizer %s does not match embedding '%s', trained with tokenizer %s (leave --tokenizer out "
                    "to use it)",
                    c->tokenizer, c->embedding, tokenizer_spec(*out));
            tokenizer_free(*out);
            *out = NULL;
            return -1;
        }
    }
    snprintf(c->tokenizer, sizeof c->tokenizer, "%s", tokenizer_spec(*out));
    return 0;
}

int cmd_train(int argc, char **argv) {
    const char *cmd = "embedlab train";
    Experiment c;
    experiment_defaults(&c);
    CommonOpts co;
    common_init(&co);
    int dim_given, tok_given, reuse;
    int r = train_parse(cmd, argc, argv, &c, &co, &dim_given, &tok_given, &reuse);
    if (r >= 0)
        return r;
    if (classifier_fits(&c.model, el_threads(), 0) != 0) /* before the data is read or anything is recorded */
        return cli_failed();
    sqlite3 *db;
    if (lab_open(lab_path(co.db), &db) != 0)
        return cli_failed();
    cli_catch_interrupts();
    int64_t run = 0;
    RunResult res;
    LabData data;
    Tokenizer *tok;
    int rc = train_tokenizer(db, &c, tok_given, &tok);
    if (rc == 0)
        rc = labdata_load(&data, co.data, co.test_data, tok);
    if (rc == 0) {
        size_t reviews = 0;
        cli_corpus_warn(&data.corpus);
        for (size_t i = 0; i < data.corpus.ndocs; i++)
            reviews += data.corpus.docs[i].label >= 0;
        rc = classifier_fits(&c.model, el_threads(), reviews); /* again, with the datasets these reviews make */
        if (rc == 0) {
            RunOptions ro = {.dim_given = dim_given, .stop = &cli_interrupted, .reuse = reuse};
            rc = classifier_run(db, &c, &data, &ro, &run, &res);
        }
        labdata_free(&data);
    }
    lab_close(db);
    if (rc == 2) { /* --reuse found it: the line a run prints, from its stored results */
        fprintf(stderr,
                "embedlab: run %lld reused: it finished with the same settings, embedding and data; nothing trained "
                "or recorded (leave out --reuse to train again)\n",
                (long long)run);
        rc = 0;
    }
    if (rc != 0)
        return cli_interrupted ? (fprintf(stderr, "embedlab: error: %s\n", el_error()), 130) : cli_failed();
    printf("Run %lld finished: test accuracy %.4f, test loss %.4f (best epoch %d of %d, validation accuracy %.4f, "
           "%.2f s per epoch, %lld parameters)\n",
           (long long)run, res.test_acc, res.test_loss, res.best_epoch, res.epochs, res.val_acc, res.seconds_per_epoch,
           (long long)res.params);
    return 0;
}
