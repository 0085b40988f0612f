/* cli/data/cmd_data.c: "embedlab data stats" and "embedlab data dump" ("embedlab data
 * tokenize" is cli/data/cmd_data_tokenize.c). */
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
    "turns into out-of-vocabulary (index 1). The ranking is counted on the train split.\n\n"
    "  --maxlen N         sequence length to compare against (default 100)\n"
    "  --vocab N          vocabulary cap, as Keras' num_words (default 500)\n"
    "  --plot FILE        draw the histogram of training review lengths with gnuplot;\n"
    "                     FILE.gp and FILE.dat are kept next to the image\n" TOKENIZER_HELP "\n" COMMON_HELP;

/* --vocab, --maxlen, --pad and --truncate mean here what they mean to a run:
 * parsed and checked by the run configuration's table (rnn/config.c) into c.
 * 0, or 2 after a usage error. */
static int seq_option(const char *cmd, const char *name, const char *arg, ClassifierConfig *c) {
    return config_set(c, name, arg) == 0 ? 0 : cli_usage(cmd, "%s", el_error());
}

/* --tokenizer SPEC, checked as it is given: 0, or 2 after a usage error. */
static int tokenizer_option(const char *cmd, const char *arg, const char **spec) {
    Tokenizer *t;
    if (tokenizer_new(arg, &t) != 0)
        return cli_usage(cmd, "%s", el_error());
    tokenizer_free(t);
    *spec = arg;
    return 0;
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
    static const struct option longopts[] = {{"maxlen", required_argument, 0, 'm'},
                                             {"vocab", required_argument, 0, 'v'},
                                             {"plot", required_argument, 0, 'p'},
                                             {"tokenizer", required_argument, 0, 't'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    ClassifierConfig cfg;
    config_defaults(&cfg);
    const char *plot = NULL, *spec = NULL;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, stats_help, argc, argv, longopts, &co)) >= 0) {
        switch (opt) {
        case 'm':
        case 'v':
            if (seq_option(cmd, opt == 'm' ? "maxlen" : "vocab", optarg, &cfg))
                return 2;
            break;
        case 'p': plot = optarg; break;
        case 't':
            if (tokenizer_option(cmd, optarg, &spec) != 0)
                return 2;
            break;
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    common_apply(&co);
    long maxlen = cfg.maxlen, cap = cfg.vocab;

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
    "--labels: LABEL<TAB>tokens). Handy for feeding other tools the exact same data.\n\n"
    "  --indices          print index sequences instead of words: the vocabulary ranked on\n"
    "                     the train split, capped by --vocab (default 500), shaped to\n"
    "                     --maxlen (default 100) with --pad/--truncate pre|post (default pre)\n" TOKENIZER_HELP
    "\n" COMMON_HELP;

static int data_dump(int argc, char **argv) {
    const char *cmd = "embedlab data dump";
    static const struct option longopts[] = {{"split", required_argument, 0, 's'},
                                             {"labels", no_argument, 0, 'l'},
                                             {"indices", no_argument, 0, 'i'},
                                             {"vocab", required_argument, 0, 'v'},
                                             {"maxlen", required_argument, 0, 'm'},
                                             {"pad", required_argument, 0, 'P'},
                                             {"truncate", required_argument, 0, 'T'},
                                             {"tokenizer", required_argument, 0, 't'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    ClassifierConfig cfg;
    config_defaults(&cfg);
    int indices = 0;
    const char *spec = NULL;
    CommonOpts co;
    common_init(&co);
    unsigned splits = SPLIT_MASK(SPLIT_TRAIN);
    int labels = 0, opt;
    optind = 1;
    while ((opt = cli_next(cmd, dump_help, argc, argv, longopts, &co)) >= 0) {
        switch (opt) {
        case 'l': labels = 1; break;
        case 'i': indices = 1; break;
        case 't':
            if (tokenizer_option(cmd, optarg, &spec) != 0)
                return 2;
            break;
        case 'v':
        case 'm':
        case 'P':
        case 'T':
            if (seq_option(cmd,
                           opt == 'v'   ? "vocab"
                           : opt == 'm' ? "maxlen"
                           : opt == 'P' ? "pad"
                                        : "truncate",
                           optarg, &cfg))
                return 2;
            break;
        case 's':
            if (strcmp(optarg, "train") == 0)
                splits = SPLIT_MASK(SPLIT_TRAIN);
            else if (strcmp(optarg, "test") == 0)
                splits = SPLIT_MASK(SPLIT_TEST);
            else if (strcmp(optarg, "all") == 0)
                splits = SPLITS_ALL;
            else
                return cli_usage(cmd, "--split is train, test or all");
            break;
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    common_apply(&co);
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
