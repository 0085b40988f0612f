/* web/router.c: a request to its answer: a built-in asset, or a JSON
 * endpoint over a read-only connection opened for the request. Nothing
 * outside the assets table is ever served as a file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"
#include "web/api.h"

typedef struct {
    const char *method, *path;
    int prefix; /* path is a prefix: what follows is the endpoint's rest */
    WebEndpoint fn;
} Route;

static const Route routes[] = {
    {"GET", "/api/status", 0, web_api_status},
    {"GET", "/api/runs", 0, web_api_runs},
    {"GET", "/api/runs/", 1, web_api_epochs}, /* /api/runs/ID/epochs */
    {"GET", "/api/epochs", 0, web_api_epochs},
    {"GET", "/api/compare", 0, web_api_compare},
    {"GET", "/api/sweeps", 0, web_api_sweeps},
    {"GET", "/api/sweeps/", 1, web_api_sweeps},
    {"GET", "/api/embeddings", 0, web_api_embeddings},
    {"GET", "/api/nearest", 0, web_api_nearest},
    {"GET", "/api/analogy", 0, web_api_analogy},
    {"GET", "/api/project", 0, web_api_project},
    {"GET", "/api/knn", 0, web_api_knn},
    {"GET", "/api/align", 0, web_api_align},
    {"POST", "/api/predict", 0, web_api_predict},
    {NULL, NULL, 0, NULL},
};

const char *web_param(const WebRequest *q, const char *key) {
    for (int i = 0; i < q->nparams; i++)
        if (q->params[i].key && strcmp(q->params[i].key, key) == 0)
            return q->params[i].value ? q->params[i].value : "";
    return NULL;
}

int web_int_param(const WebRequest *q, const char *key, long lo, long hi, long def, long *out, WebResponse *r) {
    const char *v = web_param(q, key);
    if (!v) {
        *out = def;
        return 0;
    }
    char *end;
    long x = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || x < lo || x > hi) {
        web_error(r, 400, "%s must be a whole number from %ld to %ld", key, lo, hi);
        return -1;
    }
    *out = x;
    return 0;
}

void web_error(WebResponse *r, int status, const char *fmt, ...) {
    char msg[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jb_free(&r->body);
    r->status = status;
    r->type = "application/json";
    jb_raw(&r->body, "{\"error\":");
    jb_str(&r->body, msg);
    jb_raw(&r->body, "}");
}

int web_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, WebResponse *r) {
    if (sqlite3_prepare_v2(db, sql, -1, st, NULL) == SQLITE_OK)
        return 0;
    web_error(r, 500, "database: %s", sqlite3_errmsg(db));
    return -1;
}

void web_sql_json(sqlite3 *db, sqlite3_stmt *st, WebResponse *r) {
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        jb_free(&r->body);
        jb_rawn(&r->body, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0));
        r->status = 200;
        r->type = "application/json";
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        web_error(r, 404, "not found");
    } else {
        web_error(r, 500, "database: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
}

char *web_id_list(const char *list, int max, WebResponse *r) {
    JsonBuf b = {0};
    int n = 0;
    const char *p = list ? list : "";
    jb_raw(&b, "[");
    while (*p) {
        char *end;
        long long id = strtoll(p, &end, 10);
        if (end == p || id < 1 || (*end != ',' && *end != '\0') || ++n > max) {
            jb_free(&b);
            web_error(r, 400, "runs must be up to %d run ids separated by commas, such as 3,4,5", max);
            return NULL;
        }
        if (n > 1)
            jb_raw(&b, ",");
        jb_int(&b, id);
        p = *end ? end + 1 : end;
    }
    if (n == 0) {
        jb_free(&b);
        web_error(r, 400, "runs must name at least one run id, such as runs=3,4,5");
        return NULL;
    }
    jb_raw(&b, "]");
    return b.data;
}

/* The built-in asset at path ("/" is the page), or NULL. */
static const WebAsset *find_asset(const char *path) {
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    for (const WebAsset *a = web_assets; a->path; a++)
        if (strcmp(a->path, path) == 0)
            return a;
    return NULL;
}

/* An endpoint on a connection of its own: a missing, replaced or foreign
 * database is a 503 that says why, which the page shows. */
static void call_endpoint(WebState *s, const Route *rt, const WebRequest *q, WebResponse *r) {
    sqlite3 *db;
    if (lab_open_readonly(s->db_path, &db) != 0) {
        web_error(r, 503, "%s", el_error());
        return;
    }
    rt->fn(s, db, q, q->path + strlen(rt->path), r);
    lab_close(db);
}

void web_handle(WebState *s, const WebRequest *q, WebResponse *r) {
    memset(r, 0, sizeof *r);
    r->cache = "no-store";
    const char *method = q->method ? q->method : "";
    const char *path = q->path ? q->path : "";
    if (q->body_len > WEB_MAX_BODY || q->nparams > WEB_MAX_PARAMS)
        return web_error(r, 413, "request too large (at most %d bytes of body and %d parameters)", WEB_MAX_BODY,
                         WEB_MAX_PARAMS);
    int path_known = 0;
    for (const Route *rt = routes; rt->path; rt++) {
        size_t n = strlen(rt->path);
        if (rt->prefix ? strncmp(path, rt->path, n) != 0 || path[n] == '\0' : strcmp(path, rt->path) != 0)
            continue;
        path_known = 1;
        if (strcmp(method, rt->method) == 0)
            return call_endpoint(s, rt, q, r);
    }
    if (path_known)
        return web_error(r, 405, "method %.16s not allowed here", method);
    const WebAsset *a = find_asset(path);
    if (!a)
        return web_error(r, 404, "no such page or endpoint");
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return web_error(r, 405, "method %.16s not allowed here", method);
    r->status = 200;
    r->type = a->type;
    r->fixed = a->data;
    r->fixed_len = a->len;
}

void web_response_free(WebResponse *r) { jb_free(&r->body); }

WebState *web_state_new(const char *db_path) {
    WebState *s = xcalloc(1, sizeof *s);
    s->db_path = xstrdup(db_path);
    s->emb = web_emb_cache_new();
    pthread_mutex_init(&s->compute, NULL);
    return s;
}

void web_state_free(WebState *s) {
    if (!s)
        return;
    web_emb_cache_free(s->emb);
    pthread_mutex_destroy(&s->compute);
    free(s->db_path);
    free(s);
}
