/* db/lab.c: opening, checking and migrating the lab notebook. */
#include "db/lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "core/provenance.h"
#include "db/owner.h"

/* Each migration takes the schema from version i to i + 1. Never edit one
 * that has shipped: add a new one, so every old file can still be upgraded. */
static const char *migrations[] = {
    /* 0 -> 1: word vectors. */
    "CREATE TABLE embeddings(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n" /* ids are never reused: caches key on them */
    "  name TEXT UNIQUE NOT NULL,\n"
    "  dim INTEGER NOT NULL CHECK (dim > 0),\n"
    "  params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(params)),\n"
    "  corpus TEXT,\n"
    "  tokens INTEGER,\n"
    "  vocab_size INTEGER,\n"
    "  seconds REAL,\n"
    "  words_per_sec REAL,\n"
    "  source TEXT NOT NULL DEFAULT 'trained',\n"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));\n"
    "CREATE TABLE vectors(\n"
    "  embedding_id INTEGER NOT NULL REFERENCES embeddings(id) ON DELETE CASCADE,\n"
    "  word TEXT NOT NULL,\n"
    "  rank INTEGER,\n"
    "  count INTEGER,\n"
    "  vec BLOB NOT NULL,\n"
    "  PRIMARY KEY (embedding_id, word));\n"
    "CREATE INDEX vectors_by_rank ON vectors(embedding_id, rank);\n",

    /* 1 -> 2: runs, their metrics and sweeps. */
    "CREATE TABLE sweeps(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  name TEXT,\n"
    "  config TEXT NOT NULL CHECK (json_valid(config)),\n"
    "  host TEXT,\n"
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));\n"
    "CREATE TABLE runs(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,\n"
    "  kind TEXT NOT NULL,\n" /* 'classifier' or 'embedding' */
    "  config TEXT NOT NULL CHECK (json_valid(config)),\n"
    "  status TEXT NOT NULL DEFAULT 'running'\n"
    "    CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),\n"
    "  error TEXT,\n"
    "  embedding_id INTEGER REFERENCES embeddings(id) ON DELETE SET NULL,\n"
    "  host TEXT,\n"
    "  pid INTEGER,\n"
    "  started TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
    "  finished TEXT);\n"
    "CREATE INDEX runs_by_sweep ON runs(sweep_id, status);\n"
    "CREATE TABLE epochs(\n"
    "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  epoch INTEGER NOT NULL,\n"
    "  train_loss REAL, train_acc REAL,\n"
    "  val_loss REAL, val_acc REAL,\n"
    "  seconds REAL,\n"
    "  PRIMARY KEY (run_id, epoch));\n"
    "CREATE TABLE results(\n"
    "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  test_loss REAL, test_acc REAL,\n"
    "  val_loss REAL, val_acc REAL,\n"
    "  best_epoch INTEGER, epochs INTEGER,\n"
    "  params INTEGER,\n"
    "  seconds REAL, seconds_per_epoch REAL,\n"
    "  input_bytes INTEGER, onehot_bytes INTEGER);\n"
    "CREATE TABLE models(\n"
    "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  format TEXT NOT NULL,\n"
    "  params BLOB NOT NULL,\n"
    "  vocab TEXT);\n" /* the words of indices 2, 3, ...: one per line */
    "CREATE VIEW run_results AS\n"
    "  SELECT r.id AS run_id, r.sweep_id, r.status,\n"
    "    json_extract(r.config, '$.cell') AS cell, json_extract(r.config, '$.input') AS input,\n"
    "    json_extract(r.config, '$.embedding') AS embedding, json_extract(r.config, '$.dim') AS dim,\n"
    "    json_extract(r.config, '$.units') AS units, json_extract(r.config, '$.seed') AS seed,\n"
    "    s.test_acc, s.test_loss, s.val_acc, s.val_loss, s.best_epoch, s.epochs, s.params, s.seconds_per_epoch\n"
    "  FROM runs r LEFT JOIN results s ON s.run_id = r.id;\n",

    /* 2 -> 3: the grid point of a sweep's run: how a rerun finds finished work. */
    "ALTER TABLE runs ADD COLUMN sweep_key TEXT;\n"
    "CREATE INDEX runs_by_sweep_key ON runs(sweep_id, sweep_key, status);\n",

    /* 3 -> 4: a run whose process died is 'lost' (db/owner.h says when), so
     * runs gains the status, the owner's start time and a heartbeat; claims
     * on the embeddings being trained. A CHECK
     * cannot be altered: the table is rebuilt (SQLite's documented way:
     * new table, copy, drop, rename; foreign keys are off meanwhile, see
     * lab_migrate_to), keeping ids and the AUTOINCREMENT counter. */
    "DROP VIEW run_results;\n"
    "CREATE TABLE runs_v4(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  sweep_id INTEGER REFERENCES sweeps(id) ON DELETE SET NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  config TEXT NOT NULL CHECK (json_valid(config)),\n"
    "  status TEXT NOT NULL DEFAULT 'running'\n"
    "    CHECK (status IN ('running', 'finished', 'failed', 'interrupted', 'lost')),\n"
    "  error TEXT,\n"
    "  embedding_id INTEGER REFERENCES embeddings(id) ON DELETE SET NULL,\n"
    "  host TEXT,\n"
    "  pid INTEGER,\n"
    "  started TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),\n"
    "  finished TEXT,\n"
    "  sweep_key TEXT,\n"
    "  pid_start INTEGER,\n" /* the owner's start time in clock ticks since boot: a reused pid is not the owner */
    "  heartbeat REAL);\n"   /* Unix time of the owner's last sign of life */
    "INSERT INTO runs_v4(id, sweep_id, kind, config, status, error, embedding_id, host, pid, started, finished,\n"
    "  sweep_key) SELECT id, sweep_id, kind, config, status, error, embedding_id, host, pid, started, finished,\n"
    "  sweep_key FROM runs ORDER BY id;\n"
    "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'runs'), 0))\n"
    "  WHERE name = 'runs_v4';\n"
    "DROP TABLE runs;\n"
    "ALTER TABLE runs_v4 RENAME TO runs;\n"
    "CREATE INDEX runs_by_sweep ON runs(sweep_id, status);\n"
    "CREATE INDEX runs_by_sweep_key ON runs(sweep_id, sweep_key, status);\n"
    "CREATE VIEW run_results AS\n"
    "  SELECT r.id AS run_id, r.sweep_id, r.status,\n"
    "    json_extract(r.config, '$.cell') AS cell, json_extract(r.config, '$.input') AS input,\n"
    "    json_extract(r.config, '$.embedding') AS embedding, json_extract(r.config, '$.dim') AS dim,\n"
    "    json_extract(r.config, '$.units') AS units, json_extract(r.config, '$.seed') AS seed,\n"
    "    s.test_acc, s.test_loss, s.val_acc, s.val_loss, s.best_epoch, s.epochs, s.params, s.seconds_per_epoch\n"
    "  FROM runs r LEFT JOIN results s ON s.run_id = r.id;\n"
    /* The word2vec embeddings a sweep is training right now, with the owner
     * (as in runs), so that sweeps started together train each one once. */
    "CREATE TABLE embedding_claims(\n"
    "  name TEXT PRIMARY KEY,\n"
    "  host TEXT, pid INTEGER, pid_start INTEGER, heartbeat REAL);\n",

    /* 4 -> 5: where each run and embedding came from (LAB_PROVENANCE_JSON):
     * the same seed can round differently on another CPU or BLAS kernel. */
    "ALTER TABLE runs ADD COLUMN provenance TEXT CHECK (provenance IS NULL OR json_valid(provenance));\n"
    "ALTER TABLE embeddings ADD COLUMN provenance TEXT CHECK (provenance IS NULL OR json_valid(provenance));\n",

    /* 5 -> 6: subword embeddings (fastText's model, embed/subword.h): the
     * vectors of the character n-gram buckets some vocabulary word uses, from
     * which the vector of a word never seen in training is built. The
     * setting (minn, maxn, buckets) is in the embedding's params. */
    "CREATE TABLE ngrams(\n"
    "  embedding_id INTEGER NOT NULL REFERENCES embeddings(id) ON DELETE CASCADE,\n"
    "  bucket INTEGER NOT NULL,\n"
    "  vec BLOB NOT NULL,\n"
    "  PRIMARY KEY (embedding_id, bucket)) WITHOUT ROWID;\n",

    /* 6 -> 7: tokenizers (embed/text/tokenizer.h). An embedding records its
     * tokenizer's canonical spec (a run's is in its config); a learned
     * kind's model (db/tokenizers.h) is a tokenizers row that embeddings
     * and runs point to, so the same bytes tokenize again. */
    "CREATE TABLE tokenizers(\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  spec TEXT NOT NULL,\n"
    "  model BLOB NOT NULL,\n"
    "  hash TEXT NOT NULL,\n" /* db_tokenizer_hash of model */
    "  created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')));\n"
    "CREATE INDEX tokenizers_by_hash ON tokenizers(spec, hash);\n"
    "ALTER TABLE embeddings ADD COLUMN tokenizer TEXT NOT NULL DEFAULT 'words';\n"
    "ALTER TABLE embeddings ADD COLUMN tokenizer_id INTEGER REFERENCES tokenizers(id);\n"
    "ALTER TABLE runs ADD COLUMN tokenizer_id INTEGER REFERENCES tokenizers(id);\n",

    /* 7 -> 8: a finished classifier run's test predictions (db/runs.h
     * RunResult), so that runs can be combined into an ensemble
     * (experiments/run/ensemble.h) without loading their models: n reviews in
     * the test split's order, float32 little-endian P(positive) and one
     * byte per 0/1 label. */
    "CREATE TABLE predictions(\n"
    "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,\n"
    "  n INTEGER NOT NULL,\n"
    "  probs BLOB NOT NULL,\n"
    "  labels BLOB NOT NULL);\n"
    /* The run's input kind (experiments/run/input_kind.h) and tokenizer as
     * columns of run_results, for plain SQL over runs. */
    "DROP VIEW run_results;\n"
    "CREATE VIEW run_results AS\n"
    "  SELECT r.id AS run_id, r.sweep_id, r.status,\n"
    "    json_extract(r.config, '$.cell') AS cell, json_extract(r.config, '$.input') AS input,\n"
    "    json_extract(r.config, '$.embedding') AS embedding, json_extract(r.config, '$.dim') AS dim,\n"
    "    json_extract(r.config, '$.units') AS units, json_extract(r.config, '$.seed') AS seed,\n"
    "    s.test_acc, s.test_loss, s.val_acc, s.val_loss, s.best_epoch, s.epochs, s.params, s.seconds_per_epoch,\n"
    "    json_extract(r.config, '$.input_kind') AS input_kind, json_extract(r.config, '$.tokenizer') AS tokenizer\n"
    "  FROM runs r LEFT JOIN results s ON s.run_id = r.id;\n",

    /* 8 -> 9: a finished run's stored model carries a content hash
     * (run_model_hash in db/runs.c) of its format, parameters and
     * vocabulary, recorded when the run finishes and checked whenever the
     * model is read, so a damaged row is an error, not a silent wrong
     * answer. Rows stored before have none, and load as they did. */
    "ALTER TABLE models ADD COLUMN hash TEXT;\n",

    /* 9 -> 10: an embedding records how a query word takes the form of its
     * words (its tokenizer kind's TokQueryForm, by name: 'given', 'words',
     * 'unicode'), so that the SQL extension, which cannot link the tokenizer
     * registry, normalises queries for any kind, a registered one included.
     * Older rows get their kind's form as the four kinds of this version
     * declare it (words: the words spec; unicode, chars and spm:
     * tok_normalize); a spec of no kind of theirs, the word as given. */
    "ALTER TABLE embeddings ADD COLUMN query_form TEXT NOT NULL DEFAULT 'words';\n"
    "UPDATE embeddings SET query_form = CASE substr(coalesce(tokenizer, 'words'), 1,\n"
    "    instr(coalesce(tokenizer, 'words') || ':', ':') - 1)\n"
    "  WHEN 'words' THEN 'words' WHEN 'unicode' THEN 'unicode' WHEN 'chars' THEN 'unicode' WHEN 'spm' THEN 'unicode'\n"
    "  ELSE 'given' END;\n",
};

