/* tests/test_sql_ext.c: the SQL extension (db/sql/) compiled in
 * and registered on a connection whose tables run the host's code while the
 * extension reads them: a nearest() that such code calls while another
 * nearest() fills the per-connection cache is refused (issue 18, item 1: it
 * freed the matrix the outer call was writing, a heap overflow). */
#include "tests/fixtures.h"

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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nested_nearest_refused),
    };
    return cmocka_run_group_tests_name("sql_ext", tests, NULL, NULL);
}
