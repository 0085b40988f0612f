/* web/api_predict.c: POST /api/predict with {"runs": [ID, ...], "text":
 * "..."}: each finished run's P(positive) of the text, tokenized and shaped
 * as that run was trained (experiments/run/saved_run.h). The body is read
 * with SQLite's JSON functions, not a parser of ours. */
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "experiments/run/saved_run.h"
#include "web/api.h"

enum { MAX_PREDICT_RUNS = 16 };

/* The text and run ids of body; 0, or -1 after a 400. */
static int read_body(sqlite3 *db, const WebRequest *q, char **text, int64_t *ids, int *n, WebResponse *r) {
    sqlite3_stmt *st;
    *text = NULL;
    *n = 0;
    if (web_prepare(db,
                    "SELECT json_extract(?1, '$.text'), j.value, j.type FROM (SELECT 1) LEFT JOIN "
                    "json_each(?1, '$.runs') j WHERE json_valid(?1) AND json_type(?1, '$.text') = 'text' "
                    "AND json_type(?1, '$.runs') = 'array'",
                    &st, r) != 0)
        return -1;
    sqlite3_bind_text(st, 1, q->body ? q->body : "", (int)q->body_len, SQLITE_STATIC);
    int ok = 1, rc;
    while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!*text)
            *text = xstrdup((const char *)sqlite3_column_text(st, 0));
        if (sqlite3_column_type(st, 1) == SQLITE_NULL)
            continue;
        const char *type = (const char *)sqlite3_column_text(st, 2);
        if (*n >= MAX_PREDICT_RUNS || !type || strcmp(type, "integer") != 0 || sqlite3_column_int64(st, 1) < 1)
            ok = 0;
        else
            ids[(*n)++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (!ok || !*text || *n == 0) {
        free(*text);
        *text = NULL;
        web_error(r, 400, "the body is JSON {\"runs\": [1 to %d run ids], \"text\": \"a review\"}", MAX_PREDICT_RUNS);
        return -1;
    }
    return 0;
}

void web_api_predict(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    char *text;
    int64_t ids[MAX_PREDICT_RUNS];
    int n;
    if (read_body(db, q, &text, ids, &n, r) != 0)
        return;
    JsonBuf *b = &r->body;
    pthread_mutex_lock(&s->compute);
    jb_raw(b, "{\"predictions\":[");
    for (int i = 0; i < n; i++) {
        SavedRun run;
        real p = 0;
        jb_raw(b, i ? ",{\"run\":" : "{\"run\":");
        jb_int(b, ids[i]);
        if (saved_run_load(db, ids[i], &run) != 0) {
            jb_raw(b, ",\"error\":");
            jb_str(b, el_error());
        } else {
            if (saved_run_predict(&run, &text, 1, &p) != 0) {
                jb_raw(b, ",\"error\":");
                jb_str(b, el_error());
            } else {
                jb_raw(b, ",\"tokenizer\":");
                jb_str(b, tokenizer_spec(run.tok));
                jb_raw(b, ",\"p\":");
                jb_num(b, p);
            }
            saved_run_free(&run);
        }
        jb_raw(b, "}");
    }
    jb_raw(b, "]}");
    pthread_mutex_unlock(&s->compute);
    r->status = 200;
    r->type = "application/json";
    free(text);
}