const char *lab_path(const char *option) {
    if (option && *option)
        return option;
    const char *env = getenv("EMBEDLAB_DB");
    return env && *env ? env : "lab.db";
}

int lab_exec(sqlite3 *db, const char *sql) {
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        el_fail("database: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int lab_begin(sqlite3 *db) { return lab_exec(db, "BEGIN IMMEDIATE"); }
int lab_commit(sqlite3 *db) { return lab_exec(db, "COMMIT"); }
void lab_rollback(sqlite3 *db) {
    if (!sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

const char *lab_text(sqlite3_stmt *st, int i) {
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? s : "";
}

int lab_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    return 0;
}

/* The file's identity in one snapshot (one statement): application id,
 * schema version and the number of schema objects. Separate statements could
 * see two states when another process creates the file meanwhile. Returns an
 * SQLite code. */
static int read_identity(sqlite3 *db, long long *app, long long *version, long long *objects) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT (SELECT application_id FROM pragma_application_id), "
                           "(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)",
                           -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *app = sqlite3_column_int64(st, 0);
        *version = sqlite3_column_int64(st, 1);
        *objects = sqlite3_column_int64(st, 2);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Decides, without writing anything, whether path may be used as a lab
 * notebook: 0 if so (with *version set, 0 for a new empty file). Reading
 * pragmas and sqlite_schema never writes to the file. */
static int check_identity(sqlite3 *db, const char *path, long long *version) {
    long long app = 0, objects = 0;
    int rc = read_identity(db, &app, version, &objects);
    if (rc == SQLITE_NOTADB)
        return el_fail("%s is not an SQLite database; refusing to touch it", path);
    if (rc != SQLITE_OK)
        return el_fail("cannot read %s: %s", path, sqlite3_errmsg(db));
    if (app == LAB_APPLICATION_ID) {
        if (*version < 0)
            return el_fail("%s has lab schema version %lld, which no embedlab writes; refusing to touch it", path,
                           *version);
        if (*version > LAB_SCHEMA_VERSION)
            return el_fail(
                "%s has lab schema version %lld, newer than this embedlab understands (%d); upgrade embedlab", path,
                *version, LAB_SCHEMA_VERSION);
        return 0;
    }
    if (app == 0 && objects == 0) {
        *version = 0;
        return 0; /* a new, empty file */
    }
    return el_fail("%s is an SQLite database but not an embedlab lab notebook; refusing to touch it", path);
}

/* Migrates under the write lock: the version is read again after BEGIN
 * IMMEDIATE, so that of several processes opening a new file at once, one
 * creates the schema and the others find it made. Foreign keys are turned off
 * first (they cannot change inside a transaction): a migration that rebuilds a
 * table must not cascade its DROP to the rows that point at it. */
int lab_migrate_to(sqlite3 *db, int version) {
    long long app = 0, current = 0, objects = 0;
    if (read_identity(db, &app, &current, &objects) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    if (current >= version)
        return 0;
    int known = (int)(sizeof migrations / sizeof *migrations);
    if (current < 0 || version > known)
        return el_fail("cannot migrate the lab database from version %lld to %d", current, version);
    if (lab_exec(db, "PRAGMA foreign_keys = OFF") != 0 || lab_begin(db) != 0)
        return -1;
    if (read_identity(db, &app, &current, &objects) != SQLITE_OK) {
        el_fail("database: %s", sqlite3_errmsg(db));
        lab_rollback(db);
        return -1;
    }
    if ((app != LAB_APPLICATION_ID && (app != 0 || objects != 0)) || current < 0) {
        lab_rollback(db);
        return el_fail("the database is not an embedlab lab notebook; refusing to migrate it");
    }
    for (int v = (int)current; v < version; v++) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        if (lab_exec(db, migrations[v]) != 0 || lab_exec(db, pragma) != 0) {
            char msg[1024];
            snprintf(msg, sizeof msg, "%s", el_error());
            lab_rollback(db);
            return el_fail("migrating the lab database to version %d: %s", v + 1, msg);
        }
    }
    char app_sql[64];
    snprintf(app_sql, sizeof app_sql, "PRAGMA application_id = %d", LAB_APPLICATION_ID);
    if (lab_exec(db, app_sql) != 0 || lab_commit(db) != 0) {
        lab_rollback(db);
        return -1;
    }
    return 0;
}

/* WAL lets readers (a sqlite3 shell, a plot) work while a sweep writes.
 * Switching needs the file to itself for a moment, so a process racing others
 * on a new file may be told "busy": it retries a while, and if the file stays
 * busy it carries on in the default mode (the next open switches it). */
static void use_wal(sqlite3 *db) {
    for (int attempt = 0; attempt < 100 && !sqlite3_db_readonly(db, "main"); attempt++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &st, NULL) != SQLITE_OK)
            return;
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            return; /* WAL, or a mode this file must keep */
        usleep(20000);
    }
}

/* SQL owner_alive(host, pid, pid_start, heartbeat, longest_epoch): 1 if the
 * owner of a running row lives (db/owner.h), else 0. */
static void sql_owner_alive(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    const char *host = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_result_int(ctx, owner_alive(host, sqlite3_value_int64(argv[1]), sqlite3_value_int64(argv[2]),
                                        sqlite3_value_double(argv[3]), sqlite3_value_double(argv[4]), owner_now()));
}

/* The temporary view run_status(run_id, status): a run's status, with
 * 'running' shown as 'lost' when its owner is gone. */
static const char run_status_view[] =
    "CREATE TEMP VIEW IF NOT EXISTS run_status AS\n"
    "SELECT id AS run_id, CASE WHEN status = 'running' AND NOT owner_alive(host, pid, pid_start,\n"
    "    coalesce(heartbeat, unixepoch(started)), coalesce((SELECT max(e.seconds) FROM main.epochs e\n"
    "    WHERE e.run_id = r.id), 0)) THEN 'lost' ELSE status END AS status\n"
    "FROM main.runs r";

int lab_open(const char *path, sqlite3 **out) {
    sqlite3 *db = NULL;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        el_fail("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 30000);
    /* A lab.db may come from someone else (issue 18): defensive mode keeps
     * SQL from corrupting the file on purpose (writable_schema, writes to
     * sqlite_dbpage and the like). trusted_schema stays on: the lab's own
     * CHECK constraints call json_valid(), which SQLite 3.40 does not mark
     * innocuous, and the one function this connection adds (owner_alive)
     * only reads /proc. */
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    long long version = 0;
    if (check_identity(db, path, &version) != 0 || lab_migrate_to(db, LAB_SCHEMA_VERSION) != 0) {
        sqlite3_close(db);
        return -1;
    }
    use_wal(db);
    if (lab_exec(db, "PRAGMA foreign_keys = ON") != 0 ||
        sqlite3_create_function(db, "owner_alive", 5, SQLITE_UTF8, NULL, sql_owner_alive, NULL, NULL) != SQLITE_OK ||
        lab_exec(db, run_status_view) != 0) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}
int lab_open_existing(const char *path, sqlite3 **out) {
    *out = NULL;
    if (access(path, F_OK) != 0)
        return el_fail("no lab database at %s (made by 'embedlab train', 'embed train' or 'sweep'; --db or "
                       "EMBEDLAB_DB name another)",
                       path);
    return lab_open(path, out);
}

void lab_close(sqlite3 *db) { sqlite3_close(db); }

int lab_open_readonly(const char *path, sqlite3 **out) {
    sqlite3 *db = NULL;
    long long version = 0;
    *out = NULL;
    if (access(path, F_OK) != 0)
        return el_fail("no lab database at %s", path);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        el_fail("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    /* A reader waits out a writer's WAL recovery or checkpoint instead of
     * failing with "database is locked"; it never holds a write lock. */
    sqlite3_busy_timeout(db, 10000);
    int rc = check_identity(db, path, &version);
    if (rc == 0 && version != LAB_SCHEMA_VERSION)
        rc = el_fail("%s has lab schema version %lld; this embedlab reads version %d (open it once with a command "
                     "that writes, such as 'embedlab runs', to migrate it)",
                     path, version, LAB_SCHEMA_VERSION);
    /* The temporary view lives in the connection's own temp schema, so it is
     * made before query_only forbids every change. */
    if (rc == 0 &&
        (sqlite3_create_function(db, "owner_alive", 5, SQLITE_UTF8, NULL, sql_owner_alive, NULL, NULL) != SQLITE_OK ||
         lab_exec(db, run_status_view) != 0 || lab_exec(db, "PRAGMA query_only = 1") != 0))
        rc = -1;
    if (rc != 0) {
        sqlite3_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

/* The database's size in bytes: its pages, free ones included. */
static int64_t lab_bytes(sqlite3 *db) {
    sqlite3_stmt *st;
    int64_t bytes = -1;
    if (lab_prepare(db, "SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size)",
                    &st) != 0)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        bytes = sqlite3_column_int64(st, 0);
    else
        el_fail("database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return bytes;
}

int lab_vacuum(sqlite3 *db, int64_t *before, int64_t *after) {
    if ((*before = lab_bytes(db)) < 0 || lab_exec(db, "VACUUM") != 0)
        return -1;
    /* In WAL mode the vacuumed pages are in the WAL: a checkpoint writes
     * them back and truncates the file. A reader elsewhere can hold it back;
     * the last connection to close finishes it then. */
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
    return (*after = lab_bytes(db)) < 0 ? -1 : 0;
}

/* Binds one :pv_NAME parameter, if the statement has it. */
static void bind_named(sqlite3_stmt *st, const char *name, const char *value) {
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

void lab_bind_provenance(sqlite3_stmt *st, int threads) {
    Provenance p;
    provenance_get(&p);
    bind_named(st, ":pv_version", p.version);
    bind_named(st, ":pv_commit", p.commit);
    bind_named(st, ":pv_compiler", p.compiler);
    bind_named(st, ":pv_flags", p.flags);
    bind_named(st, ":pv_cpu", p.cpu);
    bind_named(st, ":pv_isa", p.isa);
    bind_named(st, ":pv_blas", p.blas);
    bind_named(st, ":pv_blas_kernel", p.blas_kernel);
    bind_named(st, ":pv_blas_env", p.blas_env);
    bind_named(st, ":pv_host", p.host);
    int i = sqlite3_bind_parameter_index(st, ":pv_threads");
    if (i > 0)
        sqlite3_bind_int(st, i, threads);
}
