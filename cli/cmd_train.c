/* cli/cmd_train.c: "embedlab train", "embedlab predict", "embedlab eval". */
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

enum { OPT_REUSE = 1999, OPT_FIELD = 2000 }; /* OPT_FIELD + the field's index in config_fields */

/* train's own option besides the configuration's fields: not a setting of the
 * run (nothing records it), but whether to train at all. */
static const struct option reuse_option = {"reuse", no_argument, 0, OPT_REUSE};
static const char reuse_help[] =
    "Resuming:\n"
    "  --reuse                    report a finished run instead of training when it would record the same:\n"
    "                             the same settings (--threads too), embedding (the same row, not only the\n"
    "                             name), tokenizer model and reviews (their content, not only the paths)\n";

/* train's --help: its own lines, the options of rnn/config.c's table, the
 * common ones. The caller frees it. */
static char *train_help_text(void) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return xstrdup(train_help);
    fputs(train_help, f);
    config_help(f);
    fprintf(f, "%s\n%s", reuse_help, COMMON_HELP);
    fclose(f);
    return text;
}

/* Parses training options into c; returns -1 when done, else an exit status.
 * The options are the fields of rnn/config.c's table and --reuse (*reuse). */
static int train_parse(const char *cmd, int argc, char **argv, ClassifierConfig *c, CommonOpts *co, int *dim_given,
                       int *tok_given, int *reuse) {
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    struct option longopts[64 + 1 + sizeof common / sizeof *common];
    char names[64][64];
    int n = 0;
    for (int i = 0; i < config_nfields && n < 64; i++) {
        const ConfigField *f = &config_fields[i];
        if (f->flags & FIELD_RECORDED)
            continue;
        longopts[n] = (struct option){config_option(f, names[n], sizeof names[n]) + 2, /* without "--" */
                                      f->type == FIELD_FLAG ? no_argument : required_argument, 0, OPT_FIELD + i};
        n++;
    }
    longopts[n++] = reuse_option;
    memcpy(longopts + n, common, sizeof common);
    int opt;
    optind = 1;
    *dim_given = *tok_given = *reuse = 0;
    char *help = train_help_text();
    while ((opt = cli_next(cmd, help, argc, argv, longopts, co)) >= OPT_REUSE) {
        if (opt == OPT_REUSE) {
            *reuse = 1;
            continue;
        }
        const ConfigField *f = &config_fields[opt - OPT_FIELD];
        if (config_set(c, f->name, f->type == FIELD_FLAG ? "1" : optarg) != 0)
            break;
        *dim_given |= strcmp(f->name, "dim") == 0;
        *tok_given |= strcmp(f->name, "tokenizer") == 0;
    }
    free(help);
    if (opt >= OPT_REUSE)
        return cli_usage(cmd, "%s", el_error());
    if (opt != CLI_END)
        return cli_status(opt);
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (config_check(c) != 0)
        return cli_usage(cmd, "%s", el_error());
    return -1;
}

/* The tokenizer of a run of c: a named embedding's (its model too), which a
 * --tokenizer given must name; else c's spec (a learned kind still to be
 * trained, on the train split, as the data loads). 0, or -1 with a message. */
