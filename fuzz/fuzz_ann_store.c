/* fuzz/fuzz_ann_store.c: the stored nearest-word index read back through
 * SQL (db/index/ann_store.c in the SQL extension's nearest()) and through the
 * library (ann_store_load_index, ann_store_load_vectors), from a lab.db
 * whose stored index the input damages:
 *   byte 0 % 4   0: part (byte 1) of the image replaced by the rest
 *                1: bytes of the image xor'ed (3 bytes each: offset
 *                   (2 bytes) into the whole image, then the mask)
 *                2: the same over the vector chunks
 *                3: as 1, then the image re-sealed (ann_seal), so its
 *                   header and section checks see the damage
 * nearest('e', ...) then answers or is an SQL error, never a crash; an
 * answer has at most K rows, words of 'e', best first. Deterministic: every
 * input starts from the same database and a fresh extension. One connection
 * serves all inputs: each input's damage and reads run inside a savepoint
 * rolled back after, and the extension is registered again (a new nearest
 * module with an empty cache, as on a new connection), so the lab schema is
 * parsed once instead of once per input (most of an input's time was the
 * open, the copy of the image and that parse).
 * Seeds (fuzz/corpus/ann_store/): a few hand-written edits. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/sql/sqlite_ext.h"

#include "db/index/ann.h"
#include "db/index/ann_store.h"
#include "db/lab.h"

enum { N = 40, D = 4, PART = 256 };

static void must(int ok) {
    if (!ok)
        abort();
}

/* Forty words w0..w39 of 4 dims, their index in parts of 256 bytes. */
static const char *fixture = "INSERT INTO embeddings(id, name, dim) VALUES (1, 'e', 4);"
                             "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 39)"
                             "  INSERT INTO vectors(embedding_id, word, rank, vec)"
                             "  SELECT 1, 'w' || n, n + 1, vec_f32(json_array(cos(n), sin(n), n % 3 - 1, "
                             "1.0 / (n + 1))) FROM i;";

static unsigned char *image; /* the serialized database, made once */
static sqlite3_int64 image_size;

static void make_image(void) {
    sqlite3 *db;
    must(lab_open(":memory:", &db) == 0);
    must(sqlite3_embedlabsqlite_init(db, NULL, NULL) == SQLITE_OK && lab_exec(db, fixture) == 0);
    float unit[N * D];
    sqlite3_stmt *st;
    must(sqlite3_prepare_v2(db, "SELECT vec FROM vectors WHERE embedding_id = 1 ORDER BY rank", -1, &st, NULL) ==
         SQLITE_OK);
    for (int r = 0; r < N; r++) {
        must(sqlite3_step(st) == SQLITE_ROW);
        memcpy(unit + r * D, sqlite3_column_blob(st, 0), sizeof(float) * D);
        vec_normalize_f32(unit + r * D, D);
    }
    sqlite3_finalize(st);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    char err[256];
    must(ann_build(unit, N, D, &p, &ix, err, sizeof err) == ANN_OK);
    must(ann_store_save(db, 1, &ix, unit, PART, err, sizeof err) == ANN_OK);
    ann_free(&ix);
    image = sqlite3_serialize(db, "main", &image_size, 0);
    must(image != NULL);
    lab_close(db);
}

/* The connection every input uses: writable, over a copy of the image. */
static sqlite3 *shared_db(void) {
    static sqlite3 *db;
    if (db)
        return db;
    make_image();
    unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)image_size);
    must(copy != NULL);
    memcpy(copy, image, (size_t)image_size);
    must(sqlite3_open(":memory:", &db) == SQLITE_OK);
    must(sqlite3_deserialize(db, "main", copy, image_size, image_size,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) == SQLITE_OK);
    return db;
}

/* The connection as a fresh one would be: the extension registered anew
 * (its nearest module, and so its cache, replaced), inside a savepoint that
 * done() rolls back. */
static sqlite3 *make_db(void) {
    sqlite3 *db = shared_db();
    must(sqlite3_embedlabsqlite_init(db, NULL, NULL) == SQLITE_OK);
    must(sqlite3_exec(db, "SAVEPOINT input", NULL, NULL, NULL) == SQLITE_OK);
    return db;
}

/* Undoes everything the input wrote: the next input sees the image as made. */
static void done(sqlite3 *db) {
    must(sqlite3_exec(db, "ROLLBACK TO input; RELEASE input", NULL, NULL, NULL) == SQLITE_OK);
    must(sqlite3_get_autocommit(db));
}

/* The table's blobs for embedding 1, concatenated in order, into buf. */
static size_t read_all(sqlite3 *db, const char *sql, uint8_t *buf, size_t cap) {
    sqlite3_stmt *st;
    must(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    size_t len = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t b = (size_t)sqlite3_column_bytes(st, 0);
        must(len + b <= cap);
        memcpy(buf + len, sqlite3_column_blob(st, 0), b);
        len += b;
    }
    sqlite3_finalize(st);
    return len;
}

