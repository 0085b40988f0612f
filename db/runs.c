/* db/runs.c: writing and reading classifier runs. */
#include "db/runs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "db/lab.h"
#include "db/owner.h"

/* The INSERT of a run: the config is SQLite's json_object() over the keys and
 * values, bound in pairs from parameter FIRST_VALUE on, so keys, names and
 * paths are escaped properly. The provenance's named parameters come after
 * every numbered one. */
enum { FIRST_VALUE = 8 };

/* Appends "json_object(...)" over the nv values to sql (n bytes, len used),
 * the keys and values numbered in pairs from parameter FIRST_VALUE on (what
 * bind_values binds); the new length (n or more when it does not fit). The
 * INSERT of a run and the search for an equal finished one both build the
 * config with it, so equal values give equal JSON text. */
static size_t json_object_sql(char *sql, size_t n, size_t len, const RunValue *v, int nv) {
    if (len < n)
        len += (size_t)snprintf(sql + len, n - len, "json_object(");
    for (int i = 0; i < nv && len < n; i++) {
        int flag = v[i].type == RUN_VALUE_BOOL; /* bound as the text true/false, read as JSON */
        int k = FIRST_VALUE + 2 * i;
        len += (size_t)snprintf(sql + len, n - len, "%s?%d, %s?%d%s", i ? ", " : "", k, flag ? "json(" : "", k + 1,
                                flag ? ")" : "");
    }
    if (len < n)
        len += (size_t)snprintf(sql + len, n - len, ")");
    return len;
}

/* The INSERT of a run into sql: 0, or -1 when it does not fit in n bytes. */
static int insert_sql(char *sql, size_t n, const RunValue *v, int nv) {
    size_t len = (size_t)snprintf(sql, n,
                                  "INSERT INTO runs(kind, sweep_id, embedding_id, host, pid, pid_start, heartbeat, "
                                  "sweep_key, config, provenance) VALUES ('classifier', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ");
    len = json_object_sql(sql, n, len, v, nv);
    if (len < n)
        len += (size_t)snprintf(sql + len, n - len, ", " LAB_PROVENANCE_JSON ")");
    return len < n ? 0 : el_fail("recording the run: its configuration has too many keys");
}

/* Binds the keys and values to their parameters; a null value is left
 * unbound (JSON null). */
static void bind_values(sqlite3_stmt *st, const RunValue *v, int nv) {
    for (int i = 0; i < nv; i++) {
        int k = FIRST_VALUE + 2 * i + 1;
        sqlite3_bind_text(st, k - 1, v[i].key, -1, SQLITE_STATIC);
        switch (v[i].type) {
        case RUN_VALUE_NULL: break;
        case RUN_VALUE_INT: sqlite3_bind_int64(st, k, v[i].i); break;
        case RUN_VALUE_REAL: sqlite3_bind_double(st, k, v[i].r); break;
        case RUN_VALUE_BOOL: sqlite3_bind_text(st, k, v[i].i ? "true" : "false", -1, SQLITE_STATIC); break;
        case RUN_VALUE_TEXT: sqlite3_bind_text(st, k, v[i].text, -1, SQLITE_STATIC); break;
        }
    }
}

/* Binds this process as a run's owner to the parameters numbered host, pid,
 * start and heartbeat. */
static void bind_owner(sqlite3_stmt *st, int host, int pid, int start, int heartbeat) {
    Owner me;
    owner_self(&me);
    sqlite3_bind_text(st, host, me.host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, pid, me.pid);
    if (me.start > 0)
        sqlite3_bind_int64(st, start, me.start);
    sqlite3_bind_double(st, heartbeat, owner_now());
}

/* Marks the lost runs (owner gone) among the running ones; sweep 0: all of them. */
int run_mark_lost(sqlite3 *db, int64_t sweep) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "UPDATE runs SET status = 'lost', finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),"
                    " error = printf('its process (pid %d on %s) ended without finishing it', pid, host)"
                    " WHERE status = 'running' AND (?1 = 0 OR sweep_id = ?1)"
                    " AND id IN (SELECT run_id FROM run_status WHERE status = 'lost')",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, sweep);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("marking lost runs: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int run_point_state(sqlite3 *db, int64_t sweep, const char *key) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT max(CASE s.status WHEN 'finished' THEN 2 WHEN 'running' THEN 1 ELSE 0 END)"
                    " FROM runs r JOIN run_status s ON s.run_id = r.id"
                    " WHERE r.sweep_id = ? AND r.sweep_key = ? AND r.status IN ('running', 'finished')",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, sweep);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int state = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    if (state < 0)
        el_fail("database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return state == 2 ? RUN_POINT_FINISHED : state == 1 ? RUN_POINT_RUNNING : state;
}

