/* db/tokenizers.c: learned tokenizers' models in the lab notebook. */
#include "db/tokenizers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "db/lab.h"

const char *db_tokenizer_hash(const void *bytes, size_t n, char *buf) {
    snprintf(buf, 17, "%016" PRIx64, hash_bytes(bytes, n));
    return buf;
}

int db_tokenizer_store(sqlite3 *db, const Tokenizer *t, int64_t *id) {
    *id = 0;
    if (!tokenizer_learned(t))
        return 0;
    char *bytes, hash[17];
    size_t n;
    if (tokenizer_save(t, &bytes, &n) != 0)
        return -1;
    db_tokenizer_hash(bytes, n, hash);
    sqlite3_stmt *st;
    /* The same model stored twice is one row: insert if new, then read the id. */
    int rc = lab_prepare(db,
                         "INSERT INTO tokenizers(spec, model, hash) SELECT ?1, ?2, ?3 WHERE NOT EXISTS "
                         "(SELECT 1 FROM tokenizers WHERE spec = ?1 AND hash = ?3 AND model = ?2)",
                         &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, tokenizer_spec(t), -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 2, bytes, n, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("storing tokenizer %s: %s", tokenizer_spec(t), sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc == 0 && (rc = lab_prepare(db,
                                     "SELECT id FROM tokenizers WHERE spec = ?1 AND hash = ?3 AND model = ?2 "
                                     "ORDER BY id LIMIT 1",
                                     &st)) == 0) {
        sqlite3_bind_text(st, 1, tokenizer_spec(t), -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 2, bytes, n, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        else
            rc = el_fail("storing tokenizer %s: %s", tokenizer_spec(t), sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    free(bytes);
    return rc;
}

int db_tokenizer_open(sqlite3 *db, const char *spec, int64_t id, const char *what, Tokenizer **out) {
    *out = NULL;
    Tokenizer *t;
    if (tokenizer_new(spec, &t) != 0)
        return el_fail("%s: its tokenizer: %s", what, el_error());
    if (!tokenizer_learned(t)) {
        *out = t;
        return 0;
    }
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT spec, model, hash FROM tokenizers WHERE id = ?", &st) != 0) {
        tokenizer_free(t);
        return -1;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc =
            el_fail("%s: tokenizer %s has no stored model (tokenizers row %lld is missing)", what, spec, (long long)id);
    } else {
        const char *row_spec = (const char *)sqlite3_column_text(st, 0);
        const void *model = sqlite3_column_blob(st, 1);
        size_t n = (size_t)sqlite3_column_bytes(st, 1);
        const char *hash = (const char *)sqlite3_column_text(st, 2);
        char want[17];
        if (!row_spec || strcmp(row_spec, tokenizer_spec(t)) != 0)
            rc = el_fail("%s: tokenizers row %lld holds a model of '%s', not of %s", what, (long long)id,
                         row_spec ? row_spec : "(null)", tokenizer_spec(t));
        else if (!hash || strcmp(hash, db_tokenizer_hash(model ? model : "", n, want)) != 0)
            rc = el_fail("%s: tokenizers row %lld: the model's bytes do not match its hash (damaged)", what,
                         (long long)id);
        else if (tokenizer_load(t, model ? model : "", n) != 0)
            rc = el_fail("%s: tokenizers row %lld: %s", what, (long long)id, el_error());
    }
    sqlite3_finalize(st);
    if (rc != 0) {
        tokenizer_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int db_tokenizer_check_all(sqlite3 *db, const char *what) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT id, spec FROM tokenizers ORDER BY id", &st) != 0)
        return -1;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *spec = (const char *)sqlite3_column_text(st, 1);
        Tokenizer *t;
        rc = db_tokenizer_open(db, spec ? spec : "(null)", sqlite3_column_int64(st, 0), what, &t);
        tokenizer_free(t);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = el_fail("%s: %s", what, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int db_tokenizer_attach_run(sqlite3 *db, int64_t run, int64_t id) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "UPDATE runs SET tokenizer_id = ? WHERE id = ?", &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, run);
    int rc = sqlite3_step(st) == SQLITE_DONE
                 ? 0
                 : el_fail("recording run %lld's tokenizer: %s", (long long)run, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int db_tokenizer_drop_unused(sqlite3 *db, int64_t id, char *spec, size_t cap) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "DELETE FROM tokenizers WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM embeddings WHERE "
                    "tokenizer_id = ?1) AND NOT EXISTS (SELECT 1 FROM runs WHERE tokenizer_id = ?1) RETURNING spec",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && spec)
        snprintf(spec, cap, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
    if (rc == SQLITE_ROW)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
}
