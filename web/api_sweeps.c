/* web/api_sweeps.c: /api/sweeps (every sweep with its progress) and
 * /api/sweeps/ID (its points as the report groups them: cell, input kind,
 * setting and dim, mean and sample sd of test accuracy over seeds, and the
 * runs behind each; experiments/report/sweep_stats.h). */
#include <stdlib.h>
#include <string.h>

#include "db/lab.h"
#include "experiments/report/sweep_stats.h"
#include "web/api.h"

static const char list_sql[] =
    "SELECT json_object('sweeps', coalesce(json_group_array(json(j)), '[]')) FROM (\n"
    "SELECT json_object('id', w.id, 'name', w.name, 'host', w.host, 'created', w.created, 'grid', json(w.config),\n"
    "  'runs', (SELECT count(*) FROM runs r WHERE r.sweep_id = w.id),\n"
    "  'finished', (SELECT count(*) FROM runs r WHERE r.sweep_id = w.id AND r.status = 'finished'),\n"
    "  'running', (SELECT count(*) FROM run_status st JOIN runs r ON r.id = st.run_id\n"
    "               WHERE r.sweep_id = w.id AND st.status = 'running')) AS j\n"
    "FROM sweeps w ORDER BY w.id)";

/* The points; the sample sd over n >= 2 seeds, 0 for one. */
static const char points_sql[] =
    "SELECT json_object('id', w.id, 'name', w.name, 'grid', json(w.config), 'points', (\n"
    "  SELECT coalesce(json_group_array(json_object('cell', cell, 'kind', kind, 'setting', setting, 'dim', dim,\n"
    "    'baseline', baseline, 'n', n, 'mean', mean, 'sd', sd, 'runs', json(runs), 'accs', json(accs))), '[]')\n"
    "  FROM (SELECT cell, kind, setting, dim, baseline, count(*) AS n, avg(test_acc) AS mean,\n"
    "      CASE WHEN count(*) > 1 THEN sqrt(max(0, (sum(test_acc * test_acc) - count(*) * avg(test_acc) *\n"
    "        avg(test_acc)) / (count(*) - 1))) ELSE 0 END AS sd,\n"
    "      json_group_array(run_id) AS runs, json_group_array(test_acc) AS accs\n"
    "    FROM sweep_runs WHERE sweep_id = w.id GROUP BY cell, kind, setting, dim\n"
    "    ORDER BY baseline DESC, cell, kind, setting, dim)))\n"
    "FROM sweeps w WHERE w.id = ?1";

/* sweep_runs_view makes TEMP objects: the connection's own temp schema,
 * which query_only also forbids; lab.db itself stays unwritable (the
 * connection is SQLITE_OPEN_READONLY). */
static int make_view(sqlite3 *db, WebResponse *r) {
    int rc = lab_exec(db, "PRAGMA query_only = 0");
    if (rc == 0)
        rc = sweep_runs_view(db);
    if (lab_exec(db, "PRAGMA query_only = 1") != 0 || rc != 0) {
        web_error(r, 500, "database: %s", sqlite3_errmsg(db));
        return -1;
    }
    return 0;
}

void web_api_sweeps(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)s, (void)q;
    sqlite3_stmt *st;
    if (*rest == '\0') {
        if (web_prepare(db, list_sql, &st, r) == 0)
            web_sql_json(db, st, r);
        return;
    }
    char *end;
    long long id = strtoll(rest, &end, 10);
    if (*end != '\0' || id < 1)
        return web_error(r, 404, "no such sweep (use /api/sweeps/ID)");
    if (make_view(db, r) != 0 || web_prepare(db, points_sql, &st, r) != 0)
        return;
    sqlite3_bind_int64(st, 1, id);
    web_sql_json(db, st, r);
}