int run_insert(sqlite3 *db, const RunValue *config, int n, int threads, int64_t sweep_id, const char *sweep_key,
               int64_t embedding_id, int64_t *run_id) {
    /* A grid point is claimed under the write lock: the check and the insert
     * are one transaction, so of several sweeps only one runs it. */
    int claim = sweep_id > 0 && sweep_key;
    if (claim) {
        if (lab_begin(db) != 0)
            return -1;
        int state = run_mark_lost(db, sweep_id) == 0 ? run_point_state(db, sweep_id, sweep_key) : -1;
        if (state != RUN_POINT_FREE) {
            lab_rollback(db);
            return state < 0 ? -1 : 1;
        }
    }
    sqlite3_stmt *st;
    char sql[4096];
    if (insert_sql(sql, sizeof sql, config, n) != 0 || lab_prepare(db, sql, &st) != 0) {
        lab_rollback(db);
        return -1;
    }
    if (sweep_id > 0)
        sqlite3_bind_int64(st, 1, sweep_id);
    if (embedding_id > 0)
        sqlite3_bind_int64(st, 2, embedding_id);
    bind_owner(st, 3, 4, 5, 6);
    if (sweep_key)
        sqlite3_bind_text(st, 7, sweep_key, -1, SQLITE_STATIC);
    bind_values(st, config, n);
    lab_bind_provenance(st, threads > 0 ? threads : el_threads());
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("recording the run: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc == 0)
        *run_id = sqlite3_last_insert_rowid(db);
    if (claim && rc == 0)
        rc = lab_commit(db);
    if (rc != 0)
        lab_rollback(db);
    return rc;
}

int run_find_finished(sqlite3 *db, const RunValue *config, int n, int64_t embedding_id, int64_t tokenizer_id,
                      int64_t *run_id, RunResult *r) {
    char sql[4096];
    size_t len =
        (size_t)snprintf(sql, sizeof sql,
                         "SELECT r.id, s.test_loss, s.test_acc, s.val_loss, s.val_acc, s.best_epoch, s.epochs, "
                         "s.params, s.seconds, s.seconds_per_epoch, s.input_bytes, s.onehot_bytes "
                         "FROM runs r JOIN results s ON s.run_id = r.id WHERE r.kind = 'classifier' "
                         "AND r.status = 'finished' AND r.embedding_id IS ?1 AND r.tokenizer_id IS ?2 "
                         "AND r.config = ");
    len = json_object_sql(sql, sizeof sql, len, config, n);
    if (len < sizeof sql)
        len += (size_t)snprintf(sql + len, sizeof sql - len, " ORDER BY r.id DESC LIMIT 1");
    if (len >= sizeof sql)
        return el_fail("looking for an equal run: its configuration has too many keys");
    sqlite3_stmt *st;
    if (lab_prepare(db, sql, &st) != 0)
        return -1;
    if (embedding_id > 0)
        sqlite3_bind_int64(st, 1, embedding_id);
    if (tokenizer_id > 0)
        sqlite3_bind_int64(st, 2, tokenizer_id);
    bind_values(st, config, n);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(r, 0, sizeof *r);
        *run_id = sqlite3_column_int64(st, 0);
        r->test_loss = sqlite3_column_double(st, 1);
        r->test_acc = sqlite3_column_double(st, 2);
        r->val_loss = sqlite3_column_double(st, 3);
        r->val_acc = sqlite3_column_double(st, 4);
        r->best_epoch = sqlite3_column_int(st, 5);
        r->epochs = sqlite3_column_int(st, 6);
        r->params = sqlite3_column_int64(st, 7);
        r->seconds = sqlite3_column_double(st, 8);
        r->seconds_per_epoch = sqlite3_column_double(st, 9);
        r->input_bytes = sqlite3_column_int64(st, 10);
        r->onehot_bytes = sqlite3_column_int64(st, 11);
    }
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return found;
}

