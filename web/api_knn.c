/* web/api_knn.c: /api/knn?embedding=&n=&k=, the k nearest neighbours (by
 * cosine) of each of an embedding's top n words among those n words: the
 * sparse graph the page's UMAP (web/assets/layout.js, in a Web Worker) lays
 * out. The server does the part that needs the vectors (n x n dot products,
 * blocked through BLAS), the browser the iterative layout, so the page never
 * waits on a long request and shows its progress. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/common.h"
#include "core/vecmath.h"
#include "web/api.h"
#include "web/emb_cache.h"

enum { KNN_BLOCK = 256 }; /* rows per product: KNN_BLOCK x n floats of scores at a time */

/* nbr[i*k..] and sim[i*k..] = the k rows of unit[0..n) nearest row i, best
 * first, row i itself left out (k < n). */
static void knn_graph(const float *unit, int n, int dim, int k, int32_t *nbr, float *sim) {
    float *scores = xmalloc((size_t)KNN_BLOCK * (size_t)n * sizeof *scores);
    Scored *best = xmalloc((size_t)k * sizeof *best);
    for (int i0 = 0; i0 < n; i0 += KNN_BLOCK) {
        int b = n - i0 < KNN_BLOCK ? n - i0 : KNN_BLOCK;
        mm(0, 1, b, n, dim, 1, unit + (size_t)i0 * dim, dim, unit, dim, 0, scores, n);
        for (int r = 0; r < b; r++) {
            const float *row = scores + (size_t)r * n;
            int count = 0;
            float kth = -2; /* the k-th best so far once there are k: most scores fall below it */
            for (int j = 0; j < n; j++) {
                if (j == i0 + r || (count == k && !(row[j] > kth)))
                    continue;
                scored_insert(best, &count, k, j, row[j]);
                if (count == k)
                    kth = best[k - 1].score;
            }
            for (int t = 0; t < k; t++) {
                nbr[(size_t)(i0 + r) * k + t] = best[t].index;
                sim[(size_t)(i0 + r) * k + t] = best[t].score;
            }
        }
    }
    free(best);
    free(scores);
}

/* The answer: {"embedding", "n", "k", "words": [n], "nbr": [n*k] row
 * numbers into words, "sim": [n*k] cosines to 4 decimals}. */
static void knn_json(JsonBuf *b, const WebEmb *w, int n, int k, const int32_t *nbr, const float *sim) {
    char num[32];
    jb_raw(b, "{\"embedding\":");
    jb_str(b, w->name);
    snprintf(num, sizeof num, ",\"n\":%d,\"k\":%d", n, k);
    jb_raw(b, num);
    jb_raw(b, ",\"words\":[");
    for (int i = 0; i < n; i++) {
        jb_raw(b, i ? "," : "");
        jb_str(b, emb_word(&w->e, (int32_t)i));
    }
    jb_raw(b, "],\"nbr\":[");
    for (size_t i = 0; i < (size_t)n * k; i++) {
        snprintf(num, sizeof num, i ? ",%d" : "%d", (int)nbr[i]);
        jb_raw(b, num);
    }
    jb_raw(b, "],\"sim\":[");
    for (size_t i = 0; i < (size_t)n * k; i++) {
        snprintf(num, sizeof num, i ? ",%.4f" : "%.4f", (double)sim[i]);
        jb_raw(b, num);
    }
    jb_raw(b, "]}");
}

void web_api_knn(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    const char *name = web_param(q, "embedding");
    long n, k;
    if (!name || !*name)
        return web_error(r, 400, "embedding= names an embedding (see /api/embeddings)");
    if (web_int_param(q, "n", 2, WEB_MAX_PROJECT, 1000, &n, r) != 0 ||
        web_int_param(q, "k", 1, WEB_MAX_KNN, 15, &k, r) != 0)
        return;
    WebEmb *w;
    if (web_emb_acquire(s->emb, db, name, &w, r) != 0)
        return;
    if (n > w->e.n)
        n = w->e.n;
    if (k > n - 1)
        k = n - 1;
    if (n < 2 || w->e.dim > 4096) {
        web_emb_release(s->emb);
        return web_error(r, 400, "a neighbour graph takes at least 2 words of at most 4096 dimensions");
    }
    int32_t *nbr = xmalloc((size_t)n * (size_t)k * sizeof *nbr);
    float *sim = xmalloc((size_t)n * (size_t)k * sizeof *sim);
    pthread_mutex_lock(&s->compute);
    knn_graph(w->e.unit, (int)n, w->e.dim, (int)k, nbr, sim);
    pthread_mutex_unlock(&s->compute);
    knn_json(&r->body, w, (int)n, (int)k, nbr, sim);
    r->status = 200;
    r->type = "application/json";
    web_emb_release(s->emb);
    free(nbr);
    free(sim);
}
