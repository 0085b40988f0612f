/* db/runs_remove.c: removing classifier runs with every row that hangs off
 * them (db/runs.h run_remove). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"
#include "db/runs.h"
#include "db/tokenizers.h"

/* The bytes of the file's pages in use (not on the free list), in the
 * current transaction's view. 0, or -1 with a message. */
static int used_bytes(sqlite3 *db, int64_t *bytes) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT ((SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM "
                    "pragma_freelist_count)) * (SELECT page_size FROM pragma_page_size)",
                    &st) != 0)
        return -1;
    int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
    if (rc == 0)
        *bytes = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* The runs chosen so far, and each one's tokenizers row (0: none). */
typedef struct {
    int64_t *ids, *tok_ids;
    int64_t n, cap;
} Chosen;

/* Adds the run of the current row of select_sql to c, unless it is there
 * already; refuses one that is running in a live process. 0, or -1. */
static int choose(sqlite3_stmt *st, Chosen *c) {
    int64_t id = sqlite3_column_int64(st, 0);
    const char *status = (const char *)sqlite3_column_text(st, 1);
    if (status && strcmp(status, "running") == 0) {
        const char *host = (const char *)sqlite3_column_text(st, 3);
        return el_fail("run %lld is running (pid %lld on %s): stop that process first, or remove the run once it "
                       "has ended (a killed run shows as lost in 'embedlab runs'); nothing removed",
                       (long long)id, (long long)sqlite3_column_int64(st, 2), host ? host : "an unknown host");
    }
    for (int64_t i = 0; i < c->n; i++)
        if (c->ids[i] == id)
            return 0; /* named twice */
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->ids = xrealloc(c->ids, (size_t)c->cap * sizeof *c->ids);
        c->tok_ids = xrealloc(c->tok_ids, (size_t)c->cap * sizeof *c->tok_ids);
    }
    c->ids[c->n] = id;
    c->tok_ids[c->n++] = sqlite3_column_int64(st, 4);
    return 0;
}

/* A classifier run with its status as run_status reads it (?1: one id, 0:
 * any; ?2: one sweep, 0: any; ?3: a comma-separated list of statuses, NULL:
 * any). */
static const char select_sql[] =
    "SELECT r.id, s.status, r.pid, r.host, coalesce(r.tokenizer_id, 0) FROM runs r JOIN run_status s ON s.run_id = "
    "r.id WHERE r.kind = 'classifier' AND (?1 = 0 OR r.id = ?1) AND (?2 = 0 OR r.sweep_id = ?2) AND (?3 IS NULL OR "
    "instr(',' || ?3 || ',', ',' || s.status || ',') > 0) ORDER BY r.id";

/* The runs sel selects, into c. 0, or -1 with a message. */
static int select_runs(sqlite3 *db, const RunSelection *sel, Chosen *c) {
    sqlite3_stmt *st;
    if (sel->sweep > 0) {
        if (lab_prepare(db, "SELECT 1 FROM sweeps WHERE id = ?", &st) != 0)
            return -1;
        sqlite3_bind_int64(st, 1, sel->sweep);
        int found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (!found)
            return el_fail("no sweep with id %lld (see 'embedlab runs'); nothing removed", (long long)sel->sweep);
    }
    if (lab_prepare(db, select_sql, &st) != 0)
        return -1;
    int rc = 0;
    if (sel->nids > 0) {
        for (int i = 0; rc == 0 && i < sel->nids; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, sel->ids[i]);
            sqlite3_bind_int64(st, 2, 0);
            if (sqlite3_step(st) == SQLITE_ROW)
                rc = choose(st, c);
            else
                rc = el_fail("no classifier run with id %lld (see 'embedlab runs'); nothing removed",
                             (long long)sel->ids[i]);
        }
    } else {
        sqlite3_bind_int64(st, 1, 0);
        sqlite3_bind_int64(st, 2, sel->sweep);
        if (sel->statuses)
            sqlite3_bind_text(st, 3, sel->statuses, -1, SQLITE_STATIC);
        int step;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
            rc = choose(st, c);
        if (rc == 0 && step != SQLITE_DONE)
            rc = el_fail("database: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc;
}

/* Deletes the chosen runs' rows, children first so that each table's count
 * is its own (the runs row's ON DELETE CASCADE, db/lab.c, would take them
 * too, and takes any table keyed by run_id that is not listed here). */
static int delete_runs(sqlite3 *db, const Chosen *c, RunRemoved *out) {
    int64_t runs = 0; /* c->n */
    struct {
        const char *sql;
        int64_t *count;
    } steps[] = {{"DELETE FROM epochs WHERE run_id = ?", &out->epochs},
                 {"DELETE FROM results WHERE run_id = ?", &out->results},
                 {"DELETE FROM models WHERE run_id = ?", &out->models},
                 {"DELETE FROM predictions WHERE run_id = ?", &out->predictions},
                 {"DELETE FROM runs WHERE id = ?", &runs}};
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof steps / sizeof *steps; k++) {
        sqlite3_stmt *st;
        if (lab_prepare(db, steps[k].sql, &st) != 0)
            return -1;
        for (int64_t i = 0; rc == 0 && i < c->n; i++) {
            sqlite3_bind_int64(st, 1, c->ids[i]);
            if (sqlite3_step(st) != SQLITE_DONE)
                rc = el_fail("removing run %lld: %s", (long long)c->ids[i], sqlite3_errmsg(db));
            *steps[k].count += sqlite3_changes(db);
            sqlite3_reset(st);
        }
        sqlite3_finalize(st);
    }
    return rc;
}

