/* fuzz/fuzz_sql.c: libFuzzer target for the SQL extension (db/sql/sqlite_ext.c)
 * compiled into the program and registered on an in-memory lab notebook.
 *
 * The input is up to eight lines (fields), the first seven used as SQL
 * parameters:
 *   ?1 NAME1  ?2 QUERY1  ?3 K1  ?4 NAME2  ?5 QUERY2  ?6 K2  ?7 JSON
 * and the rest of the input, PRELUDE, run as SQL before the statements
 * (errors ignored): a query author's TEMP views, tables and triggers, which
 * may shadow the lab's tables or call nearest() from inside a view the
 * extension would read (issue 18: that corrupted the heap). The database
 * is read-only and ATTACH is off, so the prelude changes only TEMP; a
 * progress handler stops any statement after about 10^7 steps, so a
 * prelude that loops is an error, not a hang.
 * A query is bound as text (a word) in some statements and as a blob (a
 * vector) in others; a K that is a whole number is bound as an integer, an
 * empty one as NULL, anything else as text. Every statement below runs on
 * every input: vec_f32 and vec_json, the scalar vec_* functions on blobs,
 * nearest() alone, two nearest() joined, one inside the other, and nearest()
 * of a vec_f32 vector.
 *
 * The subword embeddings make nearest() of a word outside a vocabulary
 * build its vector from n-gram rows (embed/subword.c).
 *
 * Besides the sanitizers' findings, the target aborts when a result is wrong
 * where wrongness is decidable: a word that nearest() returns must belong to
 * the embedding it searched (two nearest() in one query once mixed them up),
 * a similarity must be a cosine, vec_f32(vec_json(v)) must give v back, and
 * SQLite must never report misuse.
 *
 * Every input starts from the same state, so a run is deterministic: a
 * connection over a read-only copy of one database made at start-up with
 * lab_open (the real schema), with the extension registered anew (a new
 * nearest module, whose cache and kept statements start empty). An input
 * with a prelude gets a fresh connection, as its SQL may change one (TEMP
 * objects, PRAGMAs); one without shares a connection with the other such
 * inputs, since its statements bind its fields only as values and so change
 * nothing but the extension's cache: that skips parsing the schema again
 * for each input, which was a quarter of this target's time. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/sql/sqlite_ext.h"

#include "db/lab.h"

enum { NAME1, QUERY1, K1, NAME2, QUERY2, K2, JSON, PRELUDE, NFIELDS };

typedef struct {
    const char *p;
    int len;
} Field;

/* The embeddings the fuzzer searches: small good ones of different sizes
 * (e40 has more words than e5 has, so a mixed-up index reads out of
 * bounds), one with a zero vector and words without rank, and broken ones
 * whose dim or blobs disagree. Subword embeddings (ngrams rows; a word not
 * in the vocabulary gets the mean of its n-grams' rows): s7 with 7 buckets,
 * rows for 4 of them, one a zero row; s1 with 1 bucket (every n-gram in
 * it); snone with no rows; and broken ones: a row of the wrong length, a
 * bucket out of range, a setting that is no setting. */
