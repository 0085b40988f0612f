/* tests/test_lab.c: creating, reopening, migrating and refusing lab databases. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"

static void create_and_reopen(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    sqlite3 *db;
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(fixture_db_int(db, "PRAGMA user_version"), LAB_SCHEMA_VERSION);
    assert_int_equal(fixture_db_int(db, "PRAGMA application_id"), LAB_APPLICATION_ID);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                        "('embeddings','vectors','runs','epochs','results','sweeps','models')"),
                     7);
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(name, dim) VALUES ('e', 4)"), 0);
    assert_int_equal(lab_exec(db, "INSERT INTO runs(kind, config) VALUES ('classifier', '{\"cell\":\"lstm\"}')"), 0);
    lab_close(db);
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(fixture_db_int(db, "SELECT dim FROM embeddings WHERE name = 'e'"), 4);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM runs WHERE json_extract(config, '$.cell') = 'lstm' "
                                        "AND status = 'running'"),
                     1);
    /* Constraints hold: bad JSON, bad status, duplicate names. */
    assert_int_equal(lab_exec(db, "INSERT INTO runs(kind, config) VALUES ('classifier', 'not json')"), -1);
    assert_int_equal(lab_exec(db, "UPDATE runs SET status = 'weird'"), -1);
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(name, dim) VALUES ('e', 8)"), -1);
    /* Deleting an embedding deletes its vectors. */
    assert_int_equal(lab_exec(db, "INSERT INTO vectors(embedding_id, word, vec) SELECT id, 'w', zeroblob(16) FROM "
                                  "embeddings WHERE name = 'e'"),
                     0);
    assert_int_equal(lab_exec(db, "DELETE FROM embeddings WHERE name = 'e'"), 0);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM vectors"), 0);
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

static void migrate_from_version_1(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/old.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(lab_migrate_to(db, 1), 0);
    assert_int_equal(fixture_db_int(db, "PRAGMA user_version"), 1);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'runs'"), 0);
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(name, dim) VALUES ('old', 16)"), 0);
    sqlite3_close(db);
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(fixture_db_int(db, "PRAGMA user_version"), LAB_SCHEMA_VERSION);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'runs'"), 1);
    assert_int_equal(fixture_db_int(db, "SELECT dim FROM embeddings WHERE name = 'old'"), 16);
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

/* A version 9 file's embeddings get the query form their tokenizer's kind
 * declares (schema 10: embeddings.query_form), a spec of no kind the word
 * as given; an embedding saved now records its tokenizer's. */
static void migrate_query_forms(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/v9.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(lab_migrate_to(db, 9), 0);
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(name, dim, tokenizer) VALUES ('w', 4, 'words'), "
                                  "('u', 4, 'unicode'), ('c', 4, 'chars'), ('s', 4, 'spm:bpe:60'), "
                                  "('x', 4, 'spmx'); INSERT INTO embeddings(name, dim) VALUES ('d', 4)"),
                     0);
    sqlite3_close(db);
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(fixture_db_int(db, "PRAGMA user_version"), LAB_SCHEMA_VERSION);
    assert_int_equal(fixture_db_int(db, "SELECT group_concat(name || '=' || query_form, ' ') = "
                                        "'w=words u=unicode c=unicode s=unicode x=given d=words' FROM "
                                        "(SELECT * FROM embeddings ORDER BY id)"),
                     1);
    Tokenizer *tok;
    assert_int_equal(tokenizer_new("chars", &tok), 0);
    Embedding e;
    emb_init(&e, 4);
    const float v[4] = {1, 0, 0, 0};
    assert_true(emb_add(&e, "a", 1, v, 1) >= 0);
    EmbeddingInfo info = {.tok = tok};
    int64_t id;
    assert_int_equal(db_embedding_save(db, "new", &info, &e, &id), 0);
    assert_int_equal(fixture_db_int(db, "SELECT query_form = 'unicode' FROM embeddings WHERE name = 'new'"), 1);
    tokenizer_free(tok);
    emb_free(&e);
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

/* A version 3 file with runs, epochs and results opens as the current
 * version: rows, ids and the id counter kept, nothing cascaded away by the
 * rebuild of runs, and the new status 'lost' allowed. */
static void migrate_from_version_3(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/v3.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(lab_migrate_to(db, 3), 0);
    assert_int_equal(lab_exec(db, "PRAGMA foreign_keys = ON; "
                                  "INSERT INTO sweeps(config) VALUES (json_object('spec', 'x'));"
                                  "INSERT INTO runs(id, sweep_id, sweep_key, kind, config, status, host, pid) VALUES "
                                  "(1, 1, 'seed=1', 'classifier', '{}', 'finished', 'h', 7),"
                                  "(2, 1, 'seed=2', 'classifier', '{}', 'running', 'h', 8),"
                                  "(9, NULL, NULL, 'classifier', '{}', 'failed', 'h', 9);"
                                  "DELETE FROM runs WHERE id = 9;"
                                  "INSERT INTO epochs(run_id, epoch, val_acc) VALUES (1, 1, 0.5), (1, 2, 0.6);"
                                  "INSERT INTO results(run_id, test_acc) VALUES (1, 0.75);"
                                  "INSERT INTO models(run_id, format, params) VALUES (1, 'float32-le', x'00');"),
                     0);
    sqlite3_close(db);
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(fixture_db_int(db, "PRAGMA user_version"), LAB_SCHEMA_VERSION);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM runs"), 2);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM epochs WHERE run_id = 1"), 2);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM models WHERE run_id = 1"), 1);
    assert_int_equal(fixture_db_int(db, "SELECT round(test_acc * 100) FROM run_results WHERE run_id = 1"), 75);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    assert_int_equal(fixture_db_int(db, "SELECT count(*) FROM runs WHERE sweep_id = 1 AND sweep_key = 'seed=2'"), 1);
    /* The counter kept: the deleted run's id 9 is not given again. */
    assert_int_equal(lab_exec(db, "INSERT INTO runs(kind, config) VALUES ('classifier', '{}')"), 0);
    assert_int_equal(fixture_db_int(db, "SELECT max(id) FROM runs"), 10);
    assert_int_equal(lab_exec(db, "UPDATE runs SET status = 'lost' WHERE id = 2"), 0);
    /* Foreign keys are on again after the migration. */
    assert_int_equal(fixture_db_int(db, "PRAGMA foreign_keys"), 1);
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

