/* tests/test_sql_ext.c: the SQL extension (db/sql/) compiled in
 * and registered on a connection whose tables run the host's code while the
 * extension reads them: a nearest() that such code calls while another
 * nearest() fills the per-connection cache is refused (issue 18, item 1: it
 * freed the matrix the outer call was writing, a heap overflow). And the
 * statements nearest() keeps prepared per connection (db/sql/nearest_cache.h)
 * answer for the schema and rows as they are now: after a table is renamed,
 * replaced or made a view, an ATTACH, a DETACH, a TEMP view, an authorizer,
 * an index built or dropped, an embedding replaced, another connection's
 * write; and sqlite3_close still closes. */
#include "tests/fixtures.h"

#include "db/index/ann.h"
#include "db/index/ann_store.h"

/* The extension compiled in (build/libembedlab_sql.a, SQLITE_CORE: its
 * SQLite calls go straight to the linked SQLite), as in fuzz/fuzz_sql.c. */
#include "db/sql/sqlite_ext.h"

typedef struct {
    sqlite3 *db;
    int depth, calls, inner_rc;
    char inner_err[512];
} Reenter;

/* A collation that, the first time it compares, runs nearest() on the
 * same connection: host code (a collation, an application function in a
 * generated column) that the extension's own statements reach. */
static int reenter_cmp(void *arg, int n1, const void *a, int n2, const void *b) {
    Reenter *r = arg;
    if (r->depth == 0 && r->calls++ == 0) {
        r->depth++;
        sqlite3_stmt *st;
        r->inner_rc = sqlite3_prepare_v2(r->db, "SELECT count(*) FROM nearest('e1', 'a', 2)", -1, &st, NULL);
        if (r->inner_rc == SQLITE_OK) {
            while ((r->inner_rc = sqlite3_step(st)) == SQLITE_ROW)
                ;
            snprintf(r->inner_err, sizeof r->inner_err, "%s", sqlite3_errmsg(r->db));
        }
        sqlite3_finalize(st);
        r->depth--;
    }
    int c = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));
    return c ? c : n1 - n2;
}

static void nested_nearest_refused(void **state) {
    (void)state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    Reenter r = {.db = db};
    assert_int_equal(sqlite3_create_collation(db, "reenter", SQLITE_UTF8, &r, reenter_cmp), SQLITE_OK);
    assert_int_equal(sqlite3_embedlabsqlite_init(db, NULL, NULL), SQLITE_OK);
    /* No ranks: the rows are read ORDER BY rank, word, so the words are
     * compared (through the collation) while the cache is being filled. */
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE embeddings(id INTEGER PRIMARY KEY, name TEXT, dim INTEGER);"
                                  "CREATE TABLE vectors(embedding_id INTEGER, word TEXT COLLATE reenter, rank "
                                  "INTEGER, vec BLOB);"
                                  "INSERT INTO embeddings VALUES (1, 'e1', 2), (2, 'e2', 2);"
                                  "INSERT INTO vectors VALUES (1, 'a', NULL, vec_f32('[1, 0]')),"
                                  "  (1, 'b', NULL, vec_f32('[0, 1]')), (1, 'c', NULL, vec_f32('[1, 1]')),"
                                  "  (2, 'p', NULL, vec_f32('[1, 0]')), (2, 'q', NULL, vec_f32('[1, 0.1]'));",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    r.calls = 0;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT word FROM nearest('e2', 'p', 1)", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "q");
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    assert_true(r.calls > 0);
    assert_int_equal(r.inner_rc, SQLITE_ERROR);
    assert_non_null(strstr(r.inner_err, "a nested nearest() is refused"));
    /* Nothing is left busy: the same call works at the top level. */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(word) FROM nearest('e1', 'a', 1)", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "c");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The one value sql gives, as text; or "error: " and SQLite's message. */
static void assert_answer(sqlite3 *db, const char *sql, const char *want) {
    sqlite3_stmt *st;
    char got[1024];
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(got, sizeof got, "%s", t ? t : "(null)");
    } else
        snprintf(got, sizeof got, "error: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (strncmp(want, "error: ", 7) == 0 && strncmp(got, "error: ", 7) == 0 && strstr(got, want + 7))
        return; /* an error that says want's words */
    assert_string_equal(got, want);
}

static void exec_ok(sqlite3 *db, const char *sql) {
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
}

/* Denies reading main.vectors: the statements prepared before must not
 * read past it. */
static int deny_vectors(void *ctx, int action, const char *table, const char *col, const char *db, const char *via) {
    (void)ctx, (void)col, (void)via;
    return action == SQLITE_READ && table && strcmp(table, "vectors") == 0 && db && strcmp(db, "main") == 0
               ? SQLITE_DENY
               : SQLITE_OK;
}

/* An in-memory lab with the extension and embedding 'e1': a = [1, 0],
 * b = [0, 1], c = [1, 1]. */
static sqlite3 *abc_lab(void) {
    sqlite3 *db;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_embedlabsqlite_init(db, NULL, NULL), SQLITE_OK);
    exec_ok(db, "CREATE TABLE embeddings(id INTEGER PRIMARY KEY, name TEXT, dim INTEGER);"
                "CREATE TABLE vectors(embedding_id INTEGER, word TEXT, rank INTEGER, vec BLOB);"
                "INSERT INTO embeddings VALUES (1, 'e1', 2);"
                "INSERT INTO vectors VALUES (1, 'a', 1, vec_f32('[1, 0]')), (1, 'b', 2, vec_f32('[0, 1]')),"
                "  (1, 'c', 3, vec_f32('[1, 1]'));");
    return db;
}

