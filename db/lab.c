/* db/lab.c: opening, checking and migrating the lab notebook. */
#include "db/lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"

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

int lab_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st) {
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    return 0;
}

static int query_int(sqlite3 *db, const char *sql, long long *out) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return sqlite3_errcode(db);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

int lab_migrate_to(sqlite3 *db, int version) {
    long long current = 0;
    if (query_int(db, "PRAGMA user_version", &current) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    if (current >= version)
        return 0;
    if (lab_begin(db) != 0)
        return -1;
    for (int v = (int)current; v < version; v++) {
        char pragma[64];
        if (lab_exec(db, migrations[v]) != 0) {
            lab_rollback(db);
            return el_fail("migrating the lab database to version %d: %s", v + 1, el_error());
        }
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        lab_exec(db, pragma);
    }
    char app[64];
    snprintf(app, sizeof app, "PRAGMA application_id = %d", LAB_APPLICATION_ID);
    if (lab_exec(db, app) != 0 || lab_commit(db) != 0) {
        lab_rollback(db);
        return -1;
    }
    return 0;
}

/* Decides, without writing anything, whether path may be used as a lab
 * notebook. Reading pragmas and sqlite_schema never writes to the file. */
static int check_identity(sqlite3 *db, const char *path) {
    long long app = 0, version = 0, tables = 0;
    int rc = query_int(db, "PRAGMA application_id", &app);
    if (rc == SQLITE_NOTADB)
        return el_fail("%s is not an SQLite database; refusing to touch it", path);
    if (rc != SQLITE_OK)
        return el_fail("cannot read %s: %s", path, sqlite3_errmsg(db));
    query_int(db, "PRAGMA user_version", &version);
    query_int(db, "SELECT count(*) FROM sqlite_schema", &tables);
    if (app == LAB_APPLICATION_ID) {
        if (version > LAB_SCHEMA_VERSION)
            return el_fail(
                "%s has lab schema version %lld, newer than this embedlab understands (%d); upgrade embedlab", path,
                version, LAB_SCHEMA_VERSION);
        return 0;
    }
    if (app == 0 && tables == 0)
        return 0; /* a new, empty file */
    return el_fail("%s is an SQLite database but not an embedlab lab notebook; refusing to touch it", path);
}

int lab_open(const char *path, sqlite3 **out) {
    sqlite3 *db = NULL;
    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        el_fail("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 30000);
    if (check_identity(db, path) != 0) {
        sqlite3_close(db);
        return -1;
    }
    /* WAL lets readers (a sqlite3 shell, a plot) work while a sweep writes. */
    if (lab_exec(db, "PRAGMA journal_mode = WAL") != 0 || lab_exec(db, "PRAGMA foreign_keys = ON") != 0 ||
        lab_migrate_to(db, LAB_SCHEMA_VERSION) != 0) {
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