/* Opens path expecting a refusal whose message contains msg, and checks the
 * file is byte-for-byte what it was. */
static void expect_refused(const char *path, const char *msg) {
    size_t before_len, after_len;
    char *before = fixture_read(path, &before_len);
    sqlite3 *db = (sqlite3 *)1;
    assert_int_equal(lab_open(path, &db), -1);
    assert_null(db);
    if (!strstr(el_error(), msg))
        fail_msg("expected '%s' in '%s'", msg, el_error());
    char *after = fixture_read(path, &after_len);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);
}

static void refuse_foreign_files(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    /* Not SQLite at all. */
    char *text = fixture_text(dir, "notes.txt", "These are my notes, not a database.\n");
    expect_refused(text, "is not an SQLite database");
    /* Someone else's SQLite database. */
    snprintf(path, sizeof path, "%s/other.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(
        lab_exec(db, "CREATE TABLE invoices(id INTEGER, total REAL); INSERT INTO invoices VALUES (1, 9.5)"), 0);
    sqlite3_close(db);
    expect_refused(path, "not an embedlab lab notebook");
    /* A lab database from a newer embedlab. */
    snprintf(path, sizeof path, "%s/newer.db", dir);
    assert_int_equal(lab_open(path, &db), 0);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", LAB_SCHEMA_VERSION + 1);
    assert_int_equal(lab_exec(db, sql), 0);
    assert_int_equal(lab_exec(db, "PRAGMA journal_mode = DELETE"), 0);
    lab_close(db);
    expect_refused(path, "newer than this embedlab understands");
    /* A lab database with a negative version (crafted: no embedlab writes one). */
    snprintf(path, sizeof path, "%s/negative.db", dir);
    assert_int_equal(lab_open(path, &db), 0);
    assert_int_equal(lab_exec(db, "PRAGMA user_version = -5"), 0);
    assert_int_equal(lab_exec(db, "PRAGMA journal_mode = DELETE"), 0);
    lab_close(db);
    expect_refused(path, "has lab schema version -5");
    free(text);
    fixture_rmtree(dir);
    free(dir);
}

/* A crafted file's embeddings (found by fuzz/fuzz_labdb.c): the dimension is
 * checked before it is multiplied (2^30 * 4 overflowed an int), and one
 * without vectors is refused. */
static void crafted_dimension(void **state) {
    (void)state;
    char *dir = fixture_dir();
    sqlite3 *db;
    fixture_lab(dir, &db);
    assert_int_equal(lab_exec(db,
                              "INSERT INTO embeddings(name, dim) VALUES ('huge', 1073741824);"
                              "INSERT INTO vectors(embedding_id, word, rank, vec) VALUES (1, 'w', 1, zeroblob(16))"),
                     0);
    Embedding e;
    assert_int_equal(db_embedding_load(db, "huge", &e, NULL), -1);
    if (!strstr(el_error(), "has dimension 1073741824"))
        fail_msg("unexpected error '%s'", el_error());
    /* An embedding row without vectors (emb_finish copied from NULL). */
    assert_int_equal(lab_exec(db, "INSERT INTO embeddings(name, dim) VALUES ('empty', 4)"), 0);
    assert_int_equal(db_embedding_load(db, "empty", &e, NULL), -1);
    if (!strstr(el_error(), "has no vectors"))
        fail_msg("unexpected error '%s'", el_error());
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

static void path_choice(void **state) {
    (void)state;
    unsetenv("EMBEDLAB_DB");
    assert_string_equal(lab_path(NULL), "lab.db");
    setenv("EMBEDLAB_DB", "/tmp/x.db", 1);
    assert_string_equal(lab_path(NULL), "/tmp/x.db");
    assert_string_equal(lab_path("mine.db"), "mine.db");
    unsetenv("EMBEDLAB_DB");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_and_reopen),      cmocka_unit_test(migrate_from_version_1),
        cmocka_unit_test(migrate_from_version_3), cmocka_unit_test(refuse_foreign_files),
        cmocka_unit_test(crafted_dimension),      cmocka_unit_test(path_choice),
        cmocka_unit_test(migrate_query_forms),
    };
    return cmocka_run_group_tests_name("lab", tests, NULL, NULL);
}
