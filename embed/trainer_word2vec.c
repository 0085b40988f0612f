/* embed/trainer_word2vec.c: word2vec (embed/word2vec.h) as an embedding
 * trainer (embed/trainer.h); its parameters are a W2vParams. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/trainer.h"
#include "embed/word2vec.h"

static void w2v_trainer_defaults(void *params, int dim) {
    W2vParams *p = params;
    w2v_defaults(p);
    p->dim = dim;
}

/* The ranges are `embedlab embed train`'s (cli/cmd_embed.c). */
static int w2v_option(void *params, const char *o, const char *v) {
    W2vParams *p = params;
    char *end, *wend;
    double x = strtod(v, &end);
    errno = 0;
    long long n = strtoll(v, &wend, 10);
    int whole = wend != v && !*wend && errno == 0;
    if (!strcmp(o, "--model") && (!strcmp(v, "sg") || !strcmp(v, "cbow")))
        p->model = !strcmp(v, "sg") ? W2V_SG : W2V_CBOW;
    else if (!strcmp(o, "--loss") && (!strcmp(v, "ns") || !strcmp(v, "hs")))
        p->loss = !strcmp(v, "ns") ? W2V_NS : W2V_HS;
    else if (!strcmp(o, "--window") && whole && n >= 1 && n <= 1000)
        p->window = (int)n;
    else if (!strcmp(o, "--negative") && whole && n >= 0 && n <= 1000)
        p->negative = (int)n;
    else if (!strcmp(o, "--sample") && end != v && !*end && x >= 0 && x <= 1)
        p->sample = x;
    else if (!strcmp(o, "--alpha") && end != v && !*end && x >= 1e-9 && x <= 10)
        p->alpha = x;
    else if (!strcmp(o, "--epochs") && whole && n >= 1 && n <= 100000)
        p->epochs = (int)n;
    else if (!strcmp(o, "--min-count") && whole && n >= 1 && n <= (1LL << 40))
        p->min_count = n;
    else if (!strcmp(o, "--max-vocab") && whole && n >= 2 && n <= (1LL << 40))
        p->max_vocab = n;
    else if (!strcmp(o, "--seed") && whole && n >= 0)
        p->seed = (uint64_t)n;
    else
        return el_fail("bad or unknown option %s '%s' (the options of 'embedlab embed train' that shape the "
                       "vectors, and --threads)",
                       o, v);
    return 0;
}

static int w2v_check(const void *params) {
    const W2vParams *p = params;
    if (p->loss == W2V_NS && p->negative == 0)
        return el_fail("--loss ns needs --negative of 1 or more");
    return 0;
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
             "\"sample\":%g,\"alpha\":%g,\"epochs\":%d,\"min_count\":%lld,\"max_vocab\":%lld,\"threads\":%d,"
             "\"seed\":%llu}",
             p->model == W2V_SG ? "sg" : "cbow", p->loss == W2V_NS ? "ns" : "hs", p->dim, p->window, p->negative,
             p->sample, p->alpha > 0 ? p->alpha : (p->model == W2V_SG ? 0.025 : 0.05), p->epochs,
             (long long)p->min_count, (long long)p->max_vocab, el_threads(), (unsigned long long)p->seed);
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
    .help = "  --model sg|cbow --loss ns|hs --window N --negative N --sample F --alpha F --epochs N\n"
            "  --min-count N --max-vocab N --seed N: as 'embedlab embed train'\n",
    .params_size = sizeof(W2vParams),
    .defaults = w2v_trainer_defaults,
    .option = w2v_option,
    .check = w2v_check,
    .describe = w2v_describe,
    .train = w2v_trainer_train,
};
