/* experiments/embed_job.c: word2vec training into the lab database. */
#include "experiments/embed_job.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "embed/vectors.h"

/* One option with its value into p or *threads: 0, or -1 with a message.
 * The ranges are `embedlab embed train`'s (cli/cmd_embed.c). */
static int embed_option(const char *o, const char *v, W2vParams *p, int *threads) {
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
    else if (!strcmp(o, "--threads") && whole && n >= 1 && n <= 1024)
        *threads = (int)n;
    else
        return el_fail("--embed-options: bad or unknown option %s '%s' (the options of 'embedlab embed train' "
                       "that shape the vectors, and --threads)",
                       o, v);
    return 0;
}

int embed_options_parse(const char *text, W2vParams *p, int *threads) {
    char *copy = xstrdup(text), *save = NULL;
    int rc = 0;
    for (char *o = strtok_r(copy, " ", &save); o && rc == 0; o = strtok_r(NULL, " ", &save)) {
        char *v = strtok_r(NULL, " ", &save);
        rc = v ? embed_option(o, v, p, threads) : el_fail("--embed-options: %s needs a value", o);
    }
    free(copy);
    if (rc == 0 && p->loss == W2V_NS && p->negative == 0)
        rc = el_fail("--embed-options: --loss ns needs --negative of 1 or more");
    return rc;
}

int embed_job_train(sqlite3 *db, const char *name, const Corpus *c, unsigned splits, const char *corpus,
                    const W2vParams *p, EmbedJobResult *out) {
    const char *model = p->model == W2V_SG ? "sg" : "cbow", *loss = p->loss == W2V_NS ? "ns" : "hs";
    char sub[64] = "";
    if (p->minn > 0)
        snprintf(sub, sizeof sub, ", subwords %d-%d", p->minn, p->maxn);
    fprintf(stderr, "embedlab: training %s (%s, %s, dim %d%s) on %s with %d thread(s)\n", name, model, loss, p->dim,
            sub, corpus, el_threads());
    W2vModel m;
    memset(&m, 0, sizeof m);
    int rc = w2v_train(p, c, splits, &m);
    if (rc == 0) {
        char params[1024];
        snprintf(params, sizeof params,
                 "{\"model\":\"%s\",\"loss\":\"%s\",\"dim\":%d,\"window\":%d,\"negative\":%d,\"sample\":%g,"
                 "\"alpha\":%g,\"epochs\":%d,\"min_count\":%lld,\"max_vocab\":%lld,\"threads\":%d,\"seed\":%llu}",
                 model, loss, p->dim, p->window, p->negative, p->sample,
                 p->alpha > 0 ? p->alpha : (p->model == W2V_SG ? 0.025 : 0.05), p->epochs, (long long)p->min_count,
                 (long long)p->max_vocab, el_threads(), (unsigned long long)p->seed);
        Embedding e;
        emb_init(&e, m.dim);
        for (int32_t r = 0; r < m.nwords && rc == 0; r++)
            rc = emb_add(&e, m.words[r], strlen(m.words[r]), m.vectors + (size_t)r * m.dim, m.count[r]);
        if (rc == 0 && m.minn > 0) {
            /* The n-gram rows move to e (no copy: they can be the larger part). */
            rc = emb_set_subwords(&e, m.minn, m.maxn, m.buckets, m.nngrams, m.ngram_bucket, m.ngram_vectors);
            m.ngram_bucket = NULL;
            m.ngram_vectors = NULL;
        }
        EmbeddingInfo info = {.params_json = params,
                              .corpus = corpus,
                              .source = "trained",
                              .tokens = m.corpus_tokens,
                              .seconds = m.seconds,
                              .words_per_sec = m.words_per_sec,
                              .tok = c->tok};
        if (rc == 0)
            rc = db_embedding_save(db, name, &info, &e, NULL);
        if (rc == 0 && out)
            *out = (EmbedJobResult){.nwords = m.nwords,
                                    .dim = m.dim,
                                    .minn = m.minn,
                                    .maxn = m.maxn,
                                    .nngrams = m.minn > 0 ? m.nngrams : 0,
                                    .corpus_tokens = m.corpus_tokens,
                                    .seconds = m.seconds,
                                    .words_per_sec = m.words_per_sec};
        emb_free(&e);
    }
    w2v_free(&m);
    return rc;
}
