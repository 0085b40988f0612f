/* cli/data/cmd_data.c: "embedlab data stats" and "embedlab data dump" ("embedlab data
 * tokenize" is cli/data/cmd_data_tokenize.c). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "embed/data/sequence.h"
#include "embed/data/vocab.h"
#include "embed/data/dataset.h"
#include "experiments/report/data_stats.h"
#include "experiments/report/plot.h"
#include "rnn/config.h"

static const char stats_help[] =
    "Usage: embedlab data stats [--maxlen N] [--vocab N] [--plot FILE.png|.svg] [options]\n\n"
    "Prints, per split and label: review counts, review lengths in tokens (min, mean,\n"
    "median, p90, p99, max), vocabulary size (all words and words seen >= 5 times), the\n"
    "share of reviews longer than --maxlen and the share of tokens that a --vocab cap\n"
    "turns into out-of-vocabulary (index 1). The ranking is counted on the train split.\n\n";

/* The options of data stats and data dump. */
typedef struct {
    ClassifierConfig cfg; /* --vocab, --maxlen, --pad, --truncate: what they mean to a run */
    const char *plot, *tokenizer;
    int split, labels, indices;
} DataArgs;

/* Option name of the run configuration's table (rnn/config.c), which parses
 * and checks it, as data stats or dump offers it (help: its own line). */
static Option seq_option(const char *name, const char *help) {
    Option o = opt_at(&config_table, name, offsetof(DataArgs, cfg), "Options");
    o.help = help;
    return o;
}

/* Both data commands' parse: their table, no positional argument, and
 * --tokenizer SPEC checked once parsed. -1 to go on, else the exit status. */
static int parse_data_args(const char *cmd, const char *help, const Option *opts, int n, DataArgs *a, int argc,
                           char **argv, CommonOpts *co) {
    const OptionTable table = {opts, n};
    int r = cli_parse(cmd, help, &table, a, argc, argv, co);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    Tokenizer *t;
    if (a->tokenizer && tokenizer_new(a->tokenizer, &t) != 0)
        return cli_usage(cmd, "%s", el_error());
    if (a->tokenizer)
        tokenizer_free(t);
    return -1;
}

/* One line of the table: a group of reviews by split and label (-1: both). */
static void print_group(const Corpus *c, const Vocab *v, const char *name, int split, int label, int maxlen, int cap) {
    GroupStats g;
    if (data_group_stats(c, v, split, label, maxlen, cap, &g) != 0)
        return; /* no review */
    printf("%-10s %7zu %10zu %5u %7.1f %7.1f %7.1f %7.1f %6u %8zu %8zu %8.1f%% %7.1f%%\n", name, g.reviews, g.tokens,
           g.min, g.mean, g.median, g.p90, g.p99, g.max, g.words, g.words5, 100.0 * g.longer / g.reviews,
           g.tokens ? 100.0 * g.oov / g.tokens : 0.0);
}

