/* db/embeddings.c: saving and loading word vectors. */
#include "db/embeddings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/memory.h"
#include "db/emb_rows.h"
#include "db/lab.h"
#include "db/tokenizers.h"
#include "embed/text/textio.h"
#include "embed/text/tok_norm.h"

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
    const Tokenizer *tok = info->tok ? info->tok : tokenizer_words();
    int64_t tok_id = 0;
    /* The subword setting goes into params, where loading looks for it. */
    int rc = db_tokenizer_store(db, tok, &tok_id);
    if (rc == 0)
        rc = lab_prepare(db,
                         "INSERT INTO embeddings(name, dim, params, corpus, tokens, vocab_size, seconds, "
                         "words_per_sec, source, tokenizer, tokenizer_id, query_form, provenance) VALUES (?1, ?2, CASE "
                         "WHEN ?10 IS NULL THEN json(?3) ELSE json_set(json(?3), '$.minn', ?10, '$.maxn', ?11, "
                         "'$.buckets', ?12) END, ?4, ?5, ?6, ?7, ?8, ?9, ?13, ?14, ?15, "
                         /* numbered before the named :pv_* take the next numbers */
                         LAB_PROVENANCE_JSON ")",
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
        if (e->minn > 0) {
            sqlite3_bind_int(st, 10, e->minn);
            sqlite3_bind_int(st, 11, e->maxn);
            sqlite3_bind_int64(st, 12, e->buckets);
        }
        sqlite3_bind_text(st, 13, tokenizer_spec(tok), -1, SQLITE_STATIC);
        if (tok_id > 0)
            sqlite3_bind_int64(st, 14, tok_id);
        /* tokenizer_register() checked that every kind's form has a name. */
        sqlite3_bind_text(st, 15, tok_query_form_name(tokenizer_query_form(tok)), -1, SQLITE_STATIC);
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
    sqlite3_finalize(vst);
    vst = NULL;
    if (rc == 0 && e->minn > 0)
        rc = lab_prepare(db, "INSERT INTO ngrams(embedding_id, bucket, vec) VALUES (?, ?, ?)", &vst);
    for (int64_t r = 0; rc == 0 && e->minn > 0 && r < e->nngrams; r++) {
        sqlite3_bind_int64(vst, 1, eid);
        sqlite3_bind_int64(vst, 2, e->ngram_bucket[r]);
        sqlite3_bind_blob(vst, 3, e->ngram_vec + (size_t)r * e->dim, e->dim * 4, SQLITE_STATIC);
        if (sqlite3_step(vst) != SQLITE_DONE)
            rc = el_fail("saving n-gram row %lld of '%s': %s", (long long)r, name, sqlite3_errmsg(db));
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

/* emb_rows_vectors' row: the word and its vector into the Embedding ctx. */
static int add_row(void *ctx, const char *word, int len, const void *vec, int64_t count) {
    return emb_add(ctx, word, (size_t)len, vec, count) != 0 ? -1 : 0;
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
    emb_init(e, dim);
    char err[512];
    int bad = emb_rows_vectors(db, eid, name, dim, 1, -1, add_row, e, err, sizeof err);
    if (bad && err[0])
        el_fail("%s", err);
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

/* Loads the n-gram rows of embedding eid into e (already loaded: its dim is
 * checked). Each size from the file is checked before it sizes anything. */
static int load_ngrams(sqlite3 *db, const char *name, int64_t eid, Embedding *e) {
    int minn = 0, maxn = 0;
    int64_t buckets = 0;
    char err[512];
    int has = emb_rows_setting(db, eid, name, &minn, &maxn, &buckets, err, sizeof err);
    if (has < 0)
        return el_fail("%s", err);
    int64_t count = emb_rows_ngram_count(db, eid, name, has ? buckets : -1, err, sizeof err);
    if (count < 0)
        return el_fail("%s", err);
    if (!has)
        return count == 0 ? 0
                          : el_fail("embedding '%s' has %lld n-gram rows but no subword setting (minn, maxn, buckets) "
                                    "in its params",
                                    name, (long long)count);
    char what[160];
    snprintf(what, sizeof what, "embedding '%s': %lld n-gram rows x %d dims", name, (long long)count, e->dim);
    if (mem_check(emb_subword_memory(count, e->dim), what) != 0)
        return -1;
    uint32_t *bucket = xmalloc(((size_t)count + 1) * sizeof *bucket);
    float *vec = xmalloc(((size_t)count * e->dim + 1) * sizeof *vec);
    if (emb_rows_ngrams(db, eid, name, e->dim, buckets, count, bucket, vec, err, sizeof err) != 0) {
        free(bucket);
        free(vec);
        return el_fail("%s", err);
    }
    if (emb_set_subwords(e, minn, maxn, buckets, count, bucket, vec) != 0)
        return el_fail("embedding '%s': %s", name, el_error());
    return 0;
}

int db_embedding_load_subwords(sqlite3 *db, const char *name, Embedding *e, int64_t *id) {
    int64_t eid;
    if (db_embedding_load(db, name, e, &eid) != 0)
        return -1;
    if (load_ngrams(db, name, eid, e) != 0) {
        emb_free(e);
        return -1;
    }
    if (id)
        *id = eid;
    return 0;
}

int db_embedding_load_ngrams(sqlite3 *db, int64_t id, Embedding *e, char *name, size_t namecap) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT name, dim FROM embeddings WHERE id = ?", &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return el_fail("no embedding with id %lld (removed?)", (long long)id);
    }
    snprintf(name, namecap, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    int64_t dim64 = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    /* From the file, so checked before it sizes anything. */
    if (dim64 < 1 || dim64 > INT32_MAX / 4)
        return el_fail("embedding '%s' has dimension %lld", name, (long long)dim64);
    emb_init(e, (int)dim64);
    if (load_ngrams(db, name, id, e) != 0) {
        emb_free(e);
        return -1;
    }
    if (e->minn == 0) {
        emb_free(e);
        return el_fail("embedding '%s' has no n-gram rows", name);
    }
    return 0;
}

/* The ids of the finished subword-input runs whose stored models embedding
 * id completes (experiments/run/subword_run.h), as "11, 12" in buf (empty:
 * none). 0, or -1 with a message. */
static int runs_needing(sqlite3 *db, int64_t id, char *buf, size_t cap) {
    sqlite3_stmt *st;
    buf[0] = 0;
    if (lab_prepare(db,
                    "SELECT r.id FROM runs r JOIN models m ON m.run_id = r.id WHERE r.embedding_id = ? AND "
                    "json_extract(r.config, '$.input') = 'embed' AND json_extract(r.config, '$.subwords') = 'on' "
                    "ORDER BY r.id",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    size_t used = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && used + 32 < cap)
        used += (size_t)snprintf(buf + used, cap - used, "%s%lld", used ? ", " : "", sqlite3_column_int64(st, 0));
    if (rc == SQLITE_ROW)
        snprintf(buf + used, cap - used, ", ...");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
}

int db_embedding_remove(sqlite3 *db, const char *name, char *dropped, size_t cap) {
    if (dropped && cap)
        dropped[0] = 0;
    if (lab_begin(db) != 0)
        return -1;
    sqlite3_stmt *st;
    int rc = lab_prepare(db, "SELECT id, tokenizer_id FROM embeddings WHERE name = ?", &st);
    int64_t id = 0, tok_id = 0;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            tok_id = sqlite3_column_int64(st, 1);
        } else {
            rc = el_fail("no embedding named '%s'", name);
        }
        sqlite3_finalize(st);
    }
    char runs[256];
    if (rc == 0 && (rc = runs_needing(db, id, runs, sizeof runs)) == 0 && runs[0]) {
        char args[256]; /* the ids as runs rm's arguments: "11, 12" is "11 12" */
        size_t k = 0;
        for (const char *c = runs; *c; c++)
            if (*c != ',')
                args[k++] = *c;
        args[k] = 0;
        rc = el_fail("embedding '%s' is still needed by subword-input run(s) %s: their stored models keep only the "
                     "n-gram rows training moved and take the rest from it. Remove those runs first "
                     "('embedlab runs rm %s')",
                     name, runs, args);
    }
    if (rc == 0)
        rc = lab_prepare(db, "DELETE FROM embeddings WHERE id = ?", &st);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("database: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    /* A learned tokenizer's model goes with the last embedding or run using it. */
    if (rc == 0 && tok_id > 0)
        rc = db_tokenizer_drop_unused(db, tok_id, dropped, cap);
    if (rc == 0)
        rc = lab_commit(db);
    if (rc != 0)
        lab_rollback(db);
    return rc;
}

int db_embedding_tokenizer(sqlite3 *db, const char *name, Tokenizer **out, int64_t *id) {
    *out = NULL;
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT tokenizer, tokenizer_id FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return el_fail("no embedding named '%s' (see 'embedlab embed list')", name);
    }
    char spec[256], what[128];
    snprintf(spec, sizeof spec, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    int64_t tid = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    snprintf(what, sizeof what, "embedding '%.64s'", name);
    if (db_tokenizer_open(db, spec, tid, what, out) != 0)
        return -1;
    if (id)
        *id = tokenizer_learned(*out) ? tid : 0;
    return 0;
}

int db_embedding_fits(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    int rc = lab_prepare(db,
                         "SELECT vocab_size, dim, (SELECT count(*) FROM main.ngrams g WHERE g.embedding_id = e.id) "
                         "FROM main.embeddings e WHERE name = ?",
                         &st);
    if (rc != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(st, 0), dim = sqlite3_column_int64(st, 1),
                ngrams = sqlite3_column_int64(st, 2);
        char what[300], rows[64] = "";
        if (ngrams > 0)
            snprintf(rows, sizeof rows, " and %lld n-gram rows", (long long)ngrams);
        snprintf(what, sizeof what, "embedding '%.200s': %lld words%s x %lld dims", name, (long long)n, rows,
                 (long long)dim);
        rc = mem_check(mem_add(emb_memory(n, dim), emb_subword_memory(ngrams, dim)), what);
    }
    sqlite3_finalize(st);
    return rc;
}

int db_query_form(sqlite3_stmt *st, int col, const char *name, TokQueryForm *form) {
    int type = sqlite3_column_type(st, col); /* before the conversion to text */
    const char *f = (const char *)sqlite3_column_text(st, col);
    size_t n = (size_t)sqlite3_column_bytes(st, col);
    if (type == SQLITE_TEXT && tok_query_form_parse(f, n, form) == 0)
        return 0;
    char shown[64];
    textio_quote(f ? f : "NULL", f ? n : 4, shown, sizeof shown);
    return el_fail("embedding '%s' records query form '%s', which is none of 'given', 'words' and 'unicode' (a "
                   "damaged or foreign lab.db)",
                   name, shown);
}