static int train_tokenizer(sqlite3 *db, ClassifierConfig *c, int tok_given, Tokenizer **out) {
    if (strcmp(c->input, "embed") != 0 || strcmp(c->embedding, "random") == 0)
        return tokenizer_new(c->tokenizer, out);
    if (db_embedding_tokenizer(db, c->embedding, out, NULL) != 0)
        return -1;
    Tokenizer *given;
    if (tok_given && tokenizer_new(c->tokenizer, &given) == 0) { /* config_check has parsed it */
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
    ClassifierConfig c;
    config_defaults(&c);
    CommonOpts co;
    common_init(&co);
    int dim_given, tok_given, reuse;
    int r = train_parse(cmd, argc, argv, &c, &co, &dim_given, &tok_given, &reuse);
    if (r >= 0)
        return r;
    common_apply(&co);
    if (classifier_fits(&c, el_threads(), 0) != 0) /* before the data is read or anything is recorded */
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
        rc = classifier_fits(&c, el_threads(), reviews); /* again, with the datasets these reviews make */
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

/* ---- predict and eval ---- */

static const char predict_help[] =
    "Usage: embedlab predict --run ID TEXT [TEXT ...]\n\n"
    "Prints the probability that each TEXT is a positive review, by the trained model of run ID.\n"
    "Texts are tokenized by the run's tokenizer (a learned one's model read from the lab database);\n"
    "--tokenizer SPEC, if given, must name it.\n\n" COMMON_HELP;
static const char eval_help[] =
    "Usage: embedlab eval --run ID [--data FILE]\n\n"
    "Scores run ID's trained model on the test split of the data it was trained on, or on a\n"
    "LABEL<TAB>TEXT file given with --data. Prints loss, accuracy and the count. Reviews are\n"
    "tokenized by the run's tokenizer; --tokenizer SPEC, if given, must name it.\n\n" COMMON_HELP;

/* --run ID and the common options of predict and eval; eval's --data FILE
 * (in *file, NULL if not given) is a file to score on, not the training data;
 * predict takes --data as every command does, and has no use for it. */
static int run_option(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, long *run,
                      const char **file, const char **spec) {
    static const struct option longopts[] = {{"run", required_argument, 0, 'r'},
                                             {"tokenizer", required_argument, 0, 't'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    common_init(co);
    co->data = NULL;
    *run = 0;
    int opt;
    optind = 1;
    for (;;) {
        opt = cli_next(cmd, help, argc, argv, longopts, co);
        if (opt == 't') {
            *spec = optarg;
            continue;
        }
        if (opt != 'r')
            break;
        if (cli_int(cmd, "--run", optarg, 1, 1L << 40, run))
            return 2;
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (file)
        *file = co->data;
    if (!*run)
        return cli_usage(cmd, "--run ID is required (see 'embedlab runs')");
    common_apply(co);
    return -1;
}

/* 0 if spec (NULL: not given) names the run's tokenizer, else -1 with a
 * message: a run reads text only as it was trained to. */
static int check_tokenizer(const SavedRun *sr, long run, const char *spec) {
    Tokenizer *t;
    if (!spec)
        return 0;
    if (tokenizer_new(spec, &t) != 0)
        return -1;
    int same = strcmp(tokenizer_spec(t), tokenizer_spec(sr->tok)) == 0;
    tokenizer_free(t);
    return same ? 0
                : el_fail("--tokenizer %s does not match run %ld, trained with tokenizer %s (leave --tokenizer out to "
                          "use it)",
                          spec, run, tokenizer_spec(sr->tok));
}

/* Opens the lab database of co and loads finished run `run` into sr (free it
 * with saved_run_free); 0, or -1 with a message. */
static int load_run(const CommonOpts *co, long run, SavedRun *sr) {
    sqlite3 *db;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    int rc = saved_run_load(db, run, sr);
    lab_close(db);
    return rc;
}

int cmd_predict(int argc, char **argv) {
    const char *cmd = "embedlab predict";
    CommonOpts co;
    long run;
    const char *spec = NULL;
    int r = run_option(cmd, predict_help, argc, argv, &co, &run, NULL, &spec);
    if (r >= 0)
        return r;
    if (optind >= argc)
        return cli_usage(cmd, "give at least one TEXT");
    SavedRun sr;
    if (load_run(&co, run, &sr) != 0)
        return cli_failed();
    if (check_tokenizer(&sr, run, spec) != 0) {
        saved_run_free(&sr);
        return cli_failed();
    }
    int n = argc - optind;
    real *p = xmalloc(n * sizeof *p);
    if (saved_run_predict(&sr, argv + optind, n, p) != 0) {
        free(p);
        saved_run_free(&sr);
        return cli_failed();
    }
    for (int i = 0; i < n; i++) {
        const char *t = argv[optind + i];
        printf("%.4f  %s  %.60s%s\n", p[i], p[i] >= 0.5 ? "positive" : "negative", t, strlen(t) > 60 ? "..." : "");
    }
    free(p);
    saved_run_free(&sr);
    return 0;
}

int cmd_eval(int argc, char **argv) {
    const char *cmd = "embedlab eval";
    CommonOpts co;
    long run;
    const char *file = NULL, *spec = NULL;
    int r = run_option(cmd, eval_help, argc, argv, &co, &run, &file, &spec);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    SavedRun sr;
    if (load_run(&co, run, &sr) != 0)
        return cli_failed();
    if (check_tokenizer(&sr, run, spec) != 0) {
        saved_run_free(&sr);
        return cli_failed();
    }
    Dataset d;
    int rc = saved_run_test(&sr, file, &d);
    if (rc == 0) {
        EvalResult e = evaluate(&sr.m, &d);
        printf("Run %ld on %s: loss %.4f, accuracy %.4f over %lld reviews\n", run, file ? file : "the test split",
               e.loss, e.acc, (long long)d.n);
        dataset_free(&d);
    }
    saved_run_free(&sr);
    return rc == 0 ? 0 : cli_failed();
}
