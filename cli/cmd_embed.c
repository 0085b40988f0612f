/* cli/cmd_embed.c: "embedlab embed ...": the subcommands, and train (the others
 * are cli/cmd_embed_list.c, _rm.c, _eval.c and _io.c, index cli/cmd_embed_index.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "experiments/run/embed_job.h"
#include "core/common.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/text/tokenizer.h"
#include "embed/trainer.h"
#include "embed/word2vec.h"

/* ---- embed train ---- */

static const char train_help[] =
    "Usage: embedlab embed train [options]\n\n"
    "Trains word2vec vectors and stores them in the lab database in one transaction.\n\n"
    "  --name NAME        embedding name: 1-64 of A-Z a-z 0-9 . _ + -, starting with a\n"
    "                     letter or digit (default: CORPUS-MODEL-LOSS-dDIM-sSEED)\n"
    "  --corpus C         train (default: the train split's reviews), all (train and\n"
    "                     test texts, labels unused), or a UTF-8 file, one sentence a line\n"
    "  --model sg|cbow    skip-gram (default) or continuous bag of words\n"
    "  --loss ns|hs       negative sampling (default) or hierarchical softmax\n"
    "  --dim N            vector size (default 100)\n"
    "  --window N         maximum context distance, randomly shrunk per word (default 5)\n"
    "  --negative N       negative samples per word, from unigram^0.75 (default 5)\n"
    "  --sample F         frequent-word subsampling threshold, 0 = off (default 1e-3)\n"
    "  --alpha F          starting learning rate, decaying linearly to alpha*1e-4\n"
    "                     (default 0.025 for sg, 0.05 for cbow)\n"
    "  --epochs N         passes over the corpus (default 5)\n"
    "  --min-count N      ignore words seen fewer times (default 5)\n"
    "  --max-vocab N      keep at most the N most frequent words (default: no cap)\n"
    "  --seed N           seed for every random choice (default 1); with --threads 1\n"
    "                     the same seed gives bit-identical vectors\n"
    "  --subwords MIN-MAX fastText's subword vectors: each word's vector is built from\n"
    "                     its own and its character n-grams' (MIN to MAX characters,\n"
    "                     1 <= MIN <= MAX <= 32; fastText uses 3-6), so that nearest,\n"
    "                     analogy and SQL nearest() also work for words never seen\n"
    "                     in training (default: off)\n"
    "  --buckets N        hash buckets of the n-grams (default 2000000, as fastText;\n"
    "                     only the buckets in use take memory)\n" TOKENIZER_HELP
    "                     recorded with the embedding (a learned model stored with it);\n"
    "                     a classifier run on it uses the same tokenizer\n\n" COMMON_HELP;

/* Parses --subwords MIN-MAX into *minn, *maxn: 1 <= MIN <= MAX <= SUBWORD_MAX_N.
 * Returns 0, or prints a usage error and returns -1. */
static int parse_subwords(const char *cmd, const char *s, int *minn, int *maxn) {
    char *end;
    long lo = strtol(s, &end, 10), hi = -1;
    if (end != s && *end == '-' && end[1] >= '0' && end[1] <= '9') {
        const char *rest = end + 1;
        hi = strtol(rest, &end, 10);
    }
    if (hi < 0 || *end || lo < 1 || lo > hi || hi > SUBWORD_MAX_N) {
        cli_usage(cmd, "--subwords takes MIN-MAX with 1 <= MIN <= MAX <= %d (fastText's 3-6), got '%s'", SUBWORD_MAX_N,
                  s);
        return -1;
    }
    *minn = (int)lo;
    *maxn = (int)hi;
    return 0;
}

/* What embed train's options say, besides the common ones and W2vParams. */
typedef struct {
    const char *name;   /* NULL: the default name */
    const char *corpus; /* train, all, or a file */
    const char *spec;   /* the tokenizer */
} TrainArgs;

/* Parses embed train's options into co, p and a; -1 when done, else an exit
 * status. */