static void kept_statements_follow_the_schema(void **state) {
    (void)state;
    sqlite3 *db = abc_lab();
    const char *q = "SELECT group_concat(word) FROM nearest('e1', 'a', 1)";
    assert_answer(db, q, "c");
    /* Another schema's tables of the same names, then gone: main's answer. */
    exec_ok(db, "ATTACH ':memory:' AS aux; CREATE TABLE aux.vectors(embedding_id, word, rank, vec);"
                "INSERT INTO aux.vectors VALUES (1, 'a', 1, vec_f32('[1, 0]')), (1, 'x', 2, vec_f32('[1, 0.1]'));"
                "CREATE TABLE aux.embeddings(id, name, dim); INSERT INTO aux.embeddings VALUES (1, 'e1', 2);");
    assert_answer(db, q, "c");
    exec_ok(db, "DETACH aux");
    assert_answer(db, q, "c");
    exec_ok(db, "CREATE TEMP VIEW vectors AS SELECT 1 AS embedding_id, 'zz' AS word, 1 AS rank, "
                "vec_f32('[1, 0]') AS vec");
    assert_answer(db, q, "c");
    exec_ok(db, "DROP VIEW temp.vectors");
    /* The table renamed and a new one in its place: its rows. */
    exec_ok(db, "ALTER TABLE vectors RENAME TO vectors_old;"
                "CREATE TABLE vectors(embedding_id INTEGER, word TEXT, rank INTEGER, vec BLOB);"
                "INSERT INTO vectors VALUES (1, 'a', 1, vec_f32('[1, 0]')), (1, 'x', 2, vec_f32('[0.9, 0.1]')),"
                "  (1, 'y', 3, vec_f32('[0, 1]'));");
    assert_answer(db, q, "x");
    assert_answer(db, "SELECT group_concat(word) FROM nearest('e1', 'a', 1, 'exact')", "x");
    /* A view in its place is refused, as on a connection that never searched. */
    exec_ok(db, "DROP TABLE vectors; CREATE VIEW vectors AS SELECT * FROM vectors_old");
    assert_answer(db, q, "error: no embeddings and vectors tables");
    exec_ok(db, "DROP VIEW vectors; ALTER TABLE vectors_old RENAME TO vectors");
    assert_answer(db, q, "c");
    /* An authorizer set after: the kept statements are checked again. */
    assert_int_equal(sqlite3_set_authorizer(db, deny_vectors, NULL), SQLITE_OK);
    assert_answer(db, q, "error: 'a' is not in embedding 'e1'");
    assert_int_equal(sqlite3_set_authorizer(db, NULL, NULL), SQLITE_OK);
    assert_answer(db, q, "c");
    /* The kept statements go when the table disconnects, before the check
     * for statements left (else SQLITE_BUSY, and the connection stays). */
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The extension registered again on a connection that searched (as
 * fuzz/fuzz_ann_store.c does for every input): SQLite destroys the old
 * module before it disconnects the old table, whose statements the cache
 * keeps (under make sanitize, a cache freed with the module was a
 * use-after-free there). */
static void registered_again(void **state) {
    (void)state;
    sqlite3 *db = abc_lab();
    const char *q = "SELECT group_concat(word) FROM nearest('e1', 'a', 2)";
    for (int i = 0; i < 3; i++) {
        assert_answer(db, q, "c,b");
        assert_int_equal(sqlite3_embedlabsqlite_init(db, NULL, NULL), SQLITE_OK);
        exec_ok(db, "SELECT 1"); /* SQLite disconnects the old table here */
    }
    assert_answer(db, q, "c,b");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* Unit vectors a, b, c of 2 dims as embedding 1's index (ranks 1..3). */
static void save_index(sqlite3 *db, const float *unit) {
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    char err[256];
    assert_int_equal(ann_build(unit, 3, 2, &p, &ix, err, sizeof err), ANN_OK);
    assert_int_equal(ann_store_save(db, 1, &ix, unit, 0, err, sizeof err), ANN_OK);
    ann_free(&ix);
}

static void kept_statements_follow_the_rows(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4200];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    sqlite3 *db, *other;
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(sqlite3_embedlabsqlite_init(db, NULL, NULL), SQLITE_OK);
    exec_ok(db, "INSERT INTO embeddings(id, name, dim) VALUES (1, 'e', 2);"
                "INSERT INTO vectors(embedding_id, word, rank, vec) VALUES (1, 'a', 1, vec_f32('[1, 0]')),"
                "  (1, 'b', 2, vec_f32('[0.8, 0.6]')), (1, 'c', 3, vec_f32('[0, 1]'));");
    const char *q = "SELECT group_concat(word) FROM nearest('e', 'a', 2)";
    assert_answer(db, q, "b,c");
    /* An index built between two calls: the words by rank from it. */
    const float unit[] = {1, 0, 0.8f, 0.6f, 0, 1};
    save_index(db, unit);
    assert_answer(db, q, "b,c");
    assert_answer(db, "SELECT count(*) FROM ann_index", "1");
    /* A word renamed: the triggers drop the index, and the rows say it. */
    exec_ok(db, "UPDATE vectors SET word = 'z' WHERE word = 'b'");
    assert_answer(db, "SELECT count(*) FROM ann_index", "0");
    assert_answer(db, q, "z,c");
    /* The embedding replaced (a new id): its words. */
    exec_ok(db, "DELETE FROM embeddings WHERE name = 'e';"
                "INSERT INTO embeddings(id, name, dim) VALUES (2, 'e', 2);"
                "INSERT INTO vectors(embedding_id, word, rank, vec) VALUES (2, 'a', 1, vec_f32('[1, 0]')),"
                "  (2, 'q', 2, vec_f32('[0.9, 0.1]')), (2, 'r', 3, vec_f32('[0, 1]'));");
    assert_answer(db, q, "q,r");
    /* Another connection's write (data_version): q now points away. */
    assert_int_equal(lab_open(path, &other), 0);
    exec_ok(other, "UPDATE vectors SET vec = x'000080bf00000000' WHERE word = 'q'"); /* [-1, 0] */
    assert_answer(db, q, "r,q");
    lab_close(other);
    /* A write rolled back after a call read it: the next call reads the rows
     * as they are again (neither data_version nor total_changes goes back). */
    exec_ok(db, "BEGIN; UPDATE vectors SET vec = vec_f32('[0, 1]') WHERE word = 'r'");
    assert_answer(db, q, "r,q");
    exec_ok(db, "ROLLBACK");
    assert_answer(db, q, "r,q");
    exec_ok(db, "BEGIN; UPDATE vectors SET vec = vec_f32('[1, 0]') WHERE word = 'q'");
    assert_answer(db, q, "q,r");
    exec_ok(db, "ROLLBACK");
    assert_answer(db, q, "r,q");
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_nearest_refused),
        cmocka_unit_test(kept_statements_follow_the_schema),
        cmocka_unit_test(kept_statements_follow_the_rows),
        cmocka_unit_test(registered_again),
    };
    return cmocka_run_group_tests_name("sql_ext", tests, NULL, NULL);
}
