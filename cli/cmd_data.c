/* cli/cmd_data.c: "embedlab data stats" and "embedlab data tokenize". */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "embed/sequence.h"
#include "embed/text.h"
#include "embed/tokenizer.h"
#include "embed/vocab.h"
#include "experiments/plot.h"

static const char stats_help[] =
    "Usage: embedlab data stats [--maxlen N] [--vocab N] [--plot FILE.png|.svg] [options]\n\n"
    "Prints, per split and label: review counts, review lengths in tokens (min, mean,\n"
    "median, p90, p99, max), vocabulary size (all words and words seen >= 5 times), the\n"
    "share of reviews longer than --maxlen and the share of tokens that a --vocab cap\n"
    "turns into out-of-vocabulary (index 1). The ranking is counted on the train split.\n\n"
    "  --maxlen N         sequence length to compare against (default 100)\n"
    "  --vocab N          vocabulary cap, as Keras' num_words (default 500)\n"
    "  --plot FILE        draw the histogram of training review lengths with gnuplot;\n"
    "                     FILE.gp and FILE.dat are kept next to the image\n\n" COMMON_HELP;

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* numpy's default percentile: linear interpolation between closest ranks. */
static double percentile(const uint32_t *sorted, size_t n, double p) {
    double pos = p * (double)(n - 1);
    size_t lo = (size_t)floor(pos);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (pos - lo) * ((double)sorted[hi] - sorted[lo]);
}

typedef struct {
    const char *name;
    int split, label; /* label -1: both */
} Group;

static void print_group(const Corpus *c, const Vocab *v, const Group *g, int maxlen, int cap, int64_t *counts) {
    size_t n = 0, tokens = 0, oov = 0, longer = 0;
    uint32_t *len = xmalloc((c->ndocs + 1) * sizeof *len);
    memset(counts, 0, (size_t)c->dict.size * sizeof *counts);
    for (size_t d = 0; d < c->ndocs; d++) {
        const Doc *doc = &c->docs[d];
        if (doc->split != g->split || (g->label >= 0 && doc->label != g->label))
            continue;
        len[n++] = doc->len;
        tokens += doc->len;
        longer += doc->len > (uint32_t)maxlen;
        for (uint32_t i = 0; i < doc->len; i++) {
            int32_t id = c->tokens[doc->start + i];
            counts[id]++;
            oov += vocab_index(v, id, cap) == INDEX_OOV;
        }
    }
    if (n == 0) {
        free(len);
        return;
    }
    size_t words = 0, words5 = 0;
    for (int32_t id = 0; id < c->dict.size; id++) {
        words += counts[id] > 0;
        words5 += counts[id] >= 5;
    }
    qsort(len, n, sizeof *len, cmp_u32);
    printf("%-10s %7zu %10zu %5u %7.1f %7.1f %7.1f %7.1f %6u %8zu %8zu %8.1f%% %7.1f%%\n", g->name, n, tokens, len[0],
           (double)tokens / n, percentile(len, n, 0.5), percentile(len, n, 0.9), percentile(len, n, 0.99), len[n - 1],
           words, words5, 100.0 * longer / n, tokens ? 100.0 * oov / tokens : 0.0);
    free(len);
}

