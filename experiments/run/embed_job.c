/* experiments/run/embed_job.c: embedding training into the lab database. */
#include "experiments/run/embed_job.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"

int embed_job_train(sqlite3 *db, const char *name, const Corpus *c, unsigned splits, const char *corpus,
                    const EmbedTrainer *t, const void *params, EmbedJobResult *out) {
    char what[256];
    t->describe(params, what, sizeof what);
    fprintf(stderr, "embedlab: training %s (%s) on %s with %d thread(s)\n", name, what, corpus, el_threads());
    TrainedEmbedding te;
    int rc = t->train(params, c, splits, &te);
    if (rc != 0)
        return -1;
    EmbeddingInfo info = {.params_json = te.params_json,
                          .corpus = corpus,
                          .source = "trained",
                          .tokens = te.corpus_tokens,
                          .seconds = te.seconds,
                          .words_per_sec = te.words_per_sec,
                          .tok = c->tok};
    rc = db_embedding_save(db, name, &info, &te.emb, NULL);
    if (rc == 0 && out)
        *out = (EmbedJobResult){.nwords = (int32_t)te.emb.n,
                                .dim = te.emb.dim,
                                .minn = te.minn,
                                .maxn = te.maxn,
                                .nngrams = te.nngrams,
                                .corpus_tokens = te.corpus_tokens,
                                .epochs = te.epochs,
                                .seconds = te.seconds,
                                .words_per_sec = te.words_per_sec};
    trained_free(&te);
    return rc;
}
