/* cli/cmd_train.c: "embedlab train", "embedlab predict", "embedlab eval". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/memory.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/runs.h"
#include "embed/dataset.h"
#include "embed/sequence.h"
#include "embed/text.h"
#include "embed/vocab.h"
#include "experiments/runner.h"
#include "rnn/config.h"
#include "rnn/train.h"

static const char train_help[] = "Usage: embedlab train [options]\n\n"
                                 "Trains a recurrent sentiment classifier on the reviews, records every epoch and the\n"
                                 "final test metrics and parameters as a run in the lab database.\n\n";

enum { OPT_FIELD = 2000 }; /* + the field's index in config_fields */

/* Parses training options into c; returns -1 when done, else an exit status.
 * The options are the fields of rnn/config.c's table. */
static int train_parse(const char *cmd, int argc, char **argv, ClassifierConfig *c, CommonOpts *co, int *dim_given) {
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    struct option longopts[64 + sizeof common / sizeof *common];
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
    memcpy(longopts + n, common, sizeof common);
    int opt;
    optind = 1;
    *dim_given = 0;
    while ((opt = cli_next(cmd, argc, argv, longopts, co)) != -1) {
        if (opt == -2)
            return 2;
        if (opt == 'h') {
            printf("%s", train_help);
            config_help(stdout);
            printf("\n%s", COMMON_HELP);
            return 0;
        }
        if (opt < OPT_FIELD)
            return cli_usage(cmd, "unknown option");
        const ConfigField *f = &config_fields[opt - OPT_FIELD];
        if (config_set(c, f->name, f->type == FIELD_FLAG ? "1" : optarg) != 0)
            return cli_usage(cmd, "%s", el_error());
        *dim_given |= strcmp(f->name, "dim") == 0;
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (config_check(c) != 0)
        return cli_usage(cmd, "%s", el_error());
    return -1;
}

int cmd_train(int argc, char **argv) {
    const char *cmd = "embedlab train";
    ClassifierConfig c;
    config_defaults(&c);
    CommonOpts co;
    common_init(&co);
    int dim_given;
    int r = train_parse(cmd, argc, argv, &c, &co, &dim_given);
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
    int rc = labdata_load(&data, co.data, co.test_data);
    if (rc == 0) {
        size_t empty = corpus_count_empty(&data.corpus, SPLITS_ALL), reviews = 0;
        if (empty > 0)
            fprintf(stderr, "embedlab: warning: %zu empty reviews (no words): the model sees them as all padding\n",
                    empty);
        for (size_t i = 0; i < data.corpus.ndocs; i++)
            reviews += data.corpus.docs[i].label >= 0;
        rc = classifier_fits(&c, el_threads(), reviews); /* again, with the datasets these reviews make */
        if (rc == 0) {
            RunOptions ro = {.dim_given = dim_given, .stop = &cli_interrupted};
            rc = classifier_run(db, &c, &data, &ro, &run, &res);
        }
        labdata_free(&data);
    }
    lab_close(db);
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
    "Prints the probability that each TEXT is a positive review, by the trained model of run ID.\n\n" COMMON_HELP;
static const char eval_help[] =
    "Usage: embedlab eval --run ID [--data FILE]\n\n"
    "Scores run ID's trained model on the test split of the data it was trained on, or on a\n"
    "LABEL<TAB>TEXT file given with --data. Prints loss, accuracy and the count.\n\n" COMMON_HELP;

typedef struct {
    ClassifierConfig c;
    Model m;
    Dict words; /* dict id + 2 == index */
} LoadedRun;

static int load_run(sqlite3 *db, int64_t run, LoadedRun *lr) {
    char *vocab;
    if (run_load(db, run, &lr->c, &lr->m, &vocab) != 0)
        return -1;
    dict_init(&lr->words);
    for (char *p = vocab, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            break;
        dict_add(&lr->words, p, nl - p);
    }
    free(vocab);
    return 0;
}

/* Text -> index sequence through a run's stored vocabulary. */
/* A word's index under a run's stored vocabulary and cap. */
static int32_t run_index(const LoadedRun *lr, const char *word, size_t len) {
    int32_t id = dict_find(&lr->words, word, len);
    return id >= 0 && id + 2 < lr->c.vocab ? id + 2 : INDEX_OOV;
}

/* Text -> index sequence through a run's stored vocabulary. */
static void encode(const LoadedRun *lr, const char *text, size_t n, int32_t *out) {
    char *tok = xmalloc(n + 1);
    size_t len = text_tokens(text, n, tok);
    int32_t *idx = xmalloc((len + 1) * sizeof *idx);
    size_t k = 0;
    for (char *p = tok, *end = tok + len; p < end;) {
        char *q = memchr(p, ' ', end - p);
        if (!q)
            q = end;
        idx[k++] = run_index(lr, p, q - p);
        p = q + 1;
    }
    seq_shape(idx, k, lr->c.maxlen, seq_side(lr->c.pad), seq_side(lr->c.truncate), out);
    free(idx);
    free(tok);
}

static int run_option(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, long *run,
                      const char **file) {
    static const struct option longopts[] = {{"run", required_argument, 0, 'r'}, COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    common_init(co);
    *run = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == OPT_DATA && file) {
            *file = optarg;
            continue;
        }
        int r = common_option(cmd, opt, optarg, co);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        if (opt == 'h') {
            printf("%s", help);
            return 0;
        }
        if (opt == 'r') {
            if (cli_int(cmd, "--run", optarg, 1, 1L << 40, run))
                return 2;
            continue;
        }
        return cli_usage(cmd, "unknown option");
    }
    if (!*run)
        return cli_usage(cmd, "--run ID is required (see 'embedlab runs')");
    common_apply(co);
    return -1;
}

int cmd_predict(int argc, char **argv) {
    const char *cmd = "embedlab predict";
    CommonOpts co;
    long run;
    int r = run_option(cmd, predict_help, argc, argv, &co, &run, NULL);
    if (r >= 0)
        return r;
    if (optind >= argc)
        return cli_usage(cmd, "give at least one TEXT");
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    LoadedRun lr;
    int rc = load_run(db, run, &lr);
    lab_close(db);
    if (rc != 0)
        return cli_failed();
    int n = argc - optind;
    int32_t *x = xmalloc((size_t)n * lr.c.maxlen * sizeof *x);
    real *p = xmalloc(n * sizeof *p);
    for (int i = 0; i < n; i++)
        encode(&lr, argv[optind + i], strlen(argv[optind + i]), x + (size_t)i * lr.c.maxlen);
    predict_probs(&lr.m, x, n, p);
    for (int i = 0; i < n; i++) {
        const char *t = argv[optind + i];
        printf("%.4f  %s  %.60s%s\n", p[i], p[i] >= 0.5 ? "positive" : "negative", t, strlen(t) > 60 ? "..." : "");
    }
    free(x);
    free(p);
    dict_free(&lr.words);
    model_free(&lr.m);
    return 0;
}

int cmd_eval(int argc, char **argv) {
    const char *cmd = "embedlab eval";
    CommonOpts co;
    long run;
    const char *file = NULL;
    int r = run_option(cmd, eval_help, argc, argv, &co, &run, &file);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    LoadedRun lr;
    int rc = load_run(db, run, &lr);
    lab_close(db);
    if (rc != 0)
        return cli_failed();
    Corpus c;
    corpus_init(&c);
    if (file) {
        rc = corpus_load_tsv(&c, file, SPLIT_TEST);
    } else {
        CommonOpts data = co;
        data.data = lr.c.data;
        data.test_data = lr.c.test_data[0] ? lr.c.test_data : NULL;
        rc = cli_load_corpus(&data, SPLIT_MASK(SPLIT_TEST), &c);
    }
    if (rc == 0) {
        Dataset d = {.maxlen = lr.c.maxlen};
        for (size_t i = 0; i < c.ndocs; i++)
            d.n += c.docs[i].label >= 0;
        d.x = xmalloc((size_t)(d.n + 1) * lr.c.maxlen * sizeof *d.x);
        d.y = xmalloc((size_t)(d.n + 1) * sizeof *d.y);
        /* This corpus's word ids -> the run's indices, one lookup per distinct word. */
        int32_t *index_of = xmalloc(((size_t)c.dict.size + 1) * sizeof *index_of);
        for (int32_t id = 0; id < c.dict.size; id++)
            index_of[id] = run_index(&lr, dict_word(&c.dict, id), dict_len(&c.dict, id));
        int32_t *idx = NULL;
        size_t cap = 0;
        int64_t k = 0;
        for (size_t i = 0; i < c.ndocs; i++) {
            const Doc *doc = &c.docs[i];
            if (doc->label < 0)
                continue;
            if (doc->len >= cap)
                idx = xrealloc(idx, (cap = doc->len + 1) * sizeof *idx);
            for (uint32_t t = 0; t < doc->len; t++)
                idx[t] = index_of[c.tokens[doc->start + t]];
            seq_shape(idx, doc->len, lr.c.maxlen, seq_side(lr.c.pad), seq_side(lr.c.truncate),
                      d.x + (size_t)k * lr.c.maxlen);
            d.y[k++] = doc->label;
        }
        free(idx);
        free(index_of);
        EvalResult e = evaluate(&lr.m, &d);
        printf("Run %ld on %s: loss %.4f, accuracy %.4f over %lld reviews\n", run, file ? file : "the test split",
               e.loss, e.acc, (long long)d.n);
        dataset_free(&d);
    }
    corpus_free(&c);
    dict_free(&lr.words);
    model_free(&lr.m);
    return rc == 0 ? 0 : cli_failed();
}
