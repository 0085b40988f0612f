/* web/emb_cache.h: the last embedding a query loaded, kept for the next
 * (a nearest-word explorer asks about one embedding many times). One slot,
 * behind a mutex held while a caller uses it. */
#ifndef EL_WEB_EMB_CACHE_H
#define EL_WEB_EMB_CACHE_H

#include <sqlite3.h>
#include <stdint.h>

#include "db/index/ann.h"
#include "db/index/ann_lab.h"
#include "embed/text/tokenizer.h"
#include "embed/vectors.h"
#include "web/api.h"

typedef struct {
    int64_t eid;
    char *name, *created, *tokenizer;
    Embedding e;    /* with unit rows and any n-gram rows */
    uint8_t *image; /* the stored index, when it has one that fits e */
    AnnIndex ix;    /* ix.n 0 without */
    /* How a query word is looked up, as embeddings.query_form records it. */
    TokQueryForm query_form;
} WebEmb;

/* Locks the cache and makes it hold embedding `name` of db, loading it if
 * it holds another (or the same name made again: the id or creation time
 * differ). *out points into the cache until web_emb_release. 0; or -1 after
 * an error response in r (404 for an unknown name, 507 when too large),
 * the cache unlocked. */
int web_emb_acquire(WebEmbCache *c, sqlite3 *db, const char *name, WebEmb **out, WebResponse *r);
void web_emb_release(WebEmbCache *c);

/* The fast path `embedlab nearest` takes (db/index/ann_lab.h): an embedding
 * with a stored index and no subwords loaded as its index and unit vectors
 * in a few blob reads, words looked up by rank, no row per word read.
 * Locks the cache and returns 1 with *out set (web_emb_release after), 0
 * (unlocked) when there is no such index (the caller loads it whole), or
 * -1 (unlocked) after an error response. */
int web_ann_acquire(WebEmbCache *c, sqlite3 *db, const char *name, AnnLoaded **out, WebResponse *r);

#endif
