/* db/embeddings.c: saving and loading word vectors. */
#include "db/embeddings.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "vector blobs are stored as little-endian float32; this build assumes a little-endian machine"
#endif

int db_embedding_exists(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT 1 FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return el_fail("database: %s", sqlite3_errmsg(db));
    return rc == SQLITE_ROW;
}

int db_embedding_save(sqlite3 *db, const char *name, const EmbeddingInfo *info, const Embedding *e, int64_t *id) {
    if (!name || !*name)
        return el_fail("an embedding needs a name");
    if (lab_begin(db) != 0)
        return -1;
    int exists = db_embedding_exists(db, name);
    if (exists != 0) {
        lab_rollback(db);
        return exists < 0 ? -1
                          : el_fail("an embedding named '%s' already exists (remove it with 'embedlab embed rm %s')",
                                    name, name);
    }
    sqlite3_stmt *st = NULL, *vst = NULL;
    int rc = lab_prepare(
        db,
        "INSERT INTO embeddings(name, dim, params, corpus, tokens, vocab_size, seconds, "
        "words_per_sec, source, provenance) VALUES (?1, ?2, json(?3), ?4, ?5, ?6, ?7, ?8, ?9, " LAB_PROVENANCE_JSON ")",
        &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, e->dim);
        sqlite3_bind_text(st, 3, info->params_json ? info->params_json : "{}", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, info->corpus, -1, SQLITE_STATIC);
        if (info->tokens > 0)
            sqlite3_bind_int64(st, 5, info->tokens);
        sqlite3_bind_int(st, 6, e->n);
        if (info->seconds > 0)
            sqlite3_bind_double(st, 7, info->seconds);
        if (info->words_per_sec > 0)
            sqlite3_bind_double(st, 8, info->words_per_sec);
        sqlite3_bind_text(st, 9, info->source ? info->source : "trained", -1, SQLITE_STATIC);
        lab_bind_provenance(st, el_threads());
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("saving embedding '%s': %s", name, sqlite3_errmsg(db));
    }
    int64_t eid = sqlite3_last_insert_rowid(db);
    if (rc == 0)
        rc = lab_prepare(db, "INSERT INTO vectors(embedding_id, word, rank, count, vec) VALUES (?, ?, ?, ?, ?)", &vst);
    for (int32_t r = 0; rc == 0 && r < e->n; r++) {
        sqlite3_bind_int64(vst, 1, eid);
        sqlite3_bind_text(vst, 2, emb_word(e, r), (int)dict_len(&e->words, r), SQLITE_STATIC);
        sqlite3_bind_int(vst, 3, r + 1);
        if (e->count[r] > 0)
            sqlite3_bind_int64(vst, 4, e->count[r]);
        else
            sqlite3_bind_null(vst, 4);
        sqlite3_bind_blob(vst, 5, e->vec + (size_t)r * e->dim, e->dim * 4, SQLITE_STATIC);
        if (sqlite3_step(vst) != SQLITE_DONE)
            rc = el_fail("saving vector of '%s': %s", emb_word(e, r), sqlite3_errmsg(db));
        sqlite3_reset(vst);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(vst);
    if (rc == 0)
        rc = lab_commit(db);
    if (rc != 0) {
        lab_rollback(db);
        return -1;
    }
    if (id)
        *id = eid;
    return 0;
}

int db_embedding_load(sqlite3 *db, const char *name, Embedding *e, int64_t *id) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT id, dim FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return el_fail("no embedding named '%s' (see 'embedlab embed list')", name);
    }
    int64_t eid = sqlite3_column_int64(st, 0);
    int64_t dim64 = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    /* From the file, so checked before it sizes anything (a crafted file). */
    if (dim64 < 1 || dim64 > INT32_MAX / 4)
        return el_fail("embedding '%s' has dimension %lld", name, (long long)dim64);
    int dim = (int)dim64;
    if (lab_prepare(db, "SELECT word, count, vec FROM vectors WHERE embedding_id = ? ORDER BY rank, word", &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, eid);
    emb_init(e, dim);
    int rc, bad = 0;
    while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *w = (const char *)sqlite3_column_text(st, 0);
        int wlen = sqlite3_column_bytes(st, 0);
        const void *blob = sqlite3_column_blob(st, 2);
        if (sqlite3_column_bytes(st, 2) != dim * 4) {
            bad = el_fail("embedding '%s': the vector of '%s' has %d bytes, expected %d", name, w,
                          sqlite3_column_bytes(st, 2), dim * 4);
            break;
        }
        if (emb_add(e, w, wlen, blob, sqlite3_column_int64(st, 1)) != 0)
            bad = -1;
    }
    sqlite3_finalize(st);
    if (!bad && e->n == 0) /* saving writes the vectors with the row: a crafted file */
        bad = el_fail("embedding '%s' has no vectors", name);
    if (bad) {
        emb_free(e);
        return -1;
    }
    emb_finish(e);
    if (id)
        *id = eid;
    return 0;
}

int db_embedding_remove(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "DELETE FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return el_fail("database: %s", sqlite3_errmsg(db));
    if (sqlite3_changes(db) == 0)
        return el_fail("no embedding named '%s'", name);
    return 0;
}
