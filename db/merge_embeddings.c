/* db/merge_embeddings.c: which embedding of a file being merged is which of
 * the lab's, by content. A name alone would lie: two shards that each trained
 * "w16" (word2vec on several threads is not deterministic), or two labs that
 * used the name for different vectors, would have one's runs re-pointed to
 * the other's vectors. */
#include <stdio.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "core/names.h"
#include "db/lab.h"
#include "db/merge.h"

/* Folds the hash of column col of the current row (a blob or text; NULL
 * counts as empty) into h. */
static uint64_t mix_column(uint64_t h, sqlite3_stmt *st, int col) {
    const void *p = sqlite3_column_blob(st, col);
    int n = sqlite3_column_bytes(st, col);
    return hash_mix(h, hash_bytes(p ? p : "", p ? (size_t)n : 0));
}

/* The content of embedding id in schema ("main" or "src"): its dimensions,
 * its vectors' words and blobs in rank order (words break ties), their
 * count, and its n-gram rows in bucket order, into *out. 0, or -1 with a
 * message. */
static int content_hash(sqlite3 *db, const char *schema, int64_t id, int64_t dim, uint64_t *out) {
    static const char *const sql[2] = {
        "SELECT word, vec FROM %s.vectors WHERE embedding_id = ?1 ORDER BY rank, word",
        "SELECT bucket, vec FROM %s.ngrams WHERE embedding_id = ?1 ORDER BY bucket",
    };
    uint64_t h = hash_mix(0x656d62656464696eull, (uint64_t)dim);
    for (int part = 0; part < 2; part++) {
        char q[128];
        snprintf(q, sizeof q, sql[part], schema);
        sqlite3_stmt *st;
        if (lab_prepare(db, q, &st) != 0)
            return -1;
        sqlite3_bind_int64(st, 1, id);
        uint64_t rows = 0;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            h = part == 0 ? mix_column(h, st, 0) : hash_mix(h, (uint64_t)sqlite3_column_int64(st, 0));
            h = mix_column(h, st, 1);
            rows++;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return el_fail("cannot read the vectors of embedding %lld: %s", (long long)id, sqlite3_errmsg(db));
        h = hash_mix(h, rows);
    }
    *out = h;
    return 0;
}

/* 1 if name is taken in the lab or already planned for a copy, 0 if free, -1 on error. */
static int name_taken(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT EXISTS (SELECT 1 FROM main.embeddings WHERE name = ?1)"
                    " OR EXISTS (SELECT 1 FROM temp.emb_plan WHERE name = ?1)",
                    &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int r = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : el_fail("%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return r;
}

/* The lab's embedding (id into *dst) with the same content as the source's
 * one, among those named name or a copy of it (name.N): 1 found, 0 not, -1. */
static int find_same(sqlite3 *db, const char *name, int64_t dim, uint64_t h, int64_t *dst) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT id FROM main.embeddings WHERE dim = ?2 AND (name = ?1 OR (substr(name, 1, length(?1) + 1) "
                    "= ?1 || '.' AND substr(name, length(?1) + 2) GLOB '[0-9]*' AND NOT substr(name, length(?1) + 2) "
                    "GLOB '*[^0-9]*')) ORDER BY name != ?1, id",
                    &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, dim);
    int found = 0, rc;
    while (found == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t mine;
        int64_t id = sqlite3_column_int64(st, 0);
        if (content_hash(db, "main", id, dim, &mine) != 0)
            found = -1;
        else if (mine == h)
            found = 1, *dst = id;
    }
    if (found == 0 && rc != SQLITE_DONE)
        found = el_fail("%s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return found;
}

/* A free name for a copy of name: name.2, name.3, ... (the base cut so that
 * it stays within NAME_MAX_LEN) into out. */
static int copy_name(sqlite3 *db, const char *name, char *out, size_t size) {
    for (int n = 2; n < 1000000; n++) {
        char suffix[16];
        int sl = snprintf(suffix, sizeof suffix, ".%d", n);
        int keep = (int)strlen(name);
        if (keep + sl > NAME_MAX_LEN)
            keep = NAME_MAX_LEN - sl;
        snprintf(out, size, "%.*s%s", keep, name, suffix);
        int t = name_taken(db, out);
        if (t <= 0)
            return t;
    }
    return el_fail("no free name for a copy of embedding '%s'", name);
}

/* Plans one source embedding: the same content in the lab, its own name, or a copy's. */
static int plan_one(sqlite3 *db, sqlite3_stmt *ins, int64_t id, const char *name, int64_t dim, const char *path,
                    char *notes, size_t size) {
    uint64_t h;
    int64_t dst = 0;
    if (content_hash(db, "src", id, dim, &h) != 0)
        return -1;
    int same = find_same(db, name, dim, h, &dst);
    if (same < 0)
        return -1;
    char as[NAME_MAX_LEN + 16];
    snprintf(as, sizeof as, "%s", name);
    int taken = same ? 0 : name_taken(db, name);
    if (taken < 0 || (taken && copy_name(db, name, as, sizeof as) != 0))
        return -1;
    if (taken) {
        size_t used = strlen(notes);
        snprintf(notes + used, size - used,
                 "embedding '%s' of %s (%lld dims) is not the lab's '%s' (other vectors): copied as '%s', which its "
                 "runs now use\n",
                 name, path, (long long)dim, name, as);
    }
    sqlite3_reset(ins);
    sqlite3_bind_int64(ins, 1, id);
    if (same)
        sqlite3_bind_int64(ins, 2, dst);
    else
        sqlite3_bind_null(ins, 2);
    sqlite3_bind_text(ins, 3, as, -1, SQLITE_TRANSIENT);
    return sqlite3_step(ins) == SQLITE_DONE ? 0 : el_fail("%s", sqlite3_errmsg(db));
}

int merge_plan_embeddings(sqlite3 *db, const char *path, char *notes, size_t size) {
    if (size > 0)
        notes[0] = 0;
    if (lab_exec(db, "CREATE TEMP TABLE emb_plan(src INTEGER PRIMARY KEY, dst INTEGER, name TEXT)") != 0)
        return -1;
    sqlite3_stmt *st, *ins;
    if (lab_prepare(db, "SELECT id, name, dim FROM src.embeddings ORDER BY id", &st) != 0)
        return -1;
    if (lab_prepare(db, "INSERT INTO temp.emb_plan VALUES (?1, ?2, ?3)", &ins) != 0) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 1);
        if (!name) /* the schema says NOT NULL; a hostile file need not */
            rc = el_fail("an embedding without a name");
        else
            rc = plan_one(db, ins, sqlite3_column_int64(st, 0), name, sqlite3_column_int64(st, 2), path, notes, size);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = el_fail("%s", sqlite3_errmsg(db));
    sqlite3_finalize(ins);
    sqlite3_finalize(st);
    return rc;
}