static const char *fixture =
    "INSERT INTO embeddings(id, name, dim) VALUES (1, 'e5', 2), (2, 'e3', 3), (3, 'e40', 4), (4, 'short', 2),"
    "  (5, 'huge', 1073741824), (6, 'empty', 2), (7, 'text', 1);"
    "INSERT INTO vectors(embedding_id, word, rank, vec) VALUES"
    "  (1, 'a', 1, vec_f32('[1, 0]')), (1, 'b', 2, vec_f32('[0.9, 0.4]')), (1, 'c', 3, vec_f32('[0, 1]')),"
    "  (1, 'd', 4, vec_f32('[-1, 0.2]')), (1, '', 5, vec_f32('[0.5, -0.5]')),"
    "  (2, 'a', NULL, vec_f32('[1, 2, 3]')), (2, 'zero', NULL, vec_f32('[0, 0, 0]')),"
    "  (2, 'x', 7, vec_f32('[-3, 1, 0.5]')), (2, 'b', 1, vec_f32('[1e-30, 1e30, 3e38]')),"
    "  (4, 'a', 1, vec_f32('[1, 2]')), (4, 'b', 2, x'0000803f'),"
    "  (5, 'a', 1, x'0000803f'), (7, 'a', 1, 'abcd');"
    "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i WHERE n < 39)"
    "  INSERT INTO vectors(embedding_id, word, rank, vec)"
    "  SELECT 3, 'w' || n, n + 1, vec_f32(json_array(cos(n), sin(n), n % 3 - 1, 1.0 / (n + 1))) FROM i;"
    "INSERT INTO embeddings(id, name, dim, params) VALUES"
    "  (8, 's7', 2, '{\"minn\":1,\"maxn\":2,\"buckets\":7}'), (9, 's1', 3, '{\"minn\":2,\"maxn\":5,\"buckets\":1}'),"
    "  (10, 'snone', 2, '{\"minn\":1,\"maxn\":1,\"buckets\":5}'), (11, 'sshort', 2, "
    "'{\"minn\":1,\"maxn\":2,\"buckets\":7}'),"
    "  (12, 'srange', 2, '{\"minn\":1,\"maxn\":2,\"buckets\":3}'), (13, 'sbad', 2, "
    "'{\"minn\":3,\"maxn\":2,\"buckets\":7}'),"
    "  (14, 'spart', 2, '{\"minn\":\"1\",\"buckets\":7}');"
    "INSERT INTO vectors(embedding_id, word, rank, vec) VALUES"
    "  (8, 'ab', 1, vec_f32('[1, 0.5]')), (8, 'ba', 2, vec_f32('[-0.5, 1]')), (8, 'c', 3, vec_f32('[0.2, -1]')),"
    "  (9, 'abc', 1, vec_f32('[1, 2, 3]')), (9, 'x', 2, vec_f32('[0, -1, 0.5]')),"
    "  (10, 'a', 1, vec_f32('[1, 1]')), (11, 'a', 1, vec_f32('[1, 1]')), (12, 'a', 1, vec_f32('[1, 1]')),"
    "  (13, 'a', 1, vec_f32('[1, 1]')), (14, 'a', 1, vec_f32('[1, 1]'));"
    "INSERT INTO ngrams(embedding_id, bucket, vec) VALUES"
    "  (8, 0, vec_f32('[0.3, -0.2]')), (8, 2, vec_f32('[0, 0]')), (8, 3, vec_f32('[-1, 0.7]')),"
    "  (8, 6, vec_f32('[2, 1e-3]')), (9, 0, vec_f32('[0.5, 0.25, -1]')),"
    "  (11, 1, vec_f32('[1, 2]')), (11, 4, x'0000803f'), (12, 1, vec_f32('[1, 2]')), (12, 5, vec_f32('[1, 2]')),"
    "  (13, 1, vec_f32('[1, 2]'));";

static unsigned char *image; /* the serialized database */
static sqlite3_int64 image_size;

