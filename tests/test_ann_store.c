/* tests/test_ann_store.c: the nearest-word index stored in lab.db
 * (db/index/ann_store.c, db/index/ann_lab.c): the parts and chunks round trip byte for
 * byte, recall of the loaded index against exact search, a missing table or
 * index is "no index", a flipped byte in a part is damage, a changed chunk
 * or changed vectors make the index stale, and writes to `vectors` drop it. */
#include "tests/fixtures.h"

#include <sqlite3.h>
#include <stdint.h>

#include "core/common.h"
#include "db/index/ann_lab.h"
#include "db/index/ann_store.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "experiments/bench/clustered.h"

enum { N = 3000, D = 24 };

typedef struct {
    char *dir;
    sqlite3 *db;
    Embedding e;
    int64_t eid;
    AnnIndex ix;
} Fixture;

/* A lab.db holding one clustered embedding "c" of N x D, and its index
 * built in memory (not stored). */
static void setup(Fixture *f) {
    memset(f, 0, sizeof *f);
    float *v = malloc((size_t)N * D * sizeof *v);
    assert_non_null(v);
    assert_int_equal(clustered_vectors(v, N, D, 60, 1.0f, 7, 8), 0);
    emb_init(&f->e, D);
    for (int i = 0; i < N; i++) {
        char w[16];
        snprintf(w, sizeof w, "w%d", i);
        assert_int_equal(emb_add(&f->e, w, strlen(w), v + (size_t)i * D, 0), 0);
    }
    emb_finish(&f->e);
    free(v);
    f->dir = fixture_dir();
    char path[4096];
    snprintf(path, sizeof path, "%s/lab.db", f->dir);
    assert_int_equal(lab_open(path, &f->db), 0);
    EmbeddingInfo info = {.params_json = "{}", .source = "test"};
    assert_int_equal(db_embedding_save(f->db, "c", &info, &f->e, &f->eid), 0);
    AnnParams p;
    ann_build_defaults(&p);
    char err[256];
    assert_int_equal(ann_build(f->e.unit, N, D, &p, &f->ix, err, sizeof err), ANN_OK);
}

static void teardown(Fixture *f) {
    ann_free(&f->ix);
    emb_free(&f->e);
    lab_close(f->db);
    free(f->dir);
}

static void save(Fixture *f, uint64_t part_bytes) {
    char err[256] = "";
    int rc = ann_store_save(f->db, f->eid, &f->ix, f->e.unit, part_bytes, err, sizeof err);
    if (rc != ANN_OK)
        fail_msg("ann_store_save: %s", err);
}

/* Loads index and vectors; returns the first failing code (ANN_OK if both load). */
static int load(Fixture *f, char *err, size_t cap) {
    uint8_t *image;
    size_t len;
    AnnIndex ix;
    float *unit = NULL;
    int rc = ann_store_load_index(f->db, f->eid, &image, &len, &ix, err, cap);
    if (rc == ANN_OK)
        rc = ann_store_load_vectors(f->db, f->eid, &ix, &unit, err, cap);
    free(image);
    free(unit);
    return rc;
}

static int64_t count(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t c = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return c;
}

/* Flips one byte of a blob in place (sqlite3_blob_write: the row stays). */
static void flip(sqlite3 *db, const char *table, const char *where, int at) {
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT id FROM %s WHERE %s", table, where);
    int64_t rowid = count(db, sql);
    sqlite3_blob *b;
    assert_int_equal(sqlite3_blob_open(db, "main", table, "bytes", rowid, 1, &b), SQLITE_OK);
    uint8_t x;
    assert_int_equal(sqlite3_blob_read(b, &x, 1, at), SQLITE_OK);
    x ^= 0x10;
    assert_int_equal(sqlite3_blob_write(b, &x, 1, at), SQLITE_OK);
    sqlite3_blob_close(b);
}

/* Small parts (many of each) read back into the same image and vectors,
 * and the loaded index reaches its measured recall against exact search. */