static int data_stats(int argc, char **argv) {
    const char *cmd = "embedlab data stats";
    const Option opts[] = {
        seq_option("maxlen", "sequence length to compare against"),
        seq_option("vocab", "vocabulary cap, as Keras' num_words"),
        {"plot", OPTION_STRING, OPTION_AT(DataArgs, plot), NULL, 0, 0, NULL, NULL, "FILE", "Options",
         "draw the histogram of training review lengths with gnuplot; FILE.gp and FILE.dat are kept next to the image",
         0},
        TOKENIZER_OPTION(DataArgs, tokenizer),
    };
    CommonOpts co;
    DataArgs a;
    int r = parse_data_args(cmd, stats_help, opts, (int)(sizeof opts / sizeof *opts), &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *plot = a.plot, *spec = a.tokenizer;
    long maxlen = a.cfg.maxlen, cap = a.cfg.vocab;

    Corpus c;
    corpus_init(&c);
    Tokenizer *tok;
    double t0 = now_seconds();
    if (cli_load_corpus_with(&co, spec, SPLITS_ALL, &c, &tok) != 0) {
        corpus_free(&c);
        return cli_failed();
    }
    cli_corpus_warn(&c);
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    double t1 = now_seconds();

    printf("Data: %s (%zu reviews, %zu tokens; read, tokenized and counted in %.2f s)\n", co.data, c.ndocs, c.ntokens,
           t1 - t0);
    if (spec) /* words, the default, says nothing: its output stays as it was */
        printf("Tokenizer: %s\n", tokenizer_spec(tok));
    printf("Vocabulary ranked on the train split: %d words, %d seen at least 5 times\n\n", v.size,
           vocab_count_at_least(&v, 5));
    printf("%-10s %7s %10s %5s %7s %7s %7s %7s %6s %8s %8s %9s %8s\n", "split", "reviews", "tokens", "min", "mean",
           "median", "p90", "p99", "max", "words", "words>=5", ">maxlen", "oov@cap");
    const char *names[] = {"train/neg", "train/pos", "train", "test/neg", "test/pos", "test"};
    for (int i = 0; i < 6; i++) /* per split: negative, positive, both */
        print_group(&c, &v, names[i], i < 3 ? SPLIT_TRAIN : SPLIT_TEST, i % 3 < 2 ? i % 3 : -1, (int)maxlen, (int)cap);
    printf("\n>maxlen: share of reviews longer than maxlen = %ld (cut to their last %ld tokens)\n", maxlen, maxlen);
    printf("oov@cap: share of tokens mapped to index 1 under a vocabulary cap of %ld (indices 2..%ld are words)\n", cap,
           cap - 1);

    int rc = 0;
    if (plot) {
        size_t n;
        uint32_t *lengths = data_lengths(&c, SPLIT_TRAIN, &n);
        if (plot_lengths(lengths, n, (int)maxlen, plot) != 0)
            rc = cli_failed();
        else
            printf("\nHistogram of training review lengths: %s (gnuplot script and data next to it)\n", plot);
        free(lengths);
    }
    vocab_free(&v);
    corpus_free(&c);
    tokenizer_free(tok);
    return rc;
}

static const char dump_help[] =
    "Usage: embedlab data dump [--split train|test|all] [--labels] [--indices] [options]\n\n"
    "Prints every review of the split, tokenized by --tokenizer, one per line (with\n"
    "--labels: LABEL<TAB>tokens). Handy for feeding other tools the exact same data.\n\n";

/* --split's names, and the splits each prints. */
static const char *const split_names[] = {"train", "test", "all", NULL};
static const unsigned split_masks[] = {SPLIT_MASK(SPLIT_TRAIN), SPLIT_MASK(SPLIT_TEST), SPLITS_ALL};

static int data_dump(int argc, char **argv) {
    const char *cmd = "embedlab data dump";
    const Option opts[] = {
        {"split", OPTION_ENUM, OPTION_AT(DataArgs, split), "train", 0, 0, split_names, NULL, NULL, "Options",
         "the reviews to print", 0},
        {"labels", OPTION_FLAG, OPTION_AT(DataArgs, labels), NULL, 0, 0, NULL, NULL, NULL, "Options",
         "print LABEL<TAB>tokens (default off)", 0},
        {"indices", OPTION_FLAG, OPTION_AT(DataArgs, indices), NULL, 0, 0, NULL, NULL, NULL, "Options",
         "print index sequences instead of words: the vocabulary ranked on the train split, capped by --vocab, "
         "shaped to --maxlen with --pad/--truncate (default off)",
         0},
        seq_option("vocab", "with --indices: keep indices below N, as Keras' num_words"),
        seq_option("maxlen", "with --indices: the sequence length"),
        seq_option("pad", "with --indices: where padding goes"),
        seq_option("truncate", "with --indices: where long reviews are cut"),
        TOKENIZER_OPTION(DataArgs, tokenizer),
    };
    CommonOpts co;
    DataArgs a;
    int r = parse_data_args(cmd, dump_help, opts, (int)(sizeof opts / sizeof *opts), &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *spec = a.tokenizer;
    const ClassifierConfig cfg = a.cfg;
    int indices = a.indices, labels = a.labels;
    unsigned splits = split_masks[a.split];
    Corpus c;
    corpus_init(&c);
    Tokenizer *tok;
    /* Indices need the train split's ranking, whatever split is printed. */
    if (cli_load_corpus_with(&co, spec, indices ? SPLITS_ALL : splits, &c, &tok) != 0) {
        corpus_free(&c);
        return cli_failed();
    }
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    int maxlen = cfg.maxlen;
    int32_t *idx = xmalloc(((size_t)maxlen + 1) * sizeof *idx), *scratch = NULL;
    size_t nscratch = 0;
    SeqOptions so = {.cap = cfg.vocab, .maxlen = maxlen, .pad = cfg.pad, .truncate = cfg.truncate};
    /* Stop at the first failed write: main() reports it (cli/main.c). */
    for (size_t d = 0; d < c.ndocs && !ferror(stdout); d++) {
        const Doc *doc = &c.docs[d];
        if (!(splits & SPLIT_MASK(doc->split)))
            continue;
        if (labels)
            printf("%d\t", doc->label);
        if (indices) {
            dataset_doc(&c, doc, &v, NULL, &so, &scratch, &nscratch, idx);
            for (int i = 0; i < maxlen; i++)
                printf(i ? " %d" : "%d", idx[i]);
            putchar('\n');
            continue;
        }
        for (uint32_t i = 0; i < doc->len; i++) {
            if (i)
                putchar(' ');
            fputs(dict_word(&c.dict, c.tokens[doc->start + i]), stdout);
        }
        putchar('\n');
    }
    free(idx);
    free(scratch);
    vocab_free(&v);
    corpus_free(&c);
    tokenizer_free(tok);
    return 0;
}

int cmd_data(int argc, char **argv) {
    static const Command sub[] = {{"stats", "review counts, lengths, vocabulary, histogram", data_stats},
                                  {"tokenize", "print the tokens of text by a tokenizer", cmd_data_tokenize},
                                  {"dump", "print a split's reviews as tokens, one per line", data_dump},
                                  {NULL, NULL, NULL}};
    return cli_dispatch("embedlab data", sub, argc, argv);
}
