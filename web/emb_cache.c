/* web/emb_cache.c: one loaded embedding kept between requests
 * (web/emb_cache.h). */
#include "web/emb_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "db/index/ann_lab.h"

struct WebEmbCache {
    pthread_mutex_t mu;
    int loaded;
    WebEmb slot;
    int ann_loaded; /* the fast path's slot */
    AnnLoaded ann;
    char *ann_created;
};

WebEmbCache *web_emb_cache_new(void) {
    WebEmbCache *c = xcalloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    return c;
}

static void clear(WebEmbCache *c) {
    if (!c->loaded)
        return;
    emb_free(&c->slot.e);
    free(c->slot.image);
    free(c->slot.name);
    free(c->slot.created);
    free(c->slot.tokenizer);
    memset(&c->slot, 0, sizeof c->slot);
    c->loaded = 0;
}

static void clear_ann(WebEmbCache *c) {
    if (!c->ann_loaded)
        return;
    ann_lab_free(&c->ann);
    free(c->ann_created);
    c->ann_created = NULL;
    c->ann_loaded = 0;
}

void web_emb_cache_free(WebEmbCache *c) {
    if (!c)
        return;
    clear(c);
    clear_ann(c);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

/* Loads name into the slot after the memory check nearest makes
 * (db_embedding_fits, before any vector is read). The stored index is used when it opens for these
 * vectors; a stale or damaged one is left alone (the server never writes):
 * the search is exact then. */
static int load(WebEmbCache *c, sqlite3 *db, const char *name, WebResponse *r) {
    if (db_embedding_fits(db, name) != 0) {
        web_error(r, 507, "%s", el_error());
        return -1;
    }
    WebEmb *w = &c->slot;
    if (db_embedding_load_subwords(db, name, &w->e, &w->eid) != 0) {
        web_error(r, 500, "%s", el_error());
        return -1;
    }
    c->loaded = 1;
    if (ann_lab_open(db, w->eid, &w->e, &w->image, &w->ix) != ANN_OK) {
        free(w->image);
        w->image = NULL;
        memset(&w->ix, 0, sizeof w->ix);
    }
    return 0;
}

int web_emb_acquire(WebEmbCache *c, sqlite3 *db, const char *name, WebEmb **out, WebResponse *r) {
    sqlite3_stmt *st;
    if (web_prepare(db, "SELECT id, created, coalesce(tokenizer, 'words'), query_form FROM embeddings WHERE name = ?",
                    &st, r) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        web_error(r, 404, "no embedding named '%.200s'", name);
        return -1;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    const char *created = (const char *)sqlite3_column_text(st, 1);
    pthread_mutex_lock(&c->mu);
    int same = c->loaded && c->slot.eid == id && created && strcmp(c->slot.created, created) == 0 &&
               strcmp(c->slot.name, name) == 0;
    int rc = 0;
    if (!same) {
        clear(c);
        rc = db_query_form(st, 3, name, &c->slot.query_form);
        if (rc != 0)
            web_error(r, 500, "%s", el_error());
        else
            rc = load(c, db, name, r);
        if (rc == 0) {
            c->slot.name = xstrdup(name);
            c->slot.created = xstrdup(created ? created : "");
            c->slot.tokenizer = xstrdup((const char *)sqlite3_column_text(st, 2));
        }
    }
    sqlite3_finalize(st);
    if (rc != 0) {
        clear(c);
        pthread_mutex_unlock(&c->mu);
        return -1;
    }
    *out = &c->slot;
    return 0;
}

void web_emb_release(WebEmbCache *c) { pthread_mutex_unlock(&c->mu); }

int web_ann_acquire(WebEmbCache *c, sqlite3 *db, const char *name, AnnLoaded **out, WebResponse *r) {
    sqlite3_stmt *st;
    if (web_prepare(db, "SELECT id, created FROM embeddings WHERE name = ?", &st, r) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        web_error(r, 404, "no embedding named '%.200s'", name);
        return -1;
    }
    int64_t id = sqlite3_column_int64(st, 0);
    char *created = xstrdup(sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "");
    sqlite3_finalize(st);
    pthread_mutex_lock(&c->mu);
    if (!(c->ann_loaded && c->ann.eid == id && strcmp(c->ann_created, created) == 0)) {
        clear_ann(c);
        int rc = ann_lab_load(db, name, &c->ann);
        if (rc != ANN_OK) {
            pthread_mutex_unlock(&c->mu);
            free(created);
            if (rc == ANN_ENOMEM) {
                web_error(r, 507, "%s", el_error());
                return -1;
            }
            return 0; /* no index (or a stale one): the whole load */
        }
        c->ann_loaded = 1;
        c->ann_created = created;
        created = NULL;
    }
    free(created);
    *out = &c->ann;
    return 1;
}