/* Writes buf[0..len) back over the table's parts, PART bytes each. */
static void write_all(sqlite3 *db, const char *table, const char *col, const uint8_t *buf, size_t len) {
    char sql[160];
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE embedding_id = 1", table);
    must(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    snprintf(sql, sizeof sql, "INSERT INTO %s(embedding_id, %s, bytes) VALUES (1, ?, ?)", table, col);
    sqlite3_stmt *st;
    must(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    for (size_t at = 0, part = 0; at < len; at += PART, part++) {
        sqlite3_bind_int64(st, 1, (sqlite3_int64)part);
        sqlite3_bind_blob(st, 2, buf + at, (int)(len - at < PART ? len - at : PART), SQLITE_STATIC);
        must(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

static void xor_edits(uint8_t *buf, size_t len, const uint8_t *data, size_t size) {
    for (size_t i = 0; len > 0 && i + 3 <= size; i += 3)
        buf[(data[i] | (size_t)data[i + 1] << 8) % len] ^= data[i + 2];
}

static void damage(sqlite3 *db, const uint8_t *data, size_t size) {
    static uint8_t buf[1 << 16];
    int mode = data[0] % 4;
    if (mode == 0) {
        sqlite3_stmt *st;
        must(sqlite3_prepare_v2(db, "UPDATE ann_index SET bytes = ? WHERE part = ?", -1, &st, NULL) == SQLITE_OK);
        sqlite3_bind_blob(st, 1, size > 2 ? data + 2 : (const uint8_t *)"", (int)(size > 2 ? size - 2 : 0),
                          SQLITE_STATIC);
        sqlite3_bind_int(st, 2, size > 1 ? data[1] % 8 : 0);
        must(sqlite3_step(st) == SQLITE_DONE);
        sqlite3_finalize(st);
        return;
    }
    int chunks = mode == 2;
    size_t len = read_all(
        db, chunks ? "SELECT bytes FROM vector_chunks ORDER BY chunk" : "SELECT bytes FROM ann_index ORDER BY part",
        buf, sizeof buf);
    xor_edits(buf, len, data + 1, size - 1);
    if (mode == 3)
        ann_seal(buf, len);
    write_all(db, chunks ? "vector_chunks" : "ann_index", chunks ? "chunk" : "part", buf, len);
}

/* Runs sql; when it answers, at most k rows, words of 'e', best first. */
static void query(sqlite3 *db, const char *sql, int k) {
    sqlite3_stmt *st;
    must(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK);
    int rows = 0, rc;
    double last = 2;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *w = (const char *)sqlite3_column_text(st, 0);
        double s = sqlite3_column_double(st, 1);
        must(w && w[0] == 'w' && atoi(w + 1) >= 0 && atoi(w + 1) < N);
        must(s <= last + 1e-9);
        last = s;
        rows++;
    }
    must(rows <= k);
    must(rc == SQLITE_DONE || rc == SQLITE_ERROR);
    sqlite3_finalize(st);
}

/* One thread: with FUZZ_JOBS targets on as many cores, OpenMP threads of
 * their own would fight over the cores and turn a fast input slow (a
 * 189 ms input of fuzz_ann timed out that way), and the same input
 * always runs the same way. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4096)
        return 0;
    sqlite3 *db = make_db();
    damage(db, data, size);
    query(db, "SELECT word, similarity FROM nearest('e', 'w3', 5)", 5);
    query(db, "SELECT word, similarity FROM nearest('e', vec_f32('[1, 0.5, -1, 0.25]'), 7, 'auto')", 7);
    query(db, "SELECT word, similarity FROM nearest('e', 'w39', 3, 'exact')", 3);
    /* The library's reader, as the command line uses it. */
    uint8_t *image;
    size_t len;
    AnnIndex ix;
    float *unit = NULL;
    char err[256];
    if (ann_store_load_index(db, 1, &image, &len, &ix, err, sizeof err) == ANN_OK) {
        if (ann_store_load_vectors(db, 1, &ix, &unit, err, sizeof err) == ANN_OK) {
            Scored got[5];
            int32_t ex = 3;
            int m = ann_search(&ix, unit, unit + 3 * D, 5, 0, 0, &ex, 1, got);
            must(m >= 0 && m <= 5);
            for (int i = 0; i < m; i++)
                must(got[i].index >= 0 && got[i].index < N && got[i].index != 3);
        } else
            must(err[0] != 0);
        free(unit);
        free(image);
    } else
        must(err[0] != 0);
    done(db);
    return 0;
}
