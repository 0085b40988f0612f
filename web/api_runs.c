/* web/api_runs.c: /api/status, /api/runs, /api/epochs (and
 * /api/runs/ID/epochs), /api/compare. The JSON is built in SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"
#include "db/runs.h"
#include "web/api.h"
#include "web/review_text.h"

void web_api_status(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)q, (void)rest;
    sqlite3_stmt *st;
    if (web_prepare(db,
                    "SELECT json_object('db', ?1, 'schema', (SELECT user_version FROM pragma_user_version), "
                    "'runs', (SELECT count(*) FROM runs), 'embeddings', (SELECT count(*) FROM embeddings), "
                    "'sweeps', (SELECT count(*) FROM sweeps), 'read_only', 1)",
                    &st, r) != 0)
        return;
    sqlite3_bind_text(st, 1, s->db_path, -1, SQLITE_STATIC);
    web_sql_json(db, st, r);
}

/* Every run, one object each: its row, status (run_status: a dead owner's
 * run reads 'lost'), results, progress of a running one (epoch, ETA from
 * its mean epoch time), and its whole config, from which the page takes
 * cell, input kind, dim, tokenizer, seed and any other column. Built for
 * 10,000 runs: the epochs are aggregated once, and each row's object is
 * text spliced together (its config is stored JSON, checked with
 * json_valid) rather than parsed again by json(), which took half the time. */
static const char runs_sql[] =
    "WITH e AS (SELECT run_id, max(epoch) AS epoch, max(val_acc) AS best_val, avg(seconds) AS spe\n"
    "           FROM epochs GROUP BY run_id)\n"
    "SELECT '{\"now\":\"' || strftime('%Y-%m-%dT%H:%M:%SZ', 'now') || '\",\"runs\":[' ||\n"
    "  coalesce(group_concat(j, ','), '') || ']}' FROM (\n"
    "SELECT substr(o, 1, length(o) - 1) || ',\"config\":' ||\n"
    "  CASE WHEN json_valid(config) THEN config ELSE '{}' END || '}' AS j FROM (\n"
    "SELECT r.config, json_object('id', r.id, 'kind', r.kind, 'sweep', r.sweep_id, 'status', st.status,\n"
    "  'host', r.host, 'started', r.started, 'finished', r.finished, 'error', r.error, 'epoch', e.epoch,\n"
    "  'epochs', s.epochs, 'test_acc', s.test_acc, 'test_loss', s.test_loss,\n"
    "  'best_val_acc', coalesce(e.best_val, s.val_acc), 'sec_per_epoch', coalesce(s.seconds_per_epoch, e.spe),\n"
    "  'eta', CASE WHEN st.status = 'running' AND e.spe IS NOT NULL THEN\n"
    "    max(0, coalesce(json_extract(r.config, '$.epochs'), e.epoch) - e.epoch) * e.spe END) AS o\n"
    "FROM runs r JOIN run_status st ON st.run_id = r.id LEFT JOIN results s ON s.run_id = r.id\n"
    "LEFT JOIN e ON e.run_id = r.id WHERE ?1 IS NULL OR r.sweep_id = ?1 ORDER BY r.id))";

/* The runs view's table at first sight (?lean=1): the same runs as rows of
 * the columns it shows, named once in "fields", no config (the page asks
 * for the configs only when a config field is wanted). A sixth of the bytes
 * of runs_sql's answer at 10,000 runs, and less to parse. */
static const char lean_sql[] =
    "WITH e AS (SELECT run_id, max(epoch) AS epoch, max(val_acc) AS best_val, avg(seconds) AS spe\n"
    "           FROM epochs GROUP BY run_id)\n"
    "SELECT '{\"now\":\"' || strftime('%Y-%m-%dT%H:%M:%SZ', 'now') || '\",\"fields\":[\"id\",\"kind\",\"sweep\",'\n"
    "  || "
    "'\"status\",\"host\",\"error\",\"epoch\",\"epochs\",\"test_acc\",\"best_val_acc\",\"sec_per_epoch\",\"eta\",'\n"
    "  || '\"cell\",\"input_kind\",\"dim\",\"tokenizer\",\"seed\"],\"rows\":[' || coalesce(group_concat(j, ','), '')\n"
    "  || ']}' FROM (\n"
    "SELECT json_array(r.id, r.kind, r.sweep_id, st.status, r.host, r.error, e.epoch,\n"
    "  coalesce(s.epochs, json_extract(r.config, '$.epochs')), s.test_acc, coalesce(e.best_val, s.val_acc),\n"
    "  coalesce(s.seconds_per_epoch, e.spe), CASE WHEN st.status = 'running' AND e.spe IS NOT NULL THEN\n"
    "    max(0, coalesce(json_extract(r.config, '$.epochs'), e.epoch) - e.epoch) * e.spe END,\n"
    "  json_extract(r.config, '$.cell'), json_extract(r.config, '$.input_kind'), json_extract(r.config, '$.dim'),\n"
    "  json_extract(r.config, '$.tokenizer'), json_extract(r.config, '$.seed')) AS j\n"
    "FROM runs r JOIN run_status st ON st.run_id = r.id LEFT JOIN results s ON s.run_id = r.id\n"
    "LEFT JOIN e ON e.run_id = r.id WHERE ?1 IS NULL OR r.sweep_id = ?1 ORDER BY r.id)";