static void die(const char *what, sqlite3 *db) {
    fprintf(stderr, "fuzz_sql: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    abort();
}

/* Builds the database once: the lab schema, the fixture, serialized. */
static void make_image(void) {
    sqlite3 *db;
    if (lab_open(":memory:", &db) != 0)
        die("lab_open", NULL);
    if (sqlite3_embedlabsqlite_init(db, NULL, NULL) != SQLITE_OK || lab_exec(db, fixture) != 0)
        die("fixture", db);
    image = sqlite3_serialize(db, "main", &image_size, 0);
    if (!image)
        die("serialize", db);
    lab_close(db);
}

/* The progress handler: stops a statement after 10^4 calls (10^7 virtual
 * machine steps) since the prelude, or the statements, began. */
static long steps;
static int too_long(void *arg) { return ++*(long *)arg > 10000; }

/* A fresh connection over the read-only image, with the extension. */
static sqlite3 *open_image(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
        sqlite3_deserialize(db, "main", image, image_size, image_size, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK ||
        sqlite3_embedlabsqlite_init(db, NULL, NULL) != SQLITE_OK)
        die("open", db);
    /* Keeps results small: a text or blob over 1 MB is an error, not a slow run. */
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_progress_handler(db, 1000, too_long, &steps);
    return db;
}

/* Binds field f as parameter i: how is 't' (text), 'b' (blob) or 'k' (a K). */
static void bind(sqlite3_stmt *st, int i, const Field *f, char how) {
    if (how == 'b') {
        sqlite3_bind_blob(st, i, f->p, f->len, SQLITE_STATIC);
        return;
    }
    if (how == 'k') {
        char buf[24];
        char *end;
        if (f->len == 0) {
            sqlite3_bind_null(st, i);
            return;
        }
        if (f->len < (int)sizeof buf) {
            memcpy(buf, f->p, f->len);
            buf[f->len] = 0;
            long long k = strtoll(buf, &end, 10);
            if (*end == 0) {
                sqlite3_bind_int64(st, i, k);
                return;
            }
        }
    }
    sqlite3_bind_text(st, i, f->p, f->len, SQLITE_STATIC);
}

/* The check of in_embedding, prepared once per connection: a join of two
 * nearest() can give thousands of rows, and preparing the check again for
 * each was most of such an input's time. */
static sqlite3_stmt *check_st;

/* 1 if word (column col of st's row) is a word of the embedding named by field name. */
static int in_embedding(sqlite3 *db, const Field *name, sqlite3_stmt *row, int col) {
    if (!check_st && sqlite3_prepare_v2(db,
                                        "SELECT 1 FROM main.vectors v JOIN main.embeddings e ON e.id = v.embedding_id "
                                        "WHERE e.name = ? AND v.word = ?",
                                        -1, &check_st, NULL) != SQLITE_OK)
        die("prepare check", db);
    sqlite3_bind_text(check_st, 1, name->p, name->len, SQLITE_STATIC);
    sqlite3_bind_value(check_st, 2, sqlite3_column_value(row, col));
    int rc = sqlite3_step(check_st);
    sqlite3_reset(check_st);
    sqlite3_clear_bindings(check_st);
    return rc == SQLITE_ROW || rc == SQLITE_INTERRUPT; /* out of steps: cannot tell */
}

static void check_similarity(sqlite3_stmt *st, int col) {
    if (sqlite3_column_type(st, col) != SQLITE_FLOAT)
        die("a similarity is not a number", NULL);
    double s = sqlite3_column_double(st, col);
    if (!(s >= -1.001 && s <= 1.001))
        die("a similarity is not a cosine", NULL);
}

/* A statement, how its parameters bind, and what its rows must satisfy:
 * columns 0 and 1 are words of the embeddings named by fields check[0] and
 * check[1] (-1: none), columns sim[0] and sim[1] are similarities (-1:
 * none), and with must_be_one, a column 0 that is an integer is 1 (a round
 * trip that held). */
typedef struct {
    const char *sql;
    const char *how; /* character i: how field i binds as ?(i+1) (see bind); '-': not a parameter */
    int check[2], sim[2], must_be_one;
} Statement;

static const Statement statements[] = {
    {"SELECT vec_f32(vec_json(vec_f32(?7))) = vec_f32(?7)", "------t", {-1, -1}, {-1, -1}, 1},
    {"SELECT vec_json(?2)", "-b-----", {-1, -1}, {-1, -1}, 0},
    {"SELECT vec_norm(?2)", "-b-----", {-1, -1}, {-1, -1}, 0},
    {"SELECT vec_dot(?2, ?5)", "-b--b--", {-1, -1}, {-1, -1}, 0},
    {"SELECT vec_cosine(?2, ?5)", "-b--b--", {-1, -1}, {-1, -1}, 0},
    {"SELECT vec_cosine(?2, vec_f32(?7))", "-b----t", {-1, -1}, {-1, -1}, 0},
    {"SELECT vec_f32(?2)", "-t-----", {-1, -1}, {-1, -1}, 0},
    {"SELECT word, similarity FROM nearest(?1, ?2, ?3)", "ttk----", {NAME1, -1}, {1, -1}, 0},
    {"SELECT word, similarity FROM nearest(?1, ?2, ?3)", "tbk----", {NAME1, -1}, {1, -1}, 0},
    {"SELECT word, similarity FROM nearest(?1, vec_f32(?7), ?3)", "t-k---t", {NAME1, -1}, {1, -1}, 0},
    {"SELECT a.word, b.word, a.similarity, b.similarity FROM nearest(?1, ?2, ?3) a JOIN nearest(?4, ?5, ?6) b",
     "ttkttk-",
     {NAME1, NAME2},
     {2, 3},
     0},
    {"SELECT b.word, a.word, b.similarity, a.similarity FROM nearest(?4, ?5, ?6) b JOIN nearest(?1, ?2, ?3) a",
     "tbkttk-",
     {NAME2, NAME1},
     {2, 3},
     0},
    {"SELECT a.word, b.word, a.similarity, b.similarity FROM nearest(?1, ?2, ?3) a, nearest(?4, a.word, ?6) b",
     "ttkt-k-",
     {NAME1, NAME2},
     {2, 3},
     0},
    {"SELECT a.word, (SELECT group_concat(word, ' ') FROM nearest(?4, ?5, ?6)), a.similarity "
     "FROM nearest(?1, ?2, ?3) a",
     "ttkttk-",
     {NAME1, -1},
     {2, -1},
     0},
};

/* Runs statement s; with a prelude given, one that no longer prepares (a
 * TEMP table named nearest) is skipped. */
static void run(sqlite3 *db, const Statement *s, const Field *fields) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, s->sql, -1, &st, NULL) != SQLITE_OK) {
        if (fields[PRELUDE].len > 0)
            return;
        die(s->sql, db);
    }
    for (int i = 0; i < NFIELDS; i++)
        if (s->how[i] != '-')
            bind(st, i + 1, &fields[i], s->how[i]);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < 2; c++) {
            if (s->check[c] >= 0 && !in_embedding(db, &fields[s->check[c]], st, c)) {
                fprintf(stderr, "fuzz_sql: '%s' is not a word of the embedding searched\n",
                        (const char *)sqlite3_column_text(st, c));
                die(s->sql, NULL);
            }
            if (s->sim[c] >= 0)
                check_similarity(st, s->sim[c]);
        }
        if (s->must_be_one && sqlite3_column_type(st, 0) == SQLITE_INTEGER && sqlite3_column_int(st, 0) != 1)
            die("vec_f32(vec_json(v)) is not v", NULL);
    }
    /* Errors are what bad arguments should give; misuse never. */
    if (rc == SQLITE_MISUSE || rc == SQLITE_INTERNAL || rc == SQLITE_CORRUPT)
        die(s->sql, db);
    sqlite3_finalize(st);
}