static int data_stats(int argc, char **argv) {
    const char *cmd = "embedlab data stats";
    static const struct option longopts[] = {{"maxlen", required_argument, 0, 'm'},
                                             {"vocab", required_argument, 0, 'v'},
                                             {"plot", required_argument, 0, 'p'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    long maxlen = 100, cap = 500;
    const char *plot = NULL;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, argc, argv, longopts, &co)) != -1) {
        if (opt == -2)
            return 2;
        switch (opt) {
        case 'h': printf("%s", stats_help); return 0;
        case 'm':
            if (cli_int(cmd, "--maxlen", optarg, 1, 1000000, &maxlen))
                return 2;
            break;
        case 'v':
            if (cli_int(cmd, "--vocab", optarg, 2, 100000000, &cap))
                return 2;
            break;
        case 'p': plot = optarg; break;
        default: return cli_usage(cmd, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    common_apply(&co);

    Corpus c;
    corpus_init(&c);
    double t0 = now_seconds();
    if (cli_load_corpus(&co, SPLITS_ALL, &c) != 0) {
        corpus_free(&c);
        return cli_failed();
    }
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    double t1 = now_seconds();

    printf("Data: %s (%zu reviews, %zu tokens; read, tokenized and counted in %.2f s)\n", co.data, c.ndocs, c.ntokens,
           t1 - t0);
    printf("Vocabulary ranked on the train split: %d words, %d seen at least 5 times\n\n", v.size,
           vocab_count_at_least(&v, 5));
    printf("%-10s %7s %10s %5s %7s %7s %7s %7s %6s %8s %8s %9s %8s\n", "split", "reviews", "tokens", "min", "mean",
           "median", "p90", "p99", "max", "words", "words>=5", ">maxlen", "oov@cap");
    static const Group groups[] = {{"train/neg", SPLIT_TRAIN, 0}, {"train/pos", SPLIT_TRAIN, 1},
                                   {"train", SPLIT_TRAIN, -1},    {"test/neg", SPLIT_TEST, 0},
                                   {"test/pos", SPLIT_TEST, 1},   {"test", SPLIT_TEST, -1}};
    int64_t *counts = xmalloc(((size_t)c.dict.size + 1) * sizeof *counts);
    for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
        print_group(&c, &v, &groups[i], (int)maxlen, (int)cap, counts);
    free(counts);
    printf("\n>maxlen: share of reviews longer than maxlen = %ld (cut to their last %ld tokens)\n", maxlen, maxlen);
    printf("oov@cap: share of tokens mapped to index 1 under a vocabulary cap of %ld (indices 2..%ld are words)\n", cap,
           cap - 1);

    int rc = 0;
    if (plot) {
        size_t n = 0;
        uint32_t *lengths = xmalloc((c.ndocs + 1) * sizeof *lengths);
        for (size_t d = 0; d < c.ndocs; d++)
            if (c.docs[d].split == SPLIT_TRAIN)
                lengths[n++] = c.docs[d].len;
        if (plot_lengths(lengths, n, (int)maxlen, plot) != 0)
            rc = cli_failed();
        else
            printf("\nHistogram of training review lengths: %s (gnuplot script and data next to it)\n", plot);
        free(lengths);
    }
    vocab_free(&v);
    corpus_free(&c);
    return rc;
}

static const char tokenize_help[] =
    "Usage: embedlab data tokenize [--tokenizer SPEC] [--data FILE] [--] [TEXT ...]\n\n"
    "Prints the tokens of each TEXT argument (or of each line of stdin), space-separated,\n"
    "one line per input, and on stderr how many invalid UTF-8 sequences it met.\n\n"
    "  --tokenizer SPEC   words (default: the words text spec), unicode (NFKC, case folding,\n"
    "                     Unicode word boundaries), chars (one token per character) or\n"
    "                     spm[:unigram|bpe[:N]] (SentencePiece, N pieces, default unigram:8000)\n"
    "  --data FILE        the texts spm trains on: LABEL<TAB>TEXT lines (or plain lines)\n";

typedef struct {
    const char *p, *end;
} Lines;

/* The texts of a LABEL<TAB>TEXT file, one per line (the whole line if it has no tab). */
static int next_line(void *ctx, const char **text, size_t *n) {
    Lines *l = ctx;
    if (l->p >= l->end)
        return 0;
    const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    const char *eol = nl ? nl : l->end;
    const char *tab = memchr(l->p, '\t', (size_t)(eol - l->p));
    *text = tab ? tab + 1 : l->p;
    *n = (size_t)(eol - *text);
    l->p = eol + 1;
    return 1;
}

/* Prints the tokens of text[0..n); returns the invalid UTF-8 sequences met. */
static size_t print_tokens(const Tokenizer *t, const char *text, size_t n, TokenBuf *b) {
    tokenizer_tokens(t, text, n, b); /* cannot fail: t is ready */
    puts(b->text);
    return b->invalid;
}

static int data_tokenize(int argc, char **argv) {
    const char *cmd = "embedlab data tokenize", *spec = "words", *data = NULL;
    int i = 1;
    /* Options first; "-5 stars" is a text, as before there were options. */
    for (; i < argc && (strncmp(argv[i], "--", 2) == 0 || strcmp(argv[i], "-h") == 0); i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s", tokenize_help);
            return 0;
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "--tokenizer") == 0 && i + 1 < argc) {
            spec = argv[++i];
        } else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            data = argv[++i];
        } else {
            return cli_usage(cmd, "unknown option '%s'", argv[i]);
        }
    }
    Tokenizer *t;
    if (tokenizer_new(spec, &t) != 0)
        return cli_usage(cmd, "%s", el_error());
    if (tokenizer_learned(t) != (data != NULL)) {
        tokenizer_free(t);
        return data ? cli_usage(cmd, "--data is for a learned tokenizer (spm)")
                    : cli_usage(cmd, "tokenizer %s learns from texts: give them with --data FILE", spec);
    }
    if (data) {
        char *file;
        size_t len;
        if (read_file(data, &file, &len) != 0) {
            tokenizer_free(t);
            return cli_failed();
        }
        Lines lines = {file, file + len};
        int rc = tokenizer_train(t, &(TextIter){next_line, &lines});
        free(file);
        if (rc != 0) {
            tokenizer_free(t);
            return cli_failed();
        }
    }
    TokenBuf b;
    tokbuf_init(&b);
    size_t invalid = 0;
    if (i < argc) {
        for (; i < argc; i++)
            invalid += print_tokens(t, argv[i], strlen(argv[i]), &b);
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        while (!ferror(stdout) && (n = getline(&line, &cap, stdin)) >= 0)
            invalid += print_tokens(t, line, (size_t)n, &b);
        free(line);
    }
    if (invalid)
        fprintf(stderr, "embedlab: %zu invalid UTF-8 sequence%s in the input\n", invalid, invalid == 1 ? "" : "s");
    tokbuf_free(&b);
    tokenizer_free(t);
    return 0;
}

