/* web/api_project.c: /api/project?embedding=&n=&method=pca, the top n
 * words of an embedding (by frequency rank) in two dimensions, computed
 * here in C (pca2 of experiments/report/plots.h, which `plot words` uses
 * too) from their unit vectors, so that the picture shows
 * cosine neighbourhoods. */
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "web/api.h"
#include "web/emb_cache.h"
#include "experiments/report/plots.h"

void web_api_project(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    const char *name = web_param(q, "embedding"), *method = web_param(q, "method");
    long n;
    if (!name || !*name)
        return web_error(r, 400, "embedding= names an embedding (see /api/embeddings)");
    if (method && strcmp(method, "pca") != 0)
        return web_error(r, 400, "method must be pca");
    if (web_int_param(q, "n", 2, WEB_MAX_PROJECT, 1000, &n, r) != 0)
        return;
    WebEmb *w;
    if (web_emb_acquire(s->emb, db, name, &w, r) != 0)
        return;
    if (n > w->e.n)
        n = w->e.n;
    if (w->e.dim > 4096) { /* the covariance is dim x dim */
        web_emb_release(s->emb);
        return web_error(r, 400, "a projection takes embeddings of at most 4096 dimensions");
    }
    float *xy = xmalloc(2 * (size_t)(n > 0 ? n : 1) * sizeof *xy);
    pthread_mutex_lock(&s->compute);
    int rc = pca2(w->e.unit, (int)n, w->e.dim, xy);
    pthread_mutex_unlock(&s->compute);
    if (rc != 0) {
        web_error(r, 400, "%s", el_error());
    } else {
        JsonBuf *b = &r->body;
        jb_raw(b, "{\"embedding\":");
        jb_str(b, w->name);
        jb_raw(b, ",\"method\":\"pca\",\"words\":[");
        for (long i = 0; i < n; i++) {
            jb_raw(b, i ? "," : "");
            jb_str(b, emb_word(&w->e, (int32_t)i));
        }
        jb_raw(b, "],\"xy\":[");
        for (long i = 0; i < 2 * n; i++) {
            jb_raw(b, i ? "," : "");
            jb_num(b, xy[i]);
        }
        jb_raw(b, "]}");
        r->status = 200;
        r->type = "application/json";
    }
    web_emb_release(s->emb);
    free(xy);
}
