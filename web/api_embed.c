/* web/api_embed.c: /api/embeddings, /api/nearest and /api/analogy, the
 * query of `embedlab nearest` and `analogy` (db/index/nearest.h): the stored
 * index when there is one, an unseen word built from its character n-grams
 * under a subword embedding, a word looked up as the embedding's tokenizer
 * writes it; the answer and what became of each query word as JSON. */
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/vecmath.h"
#include "db/embeddings.h"
#include "db/index/ann_lab.h"
#include "db/index/nearest.h"
#include "db/lab.h"
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

/* An embedding as a query reads it: loaded whole (w) or its index and unit
 * vectors alone (a: words looked up by rank), for the query of
 * db/index/nearest.h. */
typedef struct {
    sqlite3 *db;
    const WebEmb *w;
    const AnnLoaded *a;
} Source;

static int32_t row_of(void *ctx, const char *word, size_t len) {
    (void)len; /* word ends in NUL */
    const Source *src = ctx;
    return src->w ? emb_row(&src->w->e, word) : ann_lab_row(src->db, src->a, word);
}

/* The query form: the cached embedding's, or read for the index alone (a
 * form that names none sends the query to the whole load, whose acquiring
 * answers it with a 500). */
static int query_form(void *ctx, TokQueryForm *form) {
    const Source *src = ctx;
    if (src->w) {
        *form = src->w->query_form;
        return 0;
    }
    sqlite3_stmt *st;
    if (lab_prepare(src->db, "SELECT query_form FROM embeddings WHERE id = ?", &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, src->a->eid);
    int rc = sqlite3_step(st) == SQLITE_ROW ? db_query_form(st, 0, "", form) : -1;
    sqlite3_finalize(st);
    return rc;
}

/* Appends a query word's description: "word", "looked_up", "from":
 * vocabulary or ngrams, and for ngrams how many and which have a row (the
 * ones that made its vector). */
static void describe(JsonBuf *b, const Embedding *e, const char *word, const char *used, const NearestWord *nw) {
    jb_raw(b, "{\"word\":");
    jb_str(b, word);
    jb_raw(b, ",\"looked_up\":");
    jb_str(b, used);
    jb_raw(b, nw->row >= 0 ? ",\"from\":\"vocabulary\"" : ",\"from\":\"ngrams\",\"ngrams\":");
    if (nw->row < 0) {
        jb_int(b, nw->ngrams);
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
}

/* Appends "index" and "results": [{"word", "score"}...]. */
static void results(JsonBuf *b, const Source *src, int indexed, const Scored *best, int found) {
    jb_raw(b, ",\"index\":");
    jb_raw(b, indexed ? "true" : "false");
    jb_raw(b, ",\"results\":[");
    for (int i = 0; i < found; i++) {
        char *w = src->w ? xstrdup(emb_word(&src->w->e, best[i].index)) : ann_lab_word(src->db, src->a, best[i].index);
        jb_raw(b, i ? ",{\"word\":" : "{\"word\":");
        jb_str(b, w ? w : "");
        jb_raw(b, ",\"score\":");
        jb_num(b, best[i].score);
        jb_raw(b, "}");
        free(w);
    }
    jb_raw(b, "]}");
}

/* The query words (nearest's one, analogy's three: b - a + c) over src, and
 * the k best rows: 1 when answered (r filled: 200, 404 or 500), 0 to take the
 * whole load instead (the index alone, and a word that is no row in it). A
 * word with no vector (or, loaded whole, a zero one) is a 404; through the
 * index alone a zero query is. */
static int answer(const Source *src, const char *name, const char *const *words, int nwords, int k, WebResponse *r) {
    NearestRows rows = {.row_of = row_of, .form = query_form, .ctx = (void *)src};
    if (src->w) {
        const WebEmb *w = src->w;
        rows.n = w->e.n, rows.dim = w->e.dim, rows.unit = w->e.unit, rows.ix = w->ix.n > 0 ? &w->ix : NULL;
        emb_subwords(&w->e, &rows.subwords);
    } else
        rows.n = src->a->ix.n, rows.dim = src->a->ix.d, rows.unit = src->a->unit, rows.ix = &src->a->ix;
    int dim = rows.dim, got = 0, done = 1;
    float *unit = xmalloc(4 * (size_t)dim * sizeof *unit), *q = unit + 3 * (size_t)dim;
    NearestWord nw[3];
    int32_t ex[3];
    JsonBuf b = {0};
    jb_raw(&b, "{\"embedding\":");
    jb_str(&b, name);
    jb_raw(&b, ",\"query\":[");
    for (; done == 1 && got < nwords; got++) {
        NearestStatus st = nearest_word(&rows, words[got], strlen(words[got]), unit + (size_t)got * dim, &nw[got]);
        const char *used = nw[got].normal ? nw[got].normal : words[got];
        ex[got] = nw[got].row;
        if (!src->w && nw[got].row < 0)
            done = 0;
        else if (src->w && st != NEAREST_OK) {
            web_error(r, 404, "'%.100s' has no vector in embedding '%.100s' (%d words%s)", used, name, rows.n,
                      rows.subwords.minn ? ", and none of its character n-grams was seen" : "; it has no subwords");
            done = -1;
        } else {
            jb_raw(&b, got ? "," : "");
            describe(&b, src->w ? &src->w->e : NULL, words[got], used, &nw[got]);
        }
    }
    jb_raw(&b, "]");
    if (done == 1 && nwords == 3)
        emb_analogy_query(unit, unit + dim, unit + 2 * (size_t)dim, dim, q);
    else if (done == 1)
        memcpy(q, unit, (size_t)dim * sizeof *q);
    Scored *best = xmalloc((size_t)k * sizeof *best);
    int nex = 0, found = 0, indexed = 0;
    for (int i = 0; i < nwords && i < got; i++)
        if (ex[i] >= 0)
            ex[nex++] = ex[i];
    if (done == 1 && !src->w && vec_dot_f32(q, q, dim) <= 0) {
        web_error(r, 404, "'%.100s' has a zero vector in embedding '%.100s': no direction", words[0], name);
        done = -1;
    }
    if (done == 1 && nearest_search(&rows, q, k, ex, nex, 0, best, &found, &indexed) != NEAREST_OK)
        web_error(r, 500, src->w ? "out of memory in the search" : "out of memory in the index search");
    else if (done == 1) {
        results(&b, src, indexed, best, found);
        jb_free(&r->body);
        r->body = b;
        b = (JsonBuf){0};
        r->status = 200;
        r->type = "application/json";
    }
    for (int i = 0; i < got; i++)
        nearest_word_free(&nw[i]);
    jb_free(&b);
    free(best);
    free(unit);
    return done != 0;
}

/* Shared by nearest (one word) and analogy (a b c): k, the words, the
 * search; nwords query words from params names[]. Through the stored index
 * alone when it answers (web_ann_acquire), else over the whole embedding. */
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
    AnnLoaded *a;
    int got = web_ann_acquire(s->emb, db, name, &a, r);
    if (got < 0)
        return;
    if (got > 0) {
        Source src = {.db = db, .a = a};
        int answered = answer(&src, name, words, nwords, (int)k, r);
        web_emb_release(s->emb);
        if (answered)
            return;
    }
    WebEmb *w;
    if (web_emb_acquire(s->emb, db, name, &w, r) != 0)
        return;
    Source src = {.db = db, .w = w};
    answer(&src, w->name, words, nwords, (int)k, r);
    web_emb_release(s->emb);
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