static int train_options(const char *cmd, int argc, char **argv, CommonOpts *co, W2vParams *p, TrainArgs *a) {
    static const struct option longopts[] = {{"name", required_argument, 0, 'n'},
                                             {"corpus", required_argument, 0, 'c'},
                                             {"model", required_argument, 0, 'm'},
                                             {"loss", required_argument, 0, 'l'},
                                             {"dim", required_argument, 0, 'd'},
                                             {"window", required_argument, 0, 'w'},
                                             {"negative", required_argument, 0, 'k'},
                                             {"sample", required_argument, 0, 's'},
                                             {"alpha", required_argument, 0, 'a'},
                                             {"epochs", required_argument, 0, 'e'},
                                             {"min-count", required_argument, 0, 'M'},
                                             {"max-vocab", required_argument, 0, 'V'},
                                             {"seed", required_argument, 0, 'S'},
                                             {"subwords", required_argument, 0, 'g'},
                                             {"buckets", required_argument, 0, 'B'},
                                             {"tokenizer", required_argument, 0, 't'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    long n;
    int opt, buckets_given = 0;
    optind = 1;
    while ((opt = cli_next(cmd, train_help, argc, argv, longopts, co)) >= 0) {
        switch (opt) {
        case 'n': a->name = optarg; break;
        case 'c': a->corpus = optarg; break;
        case 't': a->spec = optarg; break;
        case 'm':
            if (strcmp(optarg, "sg") && strcmp(optarg, "cbow"))
                return cli_usage(cmd, "--model is sg or cbow");
            p->model = strcmp(optarg, "sg") == 0 ? W2V_SG : W2V_CBOW;
            break;
        case 'l':
            if (strcmp(optarg, "ns") && strcmp(optarg, "hs"))
                return cli_usage(cmd, "--loss is ns or hs");
            p->loss = strcmp(optarg, "ns") == 0 ? W2V_NS : W2V_HS;
            break;
        case 'd':
            if (cli_set_int(cmd, "--dim", optarg, 1, 10000, &p->dim))
                return 2;
            break;
        case 'w':
            if (cli_set_int(cmd, "--window", optarg, 1, 1000, &p->window))
                return 2;
            break;
        case 'k':
            if (cli_set_int(cmd, "--negative", optarg, 0, 1000, &p->negative))
                return 2;
            break;
        case 's':
            if (cli_double(cmd, "--sample", optarg, 0, 1, &p->sample))
                return 2;
            break;
        case 'a':
            if (cli_double(cmd, "--alpha", optarg, 1e-9, 10, &p->alpha))
                return 2;
            break;
        case 'e':
            if (cli_set_int(cmd, "--epochs", optarg, 1, 100000, &p->epochs))
                return 2;
            break;
        case 'M':
            if (cli_int(cmd, "--min-count", optarg, 1, 1L << 40, &n))
                return 2;
            p->min_count = n;
            break;
        case 'V':
            if (cli_int(cmd, "--max-vocab", optarg, 2, 1L << 40, &n))
                return 2;
            p->max_vocab = n;
            break;
        case 'S':
            if (cli_int(cmd, "--seed", optarg, 0, (long)(~0UL >> 1), &n))
                return 2;
            p->seed = (uint64_t)n;
            break;
        case 'g':
            if (parse_subwords(cmd, optarg, &p->minn, &p->maxn) != 0)
                return 2;
            break;
        case 'B':
            if (cli_int(cmd, "--buckets", optarg, 1, INT32_MAX, &n))
                return 2;
            p->buckets = n;
            buckets_given = 1;
            break;
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (p->loss == W2V_NS && p->negative == 0)
        return cli_usage(cmd, "--loss ns needs --negative of 1 or more");
    if (buckets_given && p->minn == 0)
        return cli_usage(cmd, "--buckets needs --subwords MIN-MAX");
    return -1;
}

/* The default name of an embedding: CORPUS-MODEL-LOSS-dDIM-sSEED[-subMIN-MAX],
 * CORPUS the corpus file's base name made a valid name. */
static void default_name(const W2vParams *p, const char *corpus, char *buf, size_t size) {
    const char *model_name = p->model == W2V_SG ? "sg" : "cbow", *loss_name = p->loss == W2V_NS ? "ns" : "hs";
    const char *base = strrchr(corpus, '/');
    int len = snprintf(buf, size, "%s-%s-%s-d%d-s%llu", base ? base + 1 : corpus, model_name, loss_name, p->dim,
                       (unsigned long long)p->seed);
    if (p->minn > 0 && len > 0 && (size_t)len < size)
        snprintf(buf + len, size - len, "-sub%d-%d", p->minn, p->maxn);
    name_fix(buf); /* a corpus file name may hold anything */
}

/* Loads the corpus (train, all, or a file of lines) and trains and saves
 * embedding name into db; prints what was trained. 0, or -1 with a message. */
static int train_into(sqlite3 *db, const CommonOpts *co, const W2vParams *p, const char *name, const char *corpus,
                      Tokenizer *tok) {
    Corpus c;
    corpus_init(&c);
    c.tok = tok;
    unsigned splits;
    /* A learned tokenizer learns from the train split (or the file) only, even for --corpus all. */
    int lines = strcmp(corpus, "train") != 0 && strcmp(corpus, "all") != 0;
    int rc = corpus_train_tokenizer(tok, lines ? corpus : co->data, lines);
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
        rc = embed_job_train(db, name, &c, splits, corpus, trainer_find("word2vec"), p, &r);
    if (rc == 0) {
        char sub[128] = "";
        if (r.minn > 0)
            snprintf(sub, sizeof sub, " and %lld n-gram rows (%d-%d characters)", (long long)r.nngrams, r.minn, r.maxn);
        printf("Trained %s: %d words x %d dims%s, %lld corpus tokens x %d epochs in %.1f s (%.0f words/s); "
               "saved to %s\n",
               name, r.nwords, r.dim, sub, (long long)r.corpus_tokens, p->epochs, r.seconds, r.words_per_sec,
               lab_path(co->db));
        rc = cli_index_new_embedding(db, name);
    }
    corpus_free(&c);
    return rc;
}

int cmd_embed_train(int argc, char **argv) {
    const char *cmd = "embedlab embed train";
    CommonOpts co;
    common_init(&co);
    W2vParams p;
    w2v_defaults(&p);
    TrainArgs a = {.name = NULL, .corpus = "train", .spec = "words"};
    int r = train_options(cmd, argc, argv, &co, &p, &a);
    if (r >= 0)
        return r;
    Tokenizer *tok;
    if (tokenizer_new(a.spec, &tok) != 0)
        return cli_usage(cmd, "%s", el_error());
    common_apply(&co);
    char name[256];
    if (!a.name)
        default_name(&p, a.corpus, name, sizeof name);
    else if (name_check("embedding", a.name) != 0) {
        tokenizer_free(tok);
        return cli_usage(cmd, "%s", el_error());
    } else
        snprintf(name, sizeof name, "%s", a.name);
    sqlite3 *db;
    if (lab_open(lab_path(co.db), &db) != 0) {
        tokenizer_free(tok);
        return cli_failed();
    }
    int exists = db_embedding_exists(db, name);
    if (exists > 0)
        el_fail("an embedding named '%s' already exists (remove it with 'embedlab embed rm %s')", name, name);
    int rc = exists == 0 ? train_into(db, &co, &p, name, a.corpus, tok) : -1;
    tokenizer_free(tok);
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}

int cmd_embed(int argc, char **argv) {
    static const Command sub[] = {{"train", "train word2vec vectors into the lab database", cmd_embed_train},
                                  {"list", "list stored embeddings", cmd_embed_list},
                                  {"rm", "remove an embedding", cmd_embed_rm},
                                  {"eval", "analogy accuracy and word-similarity correlation", cmd_embed_eval},
                                  {"export", "write vectors in word2vec text or binary format", cmd_embed_export},
                                  {"import", "read vectors in word2vec text or binary format", cmd_embed_import},
                                  {"index", "build the nearest-word index of an embedding", cmd_embed_index},
                                  {NULL, NULL, NULL}};
    return cli_dispatch("embedlab embed", sub, argc, argv);
}