static void parts_round_trip(void **state) {
    (void)state;
    Fixture f;
    setup(&f);
    save(&f, 4096);
    assert_true(count(f.db, "SELECT count(*) FROM ann_index") > 10);
    assert_true(count(f.db, "SELECT count(*) FROM vector_chunks") > 10);
    uint8_t *image;
    size_t len;
    AnnIndex ix;
    float *unit;
    char err[256];
    assert_int_equal(ann_store_load_index(f.db, f.eid, &image, &len, &ix, err, sizeof err), ANN_OK);
    assert_int_equal(len, ann_bytes(&f.ix));
    assert_memory_equal(image, f.ix.image, len);
    assert_int_equal((uintptr_t)image % 64, 0);
    assert_int_equal(ann_store_load_vectors(f.db, f.eid, &ix, &unit, err, sizeof err), ANN_OK);
    assert_memory_equal(unit, f.e.unit, (size_t)N * D * sizeof *unit);
    long hits = 0;
    for (int qi = 0; qi < 300; qi++) {
        int32_t q = qi * 7;
        Scored truth[10], got[10];
        int t = vec_topk(f.e.unit, N, D, f.e.unit + (size_t)q * D, 10, &q, 1, truth);
        int g = ann_search(&ix, unit, unit + (size_t)q * D, 10, 0, 0, &q, 1, got);
        assert_int_equal(g, t);
        for (int a = 0; a < g; a++) {
            if (a > 0)
                assert_true(got[a - 1].score >= got[a].score);
            for (int b = 0; b < t; b++)
                hits += got[a].index == truth[b].index;
        }
    }
    assert_true(hits >= 0.99 * 3000);
    free(image);
    free(unit);
    /* Saved again with the default parts: replaced, one part each. */
    save(&f, 0);
    assert_int_equal(count(f.db, "SELECT count(*) FROM ann_index"), 1);
    assert_int_equal(load(&f, err, sizeof err), ANN_OK);
    teardown(&f);
}

/* No tables, and tables without this embedding's rows: "no index". */
static void missing_is_no_index(void **state) {
    (void)state;
    Fixture f;
    setup(&f);
    char err[256];
    assert_int_equal(load(&f, err, sizeof err), ANN_EMISSING);
    uint8_t *image;
    AnnIndex ix;
    assert_int_equal(ann_lab_open(f.db, f.eid, &f.e, &image, &ix), ANN_EMISSING);
    assert_int_equal(ann_store_tables(f.db, err, sizeof err), ANN_OK);
    assert_int_equal(load(&f, err, sizeof err), ANN_EMISSING);
    teardown(&f);
}

/* A flipped byte in any part of the image fails the checksum; a missing
 * or extra part is damage; a flipped byte in the vectors makes them other
 * vectors than the index's (stale). Checked to fail without each check. */
