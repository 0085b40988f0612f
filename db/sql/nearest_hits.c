/* db/sql/nearest_hits.c: the rows a nearest() query found, copied out of the
 * per-connection cache into the cursor (cache_hits, db/sql/nearest_cache.h),
 * so that another nearest() in the same statement may load another
 * embedding over the cache. */
#include <string.h>

#include "db/sql/nearest_cache.h"

/* cache_hits for an indexed cache: each word looked up by its rank. A rank
 * that is gone (vectors deleted past the triggers that drop the index) is
 * an error that says so. */
static int hits_by_rank(Cache *cache, const char *name, const Scored *found, int count, Hits *c, char **err) {
    sqlite3_stmt *st = cache_stmt(cache, CST_RANK_WORD);
    if (!st)
        return (*err = sqlite3_mprintf("nearest: %s", sqlite3_errmsg(cache->db))) ? SQLITE_ERROR : SQLITE_NOMEM;
    sqlite3_str *text = sqlite3_str_new(NULL);
    sqlite3_int64 *at = sqlite3_malloc64((sqlite3_uint64)(count + 1) * sizeof *at);
    c->hits = sqlite3_malloc64((sqlite3_uint64)(count ? count : 1) * sizeof *c->hits);
    int rc = at && c->hits ? SQLITE_OK : SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < count; i++) {
        sqlite3_bind_int64(st, 1, cache->id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)found[i].index + 1);
        if (sqlite3_step(st) != SQLITE_ROW)
            rc = SQLITE_ERROR; /* the triggers drop the index before a rank can go: a lab altered past them */
        at[i] = sqlite3_str_length(text);
        const char *w = (const char *)sqlite3_column_text(st, 0);
        c->hits[i].len = rc == SQLITE_OK && w ? sqlite3_column_bytes(st, 0) : 0;
        if (c->hits[i].len)
            sqlite3_str_append(text, w, c->hits[i].len);
        sqlite3_str_appendchar(text, 1, 0);
        c->hits[i].similarity = found[i].score;
        sqlite3_reset(st);
    }
    cache_stmt_done(st);
    if (rc == SQLITE_OK && sqlite3_str_errcode(text) != SQLITE_OK)
        rc = SQLITE_NOMEM;
    c->text = sqlite3_str_finish(text); /* NULL for no hits: nothing was appended */
    if (rc == SQLITE_OK && !c->text && count > 0)
        rc = SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < count; i++)
        c->hits[i].word = c->text + at[i];
    sqlite3_free(at);
    if (rc != SQLITE_OK) {
        hits_free(c);
        if (rc == SQLITE_NOMEM)
            return rc;
        *err = sqlite3_mprintf("nearest: a word the index of '%s' found is gone "
                               "from its vectors (the index is stale). Rebuild "
                               "it with 'embedlab embed index %s', or search "
                               "exactly with nearest('%s', WORD, K, 'exact')",
                               name, name, name);
        return *err ? SQLITE_ERROR : SQLITE_NOMEM;
    }
    c->n = count;
    return SQLITE_OK;
}

int cache_hits(Cache *cache, const char *name, const Scored *found, int count, Hits *c, char **err) {
    if (cache->indexed)
        return hits_by_rank(cache, name, found, count, c, err);
    sqlite3_int64 bytes = 0;
    for (int i = 0; i < count; i++)
        bytes += cache->start[found[i].index + 1] - cache->start[found[i].index];
    c->hits = sqlite3_malloc64((sqlite3_uint64)(count ? count : 1) * sizeof *c->hits);
    c->text = sqlite3_malloc64((sqlite3_uint64)(bytes ? bytes : 1));
    if (!c->hits || !c->text) {
        hits_free(c);
        return SQLITE_NOMEM;
    }
    char *t = c->text;
    for (int i = 0; i < count; i++) {
        int len;
        const char *word = cache_word(cache, found[i].index, &len);
        memcpy(t, word, (size_t)len + 1);
        c->hits[i] = (Hit){t, len, found[i].score};
        t += len + 1;
    }
    c->n = count;
    return SQLITE_OK;
}

void hits_free(Hits *h) {
    sqlite3_free(h->hits);
    sqlite3_free(h->text);
    memset(h, 0, sizeof *h);
}
