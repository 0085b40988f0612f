/* web/api_embed.c: /api/embeddings, /api/nearest and /api/analogy, the
 * same searches as `embedlab nearest` and `analogy` (cli/embed/cmd_nearest.c):
 * the stored index when there is one, an unseen word built from its
 * character n-grams under a subword embedding, a word looked up as the
 * embedding's tokenizer writes it. */
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/vecmath.h"
#include "db/index/ann_lab.h"
#include "embed/subword.h"
#include "embed/text/tok_norm.h"
#include "web/api.h"
#include "web/emb_cache.h"

/* The list; INDEX is whether an embedding has a nearest-word index. */
#define LIST_SQL(INDEX)                                                                                                \
    "SELECT json_object('embeddings', coalesce(json_group_array(json(j)), '[]')) FROM (\n"                             \
    "SELECT json_object('id', e.id, 'name', e.name, 'dim', e.dim, 'words', e.vocab_size,\n"                            \
    "  'trainer', coalesce(json_extract(e.params, '$.trainer'), 'word2vec'), 'tokenizer', e.tokenizer,\n"              \
    "  'subwords', json_extract(e.params, '$.minn') IS NOT NULL, 'source', e.source, 'corpus', e.corpus,\n"            \
    "  'tokens', e.tokens, 'seconds', e.seconds, 'created', e.created, 'params', json(e.params),\n"                    \
    "  'index', " INDEX ") AS j FROM embeddings e ORDER BY e.id)"

void web_api_embeddings(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)s, (void)q, (void)rest;
    /* ann_index is made with the first index, outside the migrations, and a
     * query naming a missing table does not prepare. */
    int has_index = sqlite3_table_column_metadata(db, "main", "ann_index", "embedding_id", 0, 0, 0, 0, 0) == SQLITE_OK;
    sqlite3_stmt *st;
    if (web_prepare(db,
                    has_index ? LIST_SQL("EXISTS (SELECT 1 FROM ann_index a WHERE a.embedding_id = e.id)")
                              : LIST_SQL("json('false')"),
                    &st, r) == 0)
        web_sql_json(db, st, r);
}

/* The unit vector of a query word into unit[0..dim), described in b
 * ("word", "looked_up", "from": vocabulary or ngrams, the n-grams known);
 * its row, EMB_FROM_NGRAMS, or -2 after a 404 that says why. */
static int32_t query(const WebEmb *w, const char *word, float *unit, JsonBuf *b, WebResponse *r) {
    const Embedding *e = &w->e;
    char *norm = NULL;
    if (emb_row(e, word) < 0) { /* as the embedding's tokenizer writes it: Movie is movie */
        size_t len;
        norm = tok_query_word(w->query_form, word, strlen(word), &len);
    }
    const char *used = norm ? norm : word;
    int64_t found = 0, ngrams = 0;
    int32_t row = emb_query(e, used, strlen(used), unit, &found, &ngrams);
    if (row == EMB_NO_VECTOR || (row >= 0 && vec_dot_f32(unit, unit, e->dim) <= 0)) {
        web_error(r, 404, "'%.100s' has no vector in embedding '%.100s' (%d words%s)", used, w->name, e->n,
                  e->minn ? ", and none of its character n-grams was seen" : "; it has no subwords");
        free(norm);
        return -2;
    }
    jb_raw(b, "{\"word\":");
    jb_str(b, word);
    jb_raw(b, ",\"looked_up\":");
    jb_str(b, used);
    jb_raw(b, row >= 0 ? ",\"from\":\"vocabulary\"" : ",\"from\":\"ngrams\",\"ngrams\":");
    if (row < 0) { /* which of its n-grams have a row: the ones that made the vector */
        jb_int(b, ngrams);
        jb_raw(b, ",\"known\":[");
        SubwordIter it;
        size_t a, z, len = strlen(used);
        int listed = 0;
        subword_begin(&it, used, len, e->minn, e->maxn);
        while (subword_next(&it, &a, &z) && listed < 200) {
            uint32_t bucket = subword_hash_span(used, len, a, z) % e->buckets;
            if (subword_row_of(e->ngram_bucket, e->nngrams, bucket) < 0)
                continue;
            char g[256];
            size_t n = 0;
            for (size_t k = a; k < z && n < sizeof g; k++)
                g[n++] = subword_byte(used, len, k);
            jb_raw(b, listed++ ? "," : "");
            jb_strn(b, g, n);
        }
        jb_raw(b, "]");
    }
    jb_raw(b, "}");
    free(norm);
    return row;
}

/* The k best rows for q, rows[] excluded: the index when open, else exact. */
static int search(const WebEmb *w, const float *q, const int32_t *rows, int nrows, int k, Scored *best) {
    if (w->ix.n > 0)
        return ann_search(&w->ix, w->e.unit, q, k, 0, 0, rows, nrows, best);
    return emb_nearest(&w->e, q, k, rows, nrows, best);
}

/* Appends "results": [{"word", "score"}...]. */
static void results(JsonBuf *b, const WebEmb *w, const Scored *best, int found) {
    jb_raw(b, ",\"index\":");
    jb_raw(b, w->ix.n > 0 ? "true" : "false");
    jb_raw(b, ",\"results\":[");
    for (int i = 0; i < found; i++) {
        jb_raw(b, i ? ",{\"word\":" : "{\"word\":");
        jb_str(b, emb_word(&w->e, best[i].index));
        jb_raw(b, ",\"score\":");
        jb_num(b, best[i].score);
        jb_raw(b, "}");
    }
    jb_raw(b, "]}");
}