int run_claim_embedding(sqlite3 *db, const char *name) {
    if (lab_begin(db) != 0)
        return -1;
    sqlite3_stmt *st;
    /* A claim whose owner is gone is void. */
    int rc = lab_prepare(db,
                         "DELETE FROM embedding_claims WHERE name = ?"
                         " AND NOT owner_alive(host, pid, pid_start, heartbeat, 0)",
                         &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = lab_prepare(db,
                         "INSERT OR IGNORE INTO embedding_claims(name, host, pid, pid_start, heartbeat)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
                         &st);
    int taken = 0;
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        bind_owner(st, 2, 3, 4, 5);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("database: %s", sqlite3_errmsg(db));
        taken = sqlite3_changes(db) == 0;
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = lab_commit(db);
    lab_rollback(db);
    return rc != 0 ? -1 : taken;
}

void run_release_embedding(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "DELETE FROM embedding_claims WHERE name = ? AND host = ? AND pid = ?", &st) != 0)
        return;
    Owner me;
    owner_self(&me);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, me.host, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, me.pid);
    sqlite3_step(st);
    sqlite3_finalize(st);
}

int run_insert_epoch(sqlite3 *db, int64_t run, const RunEpoch *e) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "INSERT INTO epochs(run_id, epoch, train_loss, train_acc, val_loss, val_acc, seconds) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int(st, 2, e->epoch);
    sqlite3_bind_double(st, 3, e->train_loss);
    sqlite3_bind_double(st, 4, e->train_acc);
    sqlite3_bind_double(st, 5, e->val_loss);
    sqlite3_bind_double(st, 6, e->val_acc);
    sqlite3_bind_double(st, 7, e->seconds);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("recording epoch %d: %s", e->epoch, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    /* The heartbeat: how another host tells this run from a lost one. */
    if (rc == 0 && lab_prepare(db, "UPDATE runs SET heartbeat = ? WHERE id = ?", &st) == 0) {
        sqlite3_bind_double(st, 1, owner_now());
        sqlite3_bind_int64(st, 2, run);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("recording epoch %d: %s", e->epoch, sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    return rc;
}

int run_save_results(sqlite3 *db, int64_t run, const RunResult *r, const real *params, int64_t nparams,
                     const char *vocab, size_t vocab_len) {
    return run_save_model(db, run, r, sizeof(real) == 4 ? "float32-le" : "float64-le", params,
                          (size_t)nparams * sizeof(real), vocab, vocab_len);
}

/* models.hash (schema 9): 16 hex digits of the content hash (core/hash.h)
 * of the parameters, the vocabulary and the format, in buf[17]. */
static const char *run_model_hash(const char *format, const void *params, size_t bytes, const char *vocab,
                                  size_t vocab_len, char *buf) {
    uint64_t h = hash_bytes(bytes ? params : "", bytes);
    h = hash_mix(h, hash_bytes(vocab_len ? vocab : "", vocab_len));
    h = hash_mix(h, hash_bytes(format, strlen(format)));
    snprintf(buf, 17, "%016" PRIx64, h);
    return buf;
}

int run_save_model(sqlite3 *db, int64_t run, const RunResult *r, const char *format, const void *params, size_t bytes,
                   const char *vocab, size_t vocab_len) {
    if (!vocab) /* stored as text, never NULL: a NULL reads as damage */
        vocab = "", vocab_len = 0;
    if (lab_begin(db) != 0)
        return -1;
    sqlite3_stmt *st;
    int rc = lab_prepare(db,
                         "INSERT INTO results(run_id, test_loss, test_acc, val_loss, val_acc, best_epoch, epochs, "
                         "params, seconds, seconds_per_epoch, input_bytes, onehot_bytes) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &st);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_double(st, 2, r->test_loss);
        sqlite3_bind_double(st, 3, r->test_acc);
        sqlite3_bind_double(st, 4, r->val_loss);
        sqlite3_bind_double(st, 5, r->val_acc);
        sqlite3_bind_int(st, 6, r->best_epoch);
        sqlite3_bind_int(st, 7, r->epochs);
        sqlite3_bind_int64(st, 8, r->params);
        sqlite3_bind_double(st, 9, r->seconds);
        sqlite3_bind_double(st, 10, r->seconds_per_epoch);
        sqlite3_bind_int64(st, 11, r->input_bytes);
        sqlite3_bind_int64(st, 12, r->onehot_bytes);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("recording results: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = lab_prepare(db, "INSERT INTO models(run_id, format, params, vocab, hash) VALUES (?, ?, ?, ?, ?)", &st);
    if (rc == 0) {
        char hash[17];
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, format, -1, SQLITE_STATIC);
        sqlite3_bind_blob64(st, 3, params, (sqlite3_uint64)bytes, SQLITE_STATIC);
        sqlite3_bind_text64(st, 4, vocab, vocab_len, SQLITE_STATIC, SQLITE_UTF8);
        sqlite3_bind_text(st, 5, run_model_hash(format, params, bytes, vocab, vocab_len, hash), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("recording parameters: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc == 0 && r->npred > 0)
        rc = lab_prepare(db, "INSERT INTO predictions(run_id, n, probs, labels) VALUES (?, ?, ?, ?)", &st);
    if (rc == 0 && r->npred > 0) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, r->npred);
        sqlite3_bind_blob64(st, 3, r->pred_probs, (sqlite3_uint64)r->npred * sizeof(float), SQLITE_STATIC);
        sqlite3_bind_blob64(st, 4, r->pred_labels, (sqlite3_uint64)r->npred, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("recording predictions: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = lab_prepare(db,
                         "UPDATE runs SET status = 'finished', finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                         "WHERE id = ? AND status = 'running'",
                         &st);
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = el_fail("finishing the run: %s", sqlite3_errmsg(db));
        /* Marked lost meanwhile (no heartbeat seen from another host): its
         * grid point may already run again, and must finish only once. */
        else if (sqlite3_changes(db) == 0)
            rc = el_fail("run %lld is no longer running (another process marked it lost); its results are not kept",
                         (long long)run);
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = lab_commit(db);
    if (rc != 0)
        lab_rollback(db);
    return rc;
}

int run_set_status(sqlite3 *db, int64_t run, const char *status, const char *error) {
    sqlite3_stmt *st;
    lab_rollback(db);
    if (lab_prepare(db,
                    "UPDATE runs SET status = ?, error = ?, finished = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                    "WHERE id = ? AND status = 'running'", /* a lost run stays lost */
                    &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, error, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, run);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("marking run %lld: %s", (long long)run, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc;
}

int run_config_each(sqlite3 *db, int64_t run, int (*fn)(const char *key, const char *value, void *ctx), void *ctx) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT j.key, j.value FROM runs, json_each(runs.config) AS j WHERE runs.id = ? AND kind = "
                    "'classifier'",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rows = 0, rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        const char *k = (const char *)sqlite3_column_text(st, 0);
        char num[64];
        const char *v = num;
        switch (sqlite3_column_type(st, 1)) {
        case SQLITE_NULL: continue;
        case SQLITE_INTEGER: snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, 1)); break;
        case SQLITE_FLOAT: snprintf(num, sizeof num, "%.17g", sqlite3_column_double(st, 1)); break;
        default: v = (const char *)sqlite3_column_text(st, 1); break;
        }
        if (k && v && fn(k, v, ctx) != 0)
            rc = -1;
    }
    sqlite3_finalize(st);
    if (rc == 0 && !rows)
        return el_fail("no classifier run with id %lld (see 'embedlab runs')", (long long)run);
    return rc;
}

/* The checks of a models row before its model is used: a vocabulary (a
 * finished run always stores one), a format, and, when the row has a hash
 * (schema 9 on), bytes that match it. 0, or -1 with a message naming the run. */
static int check_model_row(sqlite3_stmt *st, int64_t run) {
    const void *blob = sqlite3_column_blob(st, 0);
    size_t n = (size_t)sqlite3_column_bytes(st, 0);
    const char *vocab = (const char *)sqlite3_column_text(st, 1);
    size_t vocab_len = (size_t)sqlite3_column_bytes(st, 1);
    const char *format = (const char *)sqlite3_column_text(st, 2);
    const char *hash = (const char *)sqlite3_column_text(st, 4);
    if (!vocab || !format)
        return el_fail("run %lld: its stored model is damaged (models.%s is NULL)", (long long)run,
                       vocab ? "format" : "vocab");
    char want[17];
    if (hash && strcmp(hash, run_model_hash(format, blob, n, vocab, vocab_len, want)) != 0)
        return el_fail("run %lld: its stored model does not match its hash (models row damaged or changed)",
                       (long long)run);
    return 0;
}

int run_read_model(sqlite3 *db, int64_t run, RunModel *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT m.params, m.vocab, m.format, r.embedding_id, m.hash FROM models m JOIN runs r ON r.id = "
                    "m.run_id WHERE m.run_id = ?",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = el_fail("run %lld has no trained parameters (did it finish? see 'embedlab runs')", (long long)run);
    else
        rc = check_model_row(st, run);
    if (rc == 0) {
        const void *blob = sqlite3_column_blob(st, 0);
        sqlite3_int64 n = sqlite3_column_bytes(st, 0);
        out->bytes = (size_t)n;
        out->params = xmalloc((size_t)n + 1);
        if (n > 0)
            memcpy(out->params, blob, (size_t)n);
        out->vocab = xstrdup((const char *)sqlite3_column_text(st, 1));
        out->format = xstrdup((const char *)sqlite3_column_text(st, 2));
        out->embedding_id = sqlite3_column_int64(st, 3); /* NULL: 0 */
    }
    sqlite3_finalize(st);
    return rc;
}

void run_model_free(RunModel *m) {
    free(m->params);
    free(m->vocab);
    free(m->format);
    memset(m, 0, sizeof *m);
}

int run_read_predictions(sqlite3 *db, int64_t run, RunPredictions *p) {
    memset(p, 0, sizeof *p);
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT p.n, p.probs, p.labels FROM runs r LEFT JOIN predictions p ON p.run_id = r.id "
                    "WHERE r.id = ? AND r.status = 'finished'",
                    &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, run);
    int rc = 0;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = el_fail("run %lld is not a finished run", (long long)run);
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        rc = el_fail("run %lld has no stored test predictions (it finished before they were kept)", (long long)run);
    else {
        /* Sizes from the file are checked before anything is allocated. */
        sqlite3_int64 n = sqlite3_column_int64(st, 0);
        const void *probs = sqlite3_column_blob(st, 1);
        sqlite3_int64 pbytes = sqlite3_column_bytes(st, 1);
        const uint8_t *labels = sqlite3_column_blob(st, 2);
        sqlite3_int64 lbytes = sqlite3_column_bytes(st, 2);
        if (n <= 0 || n > INT32_MAX || pbytes != n * (sqlite3_int64)sizeof(float) || lbytes != n || !probs || !labels)
            rc = el_fail("run %lld: its stored predictions are damaged (%lld reviews, %lld and %lld bytes)",
                         (long long)run, (long long)n, (long long)pbytes, (long long)lbytes);
        for (sqlite3_int64 i = 0; rc == 0 && i < n; i++)
            if (labels[i] > 1)
                rc = el_fail("run %lld: its stored predictions are damaged (label %d)", (long long)run, labels[i]);
        if (rc == 0) {
            p->n = n;
            p->probs = xmalloc((size_t)n * sizeof(float));
            p->labels = xmalloc((size_t)n);
            memcpy(p->probs, probs, (size_t)n * sizeof(float));
            memcpy(p->labels, labels, (size_t)n);
            for (sqlite3_int64 i = 0; rc == 0 && i < n; i++)
                if (!(p->probs[i] >= 0 && p->probs[i] <= 1)) /* NaN fails too */
                    rc = el_fail("run %lld: its stored predictions are damaged (probability %g)", (long long)run,
                                 (double)p->probs[i]);
            if (rc != 0)
                run_predictions_free(p);
        }
    }
    sqlite3_finalize(st);
    return rc;
}

void run_predictions_free(RunPredictions *p) {
    free(p->probs);
    free(p->labels);
    memset(p, 0, sizeof *p);
}