/* Every run, or with ?sweep=ID those of one sweep; ?lean=1 as rows. */
void web_api_runs(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)s, (void)rest;
    long sweep, lean;
    sqlite3_stmt *st;
    if (web_int_param(q, "sweep", 0, 0x7fffffffL, 0, &sweep, r) != 0 ||
        web_int_param(q, "lean", 0, 1, 0, &lean, r) != 0 || web_prepare(db, lean ? lean_sql : runs_sql, &st, r) != 0)
        return;
    if (sweep > 0)
        sqlite3_bind_int64(st, 1, sweep);
    web_sql_json(db, st, r);
}

/* The epochs of the chosen runs written after the cursor `since` (an
 * epochs rowid: rows are only ever appended while a run trains), with the
 * new cursor and each run's status and config, so a page polls for what is
 * new without the list of every run. */
static const char epochs_sql[] =
    "SELECT json_object('cursor', (SELECT coalesce(max(rowid), 0) FROM epochs),\n"
    "  'fields', json_array('run', 'epoch', 'train_loss', 'train_acc', 'val_loss', 'val_acc', 'seconds'),\n"
    "  'epochs', (SELECT coalesce(json_group_array(json_array(run_id, epoch, train_loss, train_acc, val_loss,\n"
    "     val_acc, seconds)), '[]') FROM (SELECT * FROM epochs WHERE run_id IN (SELECT value FROM json_each(?1))\n"
    "     AND rowid > ?2 ORDER BY run_id, epoch)),\n"
    "  'runs', (SELECT coalesce(json_group_array(json_object('id', st.run_id, 'status', st.status,\n"
    "     'test_acc', s.test_acc, 'config', json(r.config))), '[]') FROM run_status st\n"
    "     JOIN runs r ON r.id = st.run_id LEFT JOIN results s ON s.run_id = st.run_id\n"
    "     WHERE st.run_id IN (SELECT value FROM json_each(?1))))";

void web_api_epochs(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)s;
    char one[32];
    const char *list = web_param(q, "runs");
    if (*rest) { /* /api/runs/ID/epochs */
        const char *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (!slash || strcmp(slash, "/epochs") != 0 || n == 0 || n >= sizeof one)
            return web_error(r, 404, "no such endpoint (use /api/runs/ID/epochs)");
        memcpy(one, rest, n);
        one[n] = '\0';
        list = one;
    }
    long since;
    char *ids = web_id_list(list, WEB_MAX_RUNS, r);
    if (!ids)
        return;
    sqlite3_stmt *st;
    if (web_int_param(q, "since", 0, 0x7fffffffL, 0, &since, r) == 0 && web_prepare(db, epochs_sql, &st, r) == 0) {
        sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, since);
        web_sql_json(db, st, r);
    }
    free(ids);
}

/* The chosen runs side by side: each one's config and metrics, and the
 * config keys whose values differ (a key some lack differs too). */
static const char compare_sql[] =
    "WITH sel AS (SELECT value AS id FROM json_each(?1)),\n"
    "  r AS (SELECT runs.* FROM runs JOIN sel ON runs.id = sel.id),\n"
    "  f AS (SELECT j.key, count(DISTINCT j.value) AS nv, count(*) AS nr FROM r, json_each(r.config) j GROUP BY "
    "j.key)\n"
    "SELECT json_object(\n"
    "  'runs', (SELECT coalesce(json_group_array(json_object('id', r.id, 'status', st.status, 'kind', r.kind,\n"
    "     'host', r.host, 'config', json(r.config), 'test_acc', s.test_acc, 'test_loss', s.test_loss,\n"
    "     'val_acc', s.val_acc, 'best_epoch', s.best_epoch, 'epochs', s.epochs, 'params', s.params,\n"
    "     'sec_per_epoch', s.seconds_per_epoch)), '[]')\n"
    "     FROM r JOIN run_status st ON st.run_id = r.id LEFT JOIN results s ON s.run_id = r.id),\n"
    "  'differs', (SELECT coalesce(json_group_array(key), '[]') FROM (SELECT key FROM f\n"
    "     WHERE nv > 1 OR nr < (SELECT count(*) FROM r) ORDER BY key)),\n"
    "  'missing', (SELECT coalesce(json_group_array(id), '[]') FROM sel WHERE id NOT IN (SELECT id FROM r)))";

