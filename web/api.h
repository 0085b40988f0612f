/* web/api.h: what the router (web/router.c) and the endpoint files
 * (web/api_*.c) share. Every endpoint reads lab.db through one read-only
 * connection opened for its request (db/lab.h lab_open_readonly), binds
 * every value, and answers JSON; most build it in SQL (json_object,
 * json_group_array), which escapes it. */
#ifndef EL_WEB_API_H
#define EL_WEB_API_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>

#include "web/web.h"

/* One endpoint: rest is what follows its prefix in the path. */
typedef void (*WebEndpoint)(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);

/* A built-in asset (build/gen/web_assets.c, made by scripts/embed-assets.sh). */
typedef struct {
    const char *path, *type;
    const unsigned char *data;
    size_t len;
} WebAsset;
extern const WebAsset web_assets[]; /* ends with a NULL path */

/* The value of query parameter key, or NULL. */
const char *web_param(const WebRequest *q, const char *key);
/* An integer parameter in [lo, hi], def when absent; -1 after setting a 400. */
int web_int_param(const WebRequest *q, const char *key, long lo, long hi, long def, long *out, WebResponse *r);
/* An error response: {"error": message}. */
void web_error(WebResponse *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Steps st (prepared and bound), whose one row's first column is JSON text,
 * into r's body (200), and finalizes it; a failed step is a 500. */
void web_sql_json(sqlite3 *db, sqlite3_stmt *st, WebResponse *r);
/* Prepares sql on db; 0, or -1 after a 500 in r. */
int web_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, WebResponse *r);
/* A comma-separated list of run ids ("3,4,5") as the JSON array text
 * "[3,4,5]" to bind (json_each), at most max ids; NULL after a 400. */
char *web_id_list(const char *list, int max, WebResponse *r);

/* The cache of one loaded embedding (web/api_embed.c). */
typedef struct WebEmbCache WebEmbCache;
WebEmbCache *web_emb_cache_new(void);
void web_emb_cache_free(WebEmbCache *c);

struct WebState {
    char *db_path;
    WebEmbCache *emb;
    /* Held around the endpoints that call BLAS (predict, project, knn): one
     * such computation at a time, each with the machine's threads, rather
     * than several OpenBLAS calls from request threads at once. */
    pthread_mutex_t compute;
};

void web_api_runs(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_epochs(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_compare(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_sweeps(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_embeddings(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_nearest(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_analogy(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_project(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_knn(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_predict(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_align(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);
void web_api_status(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r);

#endif
