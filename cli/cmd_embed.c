/* cli/cmd_embed.c: "embedlab embed ...": the subcommands, and train (the others
 * live in cli/cmd_embed_manage.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "experiments/embed_job.h"
#include "core/common.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
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
    "                     only the buckets in use take memory)\n\n" COMMON_HELP;

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

int cmd_embed_train(int argc, char **argv) {
    const char *cmd = "embedlab embed train";
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
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    W2vParams p;
    w2v_defaults(&p);
    const char *name = NULL, *corpus = "train";
    long n;
    int opt, buckets_given = 0;
    optind = 1;
    while ((opt = cli_next(cmd, argc, argv, longopts, &co)) != -1) {
        if (opt == -2)
            return 2;
        switch (opt) {
        case 'h': printf("%s", train_help); return 0;
        case 'n': name = optarg; break;
        case 'c': corpus = optarg; break;
        case 'm':
            if (strcmp(optarg, "sg") && strcmp(optarg, "cbow"))
                return cli_usage(cmd, "--model is sg or cbow");
            p.model = strcmp(optarg, "sg") == 0 ? W2V_SG : W2V_CBOW;
            break;
        case 'l':
            if (strcmp(optarg, "ns") && strcmp(optarg, "hs"))
                return cli_usage(cmd, "--loss is ns or hs");
            p.loss = strcmp(optarg, "ns") == 0 ? W2V_NS : W2V_HS;
            break;
        case 'd':
            if (cli_set_int(cmd, "--dim", optarg, 1, 10000, &p.dim))
                return 2;
            break;
        case 'w':
            if (cli_set_int(cmd, "--window", optarg, 1, 1000, &p.window))
                return 2;
            break;
        case 'k':
            if (cli_set_int(cmd, "--negative", optarg, 0, 1000, &p.negative))
                return 2;
            break;
        case 's':
            if (cli_double(cmd, "--sample", optarg, 0, 1, &p.sample))
                return 2;
            break;
        case 'a':
            if (cli_double(cmd, "--alpha", optarg, 1e-9, 10, &p.alpha))
                return 2;
            break;
        case 'e':
            if (cli_set_int(cmd, "--epochs", optarg, 1, 100000, &p.epochs))
                return 2;
            break;
        case 'M':
            if (cli_int(cmd, "--min-count", optarg, 1, 1L << 40, &n))
                return 2;
            p.min_count = n;
            break;
        case 'V':
            if (cli_int(cmd, "--max-vocab", optarg, 2, 1L << 40, &n))
                return 2;
            p.max_vocab = n;
            break;
        case 'S':
            if (cli_int(cmd, "--seed", optarg, 0, (long)(~0UL >> 1), &n))
                return 2;
            p.seed = (uint64_t)n;
            break;
        case 'g':
            if (parse_subwords(cmd, optarg, &p.minn, &p.maxn) != 0)
                return 2;
            break;
        case 'B':
            if (cli_int(cmd, "--buckets", optarg, 1, INT32_MAX, &n))
                return 2;
            p.buckets = n;
            buckets_given = 1;
            break;
        default: return cli_usage(cmd, "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (p.loss == W2V_NS && p.negative == 0)
        return cli_usage(cmd, "--loss ns needs --negative of 1 or more");
    if (buckets_given && p.minn == 0)
        return cli_usage(cmd, "--buckets needs --subwords MIN-MAX");
    common_apply(&co);

    const char *model_name = p.model == W2V_SG ? "sg" : "cbow", *loss_name = p.loss == W2V_NS ? "ns" : "hs";
    char default_name[256];
    if (!name) {
        const char *base = strrchr(corpus, '/');
        int len = snprintf(default_name, sizeof default_name, "%s-%s-%s-d%d-s%llu", base ? base + 1 : corpus,
                           model_name, loss_name, p.dim, (unsigned long long)p.seed);
        if (p.minn > 0 && len > 0 && (size_t)len < sizeof default_name)
            snprintf(default_name + len, sizeof default_name - len, "-sub%d-%d", p.minn, p.maxn);
        name_fix(default_name); /* a corpus file name may hold anything */
        name = default_name;
    } else if (name_check("embedding", name) != 0) {
        return cli_usage(cmd, "%s", el_error());
    }
    sqlite3 *db;
    if (lab_open(lab_path(co.db), &db) != 0)
        return cli_failed();
    int exists = db_embedding_exists(db, name);
    if (exists != 0) {
        if (exists > 0)
            el_fail("an embedding named '%s' already exists (remove it with 'embedlab embed rm %s')", name, name);
        lab_close(db);
        return cli_failed();
    }

    Corpus c;
    corpus_init(&c);
    unsigned splits;
    int rc;
    if (strcmp(corpus, "train") == 0 || strcmp(corpus, "all") == 0) {
        splits = strcmp(corpus, "train") == 0 ? SPLIT_MASK(SPLIT_TRAIN) : SPLITS_ALL;
        rc = cli_load_corpus(&co, splits, &c);
    } else {
        splits = SPLIT_MASK(SPLIT_TRAIN);
        rc = corpus_load_lines(&c, corpus, SPLIT_TRAIN);
    }
    EmbedJobResult r;
    if (rc == 0)
        rc = embed_job_train(db, name, &c, splits, corpus, &p, &r);
    if (rc == 0) {
        char sub[128] = "";
        if (r.minn > 0)
            snprintf(sub, sizeof sub, " and %lld n-gram rows (%d-%d characters)", (long long)r.nngrams, r.minn, r.maxn);
        printf("Trained %s: %d words x %d dims%s, %lld corpus tokens x %d epochs in %.1f s (%.0f words/s); "
               "saved to %s\n",
               name, r.nwords, r.dim, sub, (long long)r.corpus_tokens, p.epochs, r.seconds, r.words_per_sec,
               lab_path(co.db));
        rc = cli_index_new_embedding(db, name);
    }
    corpus_free(&c);
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