/* The stored predictions of ids[0..n) into p; 0, or -1 with a message when
 * one has none or they were tested on different reviews. */
static int read_predictions(sqlite3 *db, const int64_t *ids, int n, RunPredictions *p) {
    for (int i = 0; i < n; i++) {
        if (run_read_predictions(db, ids[i], &p[i]) != 0)
            return -1;
        if (p[i].n != p[0].n || memcmp(p[i].labels, p[0].labels, (size_t)p[0].n) != 0)
            return el_fail("runs %lld and %lld were tested on different reviews", (long long)ids[0], (long long)ids[i]);
    }
    return 0;
}

enum { MAX_LISTED = 500 };

/* Appends "disagree": the test reviews on which the runs' stored
 * predictions (db/runs.h) give different labels, at most MAX_LISTED
 * listed, each with its label, every run's probability and its text when
 * the run's data can still be read ("raw" true: as written; false: its
 * words; else "text_error" says why); or
 * "disagree_error" saying why there is no comparison. */
static void disagreements(sqlite3 *db, const int64_t *ids, int n, JsonBuf *b) {
    RunPredictions *p = xcalloc((size_t)n, sizeof *p);
    if (read_predictions(db, ids, n, p) != 0) {
        jb_key(b, "disagree_error", 0);
        jb_str(b, el_error());
    } else {
        int64_t *list = xmalloc(MAX_LISTED * sizeof *list), count = 0;
        int listed = 0;
        for (int64_t k = 0; k < p[0].n; k++) {
            int pos = 0;
            for (int i = 0; i < n; i++)
                pos += p[i].probs[k] >= 0.5f;
            if (pos != 0 && pos != n && count++ < MAX_LISTED)
                list[listed++] = k;
        }
        char **text = xcalloc((size_t)listed + 1, sizeof *text);
        int *raw = xcalloc((size_t)listed + 1, sizeof *raw);
        if (listed > 0 && web_review_texts(db, ids[0], p[0].n, p[0].labels, list, listed, text, raw) != 0) {
            jb_key(b, "text_error", 0);
            jb_str(b, el_error());
        }
        jb_key(b, "disagree", 0);
        jb_raw(b, "[");
        for (int j = 0; j < listed; j++) {
            jb_raw(b, j ? ",{\"review\":" : "{\"review\":");
            jb_int(b, list[j]);
            jb_raw(b, ",\"label\":");
            jb_int(b, p[0].labels[list[j]]);
            jb_raw(b, ",\"text\":");
            jb_str(b, text[j]);
            jb_raw(b, raw[j] ? ",\"raw\":true" : ",\"raw\":false");
            jb_raw(b, ",\"probs\":[");
            for (int i = 0; i < n; i++) {
                jb_raw(b, i ? "," : "");
                jb_num(b, p[i].probs[list[j]]);
            }
            jb_raw(b, "]}");
            free(text[j]);
        }
        jb_raw(b, "]");
        jb_key(b, "disagree_count", 0);
        jb_int(b, count);
        jb_key(b, "reviews", 0);
        jb_int(b, p[0].n);
        free(text);
        free(raw);
        free(list);
    }
    for (int i = 0; i < n; i++)
        run_predictions_free(&p[i]);
    free(p);
}

void web_api_compare(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)s, (void)rest;
    char *ids = web_id_list(web_param(q, "runs"), 16, r);
    if (!ids)
        return;
    sqlite3_stmt *st;
    if (web_prepare(db, compare_sql, &st, r) == 0) {
        sqlite3_bind_text(st, 1, ids, -1, SQLITE_STATIC);
        web_sql_json(db, st, r);
    }
    if (r->status == 200 && r->body.len > 1) { /* add the disagreements before the closing brace */
        int64_t id[16];
        int n = 0;
        for (const char *p = ids + 1; *p && n < 16; p++)
            if (p == ids + 1 || p[-1] == ',')
                id[n++] = strtoll(p, NULL, 10);
        r->body.data[--r->body.len] = '\0';
        disagreements(db, id, n, &r->body);
        jb_raw(&r->body, "}");
    }
    free(ids);
}