static const char dump_help[] =
    "Usage: embedlab data dump [--split train|test|all] [--labels] [--indices] [options]\n\n"
    "Prints every review of the split, tokenized by the text spec, one per line (with\n"
    "--labels: LABEL<TAB>tokens). Handy for feeding other tools the exact same data.\n\n"
    "  --indices          print index sequences instead of words: the vocabulary ranked on\n"
    "                     the train split, capped by --vocab (default 500), shaped to\n"
    "                     --maxlen (default 100) with --pad/--truncate pre|post (default pre)\n\n" COMMON_HELP;

static int data_dump(int argc, char **argv) {
    const char *cmd = "embedlab data dump";
    static const struct option longopts[] = {{"split", required_argument, 0, 's'},
                                             {"labels", no_argument, 0, 'l'},
                                             {"indices", no_argument, 0, 'i'},
                                             {"vocab", required_argument, 0, 'v'},
                                             {"maxlen", required_argument, 0, 'm'},
                                             {"pad", required_argument, 0, 'P'},
                                             {"truncate", required_argument, 0, 'T'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    long cap = 500, maxlen = 100;
    int indices = 0, pad = SIDE_PRE, trunc = SIDE_PRE;
    CommonOpts co;
    common_init(&co);
    unsigned splits = SPLIT_MASK(SPLIT_TRAIN);
    int labels = 0, opt;
    optind = 1;
    while ((opt = cli_next(cmd, argc, argv, longopts, &co)) != -1) {
        if (opt == -2)
            return 2;
        switch (opt) {
        case 'h': printf("%s", dump_help); return 0;
        case 'l': labels = 1; break;
        case 'i': indices = 1; break;
        case 'v':
            if (cli_int(cmd, "--vocab", optarg, 2, 100000000, &cap))
                return 2;
            break;
        case 'm':
            if (cli_int(cmd, "--maxlen", optarg, 1, 1000000, &maxlen))
                return 2;
            break;
        case 'P':
        case 'T':
            if (seq_side(optarg) < 0)
                return cli_usage(cmd, "--pad and --truncate are pre or post");
            *(opt == 'P' ? &pad : &trunc) = seq_side(optarg);
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
        default: return cli_usage(cmd, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    common_apply(&co);
    Corpus c;
    corpus_init(&c);
    /* Indices need the train split's ranking, whatever split is printed. */
    if (cli_load_corpus(&co, indices ? SPLITS_ALL : splits, &c) != 0) {
        corpus_free(&c);
        return cli_failed();
    }
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    int32_t *idx = xmalloc(((size_t)maxlen + 1) * sizeof *idx);
    /* Stop at the first failed write: main() reports it (cli/main.c). */
    for (size_t d = 0; d < c.ndocs && !ferror(stdout); d++) {
        const Doc *doc = &c.docs[d];
        if (!(splits & SPLIT_MASK(doc->split)))
            continue;
        if (labels)
            printf("%d\t", doc->label);
        if (indices) {
            int32_t *all = xmalloc(((size_t)doc->len + 1) * sizeof *all);
            for (uint32_t i = 0; i < doc->len; i++)
                all[i] = vocab_index(&v, c.tokens[doc->start + i], (int32_t)cap);
            seq_shape(all, doc->len, (int)maxlen, pad, trunc, idx);
            for (long i = 0; i < maxlen; i++)
                printf(i ? " %d" : "%d", idx[i]);
            putchar('\n');
            free(all);
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
    vocab_free(&v);
    corpus_free(&c);
    return 0;
}

int cmd_data(int argc, char **argv) {
    static const Command sub[] = {{"stats", "review counts, lengths, vocabulary, histogram", data_stats},
                                  {"tokenize", "print the tokens of text by a tokenizer", data_tokenize},
                                  {"dump", "print a split's reviews as tokens, one per line", data_dump},
                                  {NULL, NULL, NULL}};
    return cli_dispatch("embedlab data", sub, argc, argv);
}
