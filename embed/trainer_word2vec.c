/* embed/trainer_word2vec.c: word2vec (embed/word2vec.h) as an embedding
 * trainer (embed/trainer.h); its parameters are a W2vParams. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/subword.h"
#include "embed/trainer.h"
#include "embed/word2vec.h"

#define AT(member) OPTION_AT(W2vParams, member)

static const char *const model_names[] = {"sg", "cbow", NULL}; /* W2V_SG, W2V_CBOW */
static const char *const loss_names[] = {"ns", "hs", NULL};    /* W2V_NS, W2V_HS */

/* word2vec's parameters: `embedlab embed train`'s options and a sweep's
 * --embed-options. The subword pair minn, maxn is one option, a range. */
static const Option w2v_fields[] = {
    {"model", OPTION_ENUM, AT(model), "sg", 0, 0, model_names, NULL, NULL, "word2vec",
     "skip-gram or continuous bag of words", 0},
    {"loss", OPTION_ENUM, AT(loss), "ns", 0, 0, loss_names, NULL, NULL, "word2vec",
     "negative sampling or hierarchical softmax", 0},
    {"dim", OPTION_INT, AT(dim), "100", 1, 10000, NULL, NULL, NULL, "word2vec", "vector size", 0},
    {"window", OPTION_INT, AT(window), "5", 1, 1000, NULL, NULL, NULL, "word2vec",
     "maximum context distance, randomly shrunk per word", 0},
    {"negative", OPTION_INT, AT(negative), "5", 0, 1000, NULL, NULL, NULL, "word2vec",
     "negative samples per word, from unigram^0.75", 0},
    {"share_negatives", OPTION_INT, AT(share_negatives), NULL, 1, 64, NULL, NULL, NULL, "word2vec",
     "centre words that share one draw of negatives, at least 2 x window + 1 positions apart, so that their "
     "output rows are fetched once (default 4 for cbow; 1 for sg, a draw per word as word2vec.c)",
     0},
    {"sample", OPTION_REAL, AT(sample), "1e-3", 0, 1, NULL, NULL, NULL, "word2vec",
     "frequent-word subsampling threshold, 0 = off", 0},
    {"alpha", OPTION_REAL, AT(alpha), NULL, 1e-9, 10, NULL, NULL, NULL, "word2vec",
     "starting learning rate, decaying linearly to alpha*1e-4 (default 0.025 for sg, 0.05 for cbow)", 0},
    {"epochs", OPTION_INT, AT(epochs), "5", 1, 100000, NULL, NULL, NULL, "word2vec", "passes over the corpus", 0},
    {"min_count", OPTION_INT64, AT(min_count), "5", 1, 1099511627776.0, NULL, NULL, NULL, "word2vec",
     "ignore words seen fewer times", 0},
    {"max_vocab", OPTION_INT64, AT(max_vocab), NULL, 2, 1099511627776.0, NULL, NULL, NULL, "word2vec",
     "keep at most the N most frequent words (default: no cap)", 0},
    {"seed", OPTION_SEED, AT(seed), "1", 0, 0, NULL, NULL, NULL, "word2vec",
     "seed for every random choice; with --threads 1 the same seed gives bit-identical vectors", 0},
    {"subwords", OPTION_RANGE, offsetof(W2vParams, minn), 2 * sizeof(int), NULL, 1, SUBWORD_MAX_N, NULL, NULL,
     "MIN-MAX", "word2vec",
     "fastText's subword vectors from character n-grams of MIN to MAX characters (fastText uses 3-6), so that "
     "nearest, analogy and SQL nearest() work for unseen words (default: off)",
     0},
    {"buckets", OPTION_INT64, AT(buckets), "2000000", 1, 2147483647.0, NULL, NULL, NULL, "word2vec",
     "hash buckets of the n-grams, as fastText; only the buckets in use take memory", 0},
};
/* The subword range is two adjacent ints (core/options.h, OPTION_RANGE). */
_Static_assert(offsetof(W2vParams, maxn) == offsetof(W2vParams, minn) + sizeof(int), "minn, maxn adjacent");

const OptionTable w2v_options = {w2v_fields, (int)(sizeof w2v_fields / sizeof *w2v_fields)};