/* Drops the tokenizers rows of the removed runs that nothing points to any
 * more (db_tokenizer_drop_unused, as embed rm does), their specs into
 * out->tokenizers. */
static int drop_tokenizers(sqlite3 *db, const Chosen *c, RunRemoved *out) {
    for (int64_t i = 0; i < c->n; i++) {
        char spec[128] = "";
        if (c->tok_ids[i] > 0 && db_tokenizer_drop_unused(db, c->tok_ids[i], spec, sizeof spec) != 0)
            return -1;
        size_t len = strlen(out->tokenizers);
        if (spec[0]) /* a row goes once: the next run that had it finds it gone */
            snprintf(out->tokenizers + len, sizeof out->tokenizers - len, "%s%s", len ? ", " : "", spec);
    }
    return 0;
}

/* Sets the connection's secure_delete to value and returns the one it had
 * (-1 if unknown). Debian's SQLite zeroes every deleted byte by default
 * (SQLITE_SECURE_DELETE): removing an 88 MB model then writes 88 MB to the
 * WAL, which needs that much free disk, and as much again at the
 * checkpoint. FAST zeroes only what stays in b-tree pages; freed pages keep
 * their old bytes until reused or vacuumed, which a lab notebook does not
 * mind. Measured on five runs of 8 MB: 0.52 s and a 40 MB WAL, against 0.22
 * s and 49 KB. */
static int secure_delete(sqlite3 *db, int value) {
    sqlite3_stmt *st;
    char sql[48]; /* SQLite reads 2 as a boolean: FAST is spelt out */
    snprintf(sql, sizeof sql, "PRAGMA secure_delete = %s", value == 2 ? "FAST" : value ? "1" : "0");
    if (sqlite3_prepare_v2(db, "PRAGMA secure_delete", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int old = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    if (value >= 0)
        sqlite3_exec(db, sql, NULL, NULL, NULL);
    return old;
}

int run_remove(sqlite3 *db, const RunSelection *sel, RunRemoved *out) {
    memset(out, 0, sizeof *out);
    Chosen c = {0};
    int64_t before = 0, after = 0;
    int secure = secure_delete(db, 2); /* 2: FAST */
    int rc = lab_begin(db);
    if (rc == 0)
        rc = used_bytes(db, &before);
    if (rc == 0)
        rc = select_runs(db, sel, &c);
    if (rc == 0)
        rc = delete_runs(db, &c, out);
    if (rc == 0)
        rc = drop_tokenizers(db, &c, out);
    if (rc == 0)
        rc = used_bytes(db, &after);
    if (rc == 0)
        rc = lab_commit(db);
    if (secure >= 0)
        secure_delete(db, secure);
    if (rc != 0) {
        lab_rollback(db);
        free(c.ids);
        free(c.tok_ids);
        memset(out, 0, sizeof *out);
        return -1;
    }
    free(c.tok_ids);
    out->ids = c.ids;
    out->n = c.n;
    out->bytes = before > after ? before - after : 0;
    return 0;
}

void run_removed_free(RunRemoved *r) {
    free(r->ids);
    memset(r, 0, sizeof *r);
}