/* The connection the inputs without a prelude share, the extension
 * registered anew for each (open_image registered it for the first). */
static sqlite3 *shared_image(void) {
    static sqlite3 *db;
    if (!db)
        db = open_image();
    else if (sqlite3_embedlabsqlite_init(db, NULL, NULL) != SQLITE_OK)
        die("register", db);
    return db;
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
    if (!image)
        make_image();
    if (size > 1 << 16)
        return 0;
    Field fields[NFIELDS];
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < NFIELDS; i++) {
        const char *nl = p < end ? memchr(p, '\n', end - p) : NULL;
        const char *stop = i < NFIELDS - 1 && nl ? nl : end;
        fields[i] = (Field){p, (int)(stop - p)};
        p = stop < end ? stop + 1 : end;
    }
    steps = 0;
    int fresh = fields[PRELUDE].len > 0;
    sqlite3 *db = fresh ? open_image() : shared_image();
    if (fresh) {
        char *sql = malloc((size_t)fields[PRELUDE].len + 1);
        if (!sql)
            die("out of memory", NULL);
        memcpy(sql, fields[PRELUDE].p, (size_t)fields[PRELUDE].len);
        sql[fields[PRELUDE].len] = 0;
        sqlite3_exec(db, sql, NULL, NULL, NULL);
        free(sql);
        steps = 0;
    }
    for (size_t i = 0; i < sizeof statements / sizeof *statements; i++)
        run(db, &statements[i], fields);
    sqlite3_finalize(check_st);
    check_st = NULL;
    if (fresh && sqlite3_close(db) != SQLITE_OK)
        die("close", db);
    return 0;
}