/* The search through the stored index alone, when every query word is in
 * the vocabulary as given (web_ann_acquire); 1 when answered (r filled), 0
 * to take the whole load instead, -1 after an error response. */
static int indexed_only(WebState *s, sqlite3 *db, const char *name, const char *const *words, int nwords, int k,
                        WebResponse *r) {
    AnnLoaded *a;
    int got = web_ann_acquire(s->emb, db, name, &a, r);
    if (got <= 0)
        return got;
    int32_t rows[3];
    for (int i = 0; i < nwords; i++)
        if ((rows[i] = ann_lab_row(db, a, words[i])) < 0) {
            web_emb_release(s->emb);
            return 0;
        }
    int d = a->ix.d;
    float *q = xmalloc((size_t)d * sizeof *q);
    if (nwords == 3)
        emb_analogy_query(a->unit + (size_t)rows[0] * d, a->unit + (size_t)rows[1] * d, a->unit + (size_t)rows[2] * d,
                          d, q);
    else
        memcpy(q, a->unit + (size_t)rows[0] * d, (size_t)d * sizeof *q);
    Scored *best = xmalloc((size_t)k * sizeof *best);
    int found = vec_dot_f32(q, q, d) > 0 ? ann_search(&a->ix, a->unit, q, k, 0, 0, rows, nwords, best) : -2;
    JsonBuf *b = &r->body;
    jb_raw(b, "{\"embedding\":");
    jb_str(b, name);
    jb_raw(b, ",\"query\":[");
    for (int i = 0; i < nwords; i++) {
        jb_raw(b, i ? ",{\"word\":" : "{\"word\":");
        jb_str(b, words[i]);
        jb_raw(b, ",\"looked_up\":");
        jb_str(b, words[i]);
        jb_raw(b, ",\"from\":\"vocabulary\"}");
    }
    jb_raw(b, "],\"index\":true,\"results\":[");
    for (int i = 0; i < found; i++) {
        char *w = ann_lab_word(db, a, best[i].index);
        jb_raw(b, i ? ",{\"word\":" : "{\"word\":");
        jb_str(b, w ? w : "");
        jb_raw(b, ",\"score\":");
        jb_num(b, best[i].score);
        jb_raw(b, "}");
        free(w);
    }
    jb_raw(b, "]}");
    r->status = 200;
    r->type = "application/json";
    if (found == -2)
        web_error(r, 404, "'%.100s' has a zero vector in embedding '%.100s': no direction", words[0], name);
    else if (found < 0)
        web_error(r, 500, "out of memory in the index search");
    web_emb_release(s->emb);
    free(q);
    free(best);
    return 1;
}

/* Shared by nearest (one word) and analogy (a b c): k, the words, the
 * search; nwords query words from params names[]. */
static void words_query(WebState *s, sqlite3 *db, const WebRequest *q, const char *const *names, int nwords, long kdef,
                        WebResponse *r) {
    const char *name = web_param(q, "embedding"), *words[3];
    long k;
    if (!name || !*name)
        return web_error(r, 400, "embedding= names an embedding (see /api/embeddings)");
    for (int i = 0; i < nwords; i++)
        if (!(words[i] = web_param(q, names[i])) || !*words[i] || strlen(words[i]) > 200)
            return web_error(r, 400, "%s= is a word of 1 to 200 bytes", names[i]);
    if (web_int_param(q, "k", 1, WEB_MAX_K, kdef, &k, r) != 0)
        return;
    int fast = indexed_only(s, db, name, words, nwords, (int)k, r);
    if (fast != 0)
        return;
    WebEmb *w;
    if (web_emb_acquire(s->emb, db, name, &w, r) != 0)
        return;
    int dim = w->e.dim;
    float *unit = xmalloc(4 * (size_t)dim * sizeof *unit), *qv = unit + 3 * (size_t)dim;
    int32_t rows[3];
    int nrows = 0;
    JsonBuf b = {0};
    jb_raw(&b, "{\"embedding\":");
    jb_str(&b, w->name);
    jb_raw(&b, ",\"query\":[");
    for (int i = 0; i < nwords; i++) {
        jb_raw(&b, i ? "," : "");
        int32_t row = query(w, words[i], unit + (size_t)i * dim, &b, r);
        if (row == -2)
            goto done;
        if (row >= 0)
            rows[nrows++] = row;
    }
    jb_raw(&b, "]");
    if (nwords == 3)
        emb_analogy_query(unit, unit + dim, unit + 2 * (size_t)dim, dim, qv);
    else
        memcpy(qv, unit, (size_t)dim * sizeof *qv);
    Scored *best = xmalloc((size_t)k * sizeof *best);
    int found = search(w, qv, rows, nrows, (int)k, best);
    if (found < 0)
        web_error(r, 500, "out of memory in the search");
    else {
        results(&b, w, best, found);
        jb_free(&r->body);
        r->body = b;
        b = (JsonBuf){0};
        r->status = 200;
        r->type = "application/json";
    }
    free(best);
done:
    web_emb_release(s->emb);
    jb_free(&b);
    free(unit);
}

void web_api_nearest(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    static const char *const names[] = {"word"};
    words_query(s, db, q, names, 1, 10, r);
}

void web_api_analogy(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    static const char *const names[] = {"a", "b", "c"};
    words_query(s, db, q, names, 3, 5, r);
}