static int w2v_check(const void *params) {
    const W2vParams *p = params;
    if (p->loss == W2V_NS && p->negative == 0)
        return el_fail("--loss ns needs --negative of 1 or more");
    if (p->minn == 0 && p->buckets != SUBWORD_BUCKETS)
        return el_fail("--buckets needs --subwords MIN-MAX");
    return 0;
}

static void w2v_name(const void *params, char *buf, size_t n) {
    const W2vParams *p = params;
    int len = snprintf(buf, n, "%s-%s-d%d-s%llu", p->model == W2V_SG ? "sg" : "cbow", p->loss == W2V_NS ? "ns" : "hs",
                       p->dim, (unsigned long long)p->seed);
    if (p->minn > 0 && len > 0 && (size_t)len < n)
        snprintf(buf + len, n - len, "-sub%d-%d", p->minn, p->maxn);
}

static void w2v_describe(const void *params, char *buf, size_t n) {
    const W2vParams *p = params;
    char sub[64] = "";
    if (p->minn > 0)
        snprintf(sub, sizeof sub, ", subwords %d-%d", p->minn, p->maxn);
    snprintf(buf, n, "%s, %s, dim %d%s", p->model == W2V_SG ? "sg" : "cbow", p->loss == W2V_NS ? "ns" : "hs", p->dim,
             sub);
}

/* The settings as the embeddings table's params JSON; the subword setting is
 * added where the embedding is saved (db/embeddings.c). */
static char *params_json(const W2vParams *p) {
    char buf[1024];
    snprintf(buf, sizeof buf,
             "{\"trainer\":\"word2vec\",\"model\":\"%s\",\"loss\":\"%s\",\"dim\":%d,\"window\":%d,\"negative\":%d,"
             "\"share_negatives\":%d,\"sample\":%g,\"alpha\":%g,\"epochs\":%d,\"min_count\":%lld,\"max_vocab\":%lld,"
             "\"threads\":%d,\"seed\":%llu}",
             p->model == W2V_SG ? "sg" : "cbow", p->loss == W2V_NS ? "ns" : "hs", p->dim, p->window, p->negative,
             w2v_share_negatives(p), p->sample, p->alpha > 0 ? p->alpha : (p->model == W2V_SG ? 0.025 : 0.05),
             p->epochs, (long long)p->min_count, (long long)p->max_vocab, el_threads(), (unsigned long long)p->seed);
    return xstrdup(buf);
}

static int w2v_trainer_train(const void *params, const Corpus *c, unsigned splits, TrainedEmbedding *out) {
    const W2vParams *p = params;
    memset(out, 0, sizeof *out);
    W2vModel m;
    memset(&m, 0, sizeof m);
    int rc = w2v_train(p, c, splits, &m);
    if (rc == 0) {
        emb_init(&out->emb, m.dim);
        for (int32_t r = 0; r < m.nwords && rc == 0; r++)
            rc = emb_add(&out->emb, m.words[r], strlen(m.words[r]), m.vectors + (size_t)r * m.dim, m.count[r]);
        if (rc == 0 && m.minn > 0) {
            /* The n-gram rows move to the embedding (no copy: they can be the larger part). */
            rc = emb_set_subwords(&out->emb, m.minn, m.maxn, m.buckets, m.nngrams, m.ngram_bucket, m.ngram_vectors);
            m.ngram_bucket = NULL;
            m.ngram_vectors = NULL;
        }
        out->params_json = params_json(p);
        out->minn = m.minn;
        out->maxn = m.maxn;
        out->nngrams = m.minn > 0 ? m.nngrams : 0;
        out->corpus_tokens = m.corpus_tokens;
        out->epochs = p->epochs;
        out->seconds = m.seconds;
        out->words_per_sec = m.words_per_sec;
        if (rc != 0)
            trained_free(out);
    }
    w2v_free(&m);
    return rc;
}

const EmbedTrainer trainer_word2vec = {
    .name = "word2vec",
    .label = "word2vec",
    .options = &w2v_options,
    .params_size = sizeof(W2vParams),
    .check = w2v_check,
    .describe = w2v_describe,
    .settings_name = w2v_name,
    .train = w2v_trainer_train,
};