static void damage_is_detected(void **state) {
    (void)state;
    Fixture f;
    setup(&f);
    char err[256];
    for (int part = 0; part < 3; part++) {
        save(&f, 4096);
        char where[64];
        snprintf(where, sizeof where, "part = %d", part);
        flip(f.db, "ann_index", where, 100 + part);
        assert_int_equal(load(&f, err, sizeof err), ANN_ECORRUPT);
        assert_non_null(strstr(err, part == 0 ? "header" : "checksum"));
    }
    save(&f, 4096);
    assert_int_equal(sqlite3_exec(f.db, "DELETE FROM ann_index WHERE part = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(load(&f, err, sizeof err), ANN_ECORRUPT);
    save(&f, 4096);
    assert_int_equal(sqlite3_exec(f.db, "DELETE FROM vector_chunks WHERE chunk = 1", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(load(&f, err, sizeof err), ANN_ECORRUPT);
    save(&f, 4096);
    flip(f.db, "vector_chunks", "chunk = 3", 17);
    assert_int_equal(load(&f, err, sizeof err), ANN_ESTALE);
    assert_non_null(strstr(err, "stale"));
    /* A part after others that is no blob: the one handle read through,
     * moved onto it, fails, and the error names that part. */
    save(&f, 4096);
    assert_int_equal(sqlite3_exec(f.db, "UPDATE ann_index SET bytes = 5 WHERE part = 2", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(load(&f, err, sizeof err), ANN_ECORRUPT);
    assert_non_null(strstr(err, "index's part 2 is not a blob"));
    save(&f, 4096);
    assert_int_equal(sqlite3_exec(f.db, "UPDATE vector_chunks SET bytes = 1.5 WHERE chunk = 3", NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(load(&f, err, sizeof err), ANN_ECORRUPT);
    assert_non_null(strstr(err, "vector chunks's part 3 is not a blob"));
    teardown(&f);
}

/* The index against the embedding as loaded: other vectors are stale, and
 * ann_lab_open says so through el_error. */
static void other_vectors_are_stale(void **state) {
    (void)state;
    Fixture f;
    setup(&f);
    save(&f, 0);
    uint8_t *image;
    AnnIndex ix;
    assert_int_equal(ann_lab_open(f.db, f.eid, &f.e, &image, &ix), ANN_OK);
    free(image);
    f.e.unit[5] += 0.25f;
    assert_int_equal(ann_lab_open(f.db, f.eid, &f.e, &image, &ix), ANN_ESTALE);
    assert_null(image);
    assert_non_null(strstr(el_error(), "stale"));
    teardown(&f);
}

/* Any write to the embedding's vectors rows deletes its index and chunks
 * (the triggers); another embedding's stay. */
static void vector_writes_drop_the_index(void **state) {
    (void)state;
    static const char *const writes[] = {"UPDATE vectors SET vec = vec WHERE rank = 1 AND embedding_id = %lld",
                                         "DELETE FROM vectors WHERE rank = 2 AND embedding_id = %lld",
                                         "INSERT INTO vectors(embedding_id, word, rank, vec) SELECT embedding_id, "
                                         "'new', 99999, vec FROM vectors WHERE rank = 3 AND embedding_id = %lld"};
    for (int i = 0; i < 3; i++) {
        Fixture f;
        setup(&f);
        save(&f, 0);
        char sql[512], err[256];
        snprintf(sql, sizeof sql, writes[i], (long long)f.eid);
        assert_int_equal(sqlite3_exec(f.db, sql, NULL, NULL, NULL), SQLITE_OK);
        assert_int_equal(load(&f, err, sizeof err), ANN_EMISSING);
        assert_int_equal(count(f.db, "SELECT count(*) FROM vector_chunks"), 0);
        teardown(&f);
    }
}

/* Each trigger dropped, or one of its name with another body or on another
 * table, makes the index stale (ann_store_triggers_ok); ann_store_tables
 * puts it back as made, and the index loads again. */
static void each_trigger_is_checked(void **state) {
    (void)state;
    static const char *const names[] = {"ann_stale_on_insert", "ann_stale_on_update", "ann_stale_on_delete"};
    Fixture f;
    setup(&f);
    save(&f, 0);
    char err[256], sql[512];
    assert_int_equal(ann_store_triggers_ok(f.db), 1);
    assert_int_equal(sqlite3_exec(f.db, "CREATE TABLE other(x)", NULL, NULL, NULL), SQLITE_OK);
    for (int i = 0; i < 3; i++)
        for (int how = 0; how < 3; how++) {
            snprintf(sql, sizeof sql, "DROP TRIGGER %s;%s", names[i],
                     how == 0   ? ""
                     : how == 1 ? "CREATE TRIGGER %s AFTER DELETE ON vectors BEGIN SELECT 1; END"
                                : "CREATE TRIGGER %s AFTER DELETE ON other BEGIN DELETE FROM ann_index; END");
            char *full = sqlite3_mprintf(sql, names[i]);
            assert_int_equal(sqlite3_exec(f.db, full, NULL, NULL, NULL), SQLITE_OK);
            sqlite3_free(full);
            assert_int_equal(ann_store_triggers_ok(f.db), 0);
            assert_int_equal(load(&f, err, sizeof err), ANN_ESTALE);
            assert_non_null(strstr(err, "triggers"));
            assert_int_equal(ann_store_tables(f.db, err, sizeof err), ANN_OK);
            assert_int_equal(ann_store_triggers_ok(f.db), 1);
            assert_int_equal(load(&f, err, sizeof err), ANN_OK);
        }
    teardown(&f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_trigger_is_checked), cmocka_unit_test(parts_round_trip),
        cmocka_unit_test(missing_is_no_index),     cmocka_unit_test(damage_is_detected),
        cmocka_unit_test(other_vectors_are_stale), cmocka_unit_test(vector_writes_drop_the_index),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
