/* web/web.h: `embedlab serve`, a live lab UI over a lab database, read-only
 * (ARCHITECTURE.md, "The lab in a browser").
 *
 *   WebRequest/WebResponse  one HTTP request as the router sees it, without
 *                           sockets (web/server.c fills it from
 *                           libmicrohttpd; fuzz/fuzz_web.c from bytes)
 *   web_handle              routes a request: the built-in page and its
 *                           assets, or a JSON endpoint (web/api_*.c)
 *   web_serve               the HTTP server until *stop is set
 */
#ifndef EL_WEB_H
#define EL_WEB_H

#include <stddef.h>

#include "web/json.h"

/* Request bounds: larger is refused with 413 or 400. */
enum {
    WEB_MAX_BODY = 65536,
    WEB_MAX_PARAMS = 32,
    WEB_MAX_K = 200,
    WEB_MAX_PROJECT = 20000,
    WEB_MAX_RUNS = 1000,
    WEB_MAX_KNN = 50
};

typedef struct {
    const char *key, *value; /* decoded; value "" for a bare key */
} WebParam;

typedef struct {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* decoded, without the query string */
    const WebParam *params;
    int nparams;
    const char *body; /* a POST's bytes (not NUL-terminated) */
    size_t body_len;
} WebRequest;

typedef struct {
    int status;
    const char *type;  /* Content-Type */
    JsonBuf body;      /* owned: free with web_response_free */
    const void *fixed; /* or a built-in asset, not owned */
    size_t fixed_len;
    const char *cache; /* Cache-Control */
} WebResponse;

/* Shared by every request thread: the database path and the caches. */
typedef struct WebState WebState;
WebState *web_state_new(const char *db_path);
void web_state_free(WebState *s);

/* Fills r for q (never fails: an error is a response, 4xx or 5xx, with a
 * JSON {"error": ...}). Thread-safe. */
void web_handle(WebState *s, const WebRequest *q, WebResponse *r);
void web_response_free(WebResponse *r);

/* Serves host:port until *stop becomes nonzero (checked every 100 ms).
 * 0, or -1 with a message (cannot listen). */
int web_serve(const char *db_path, const char *host, int port, volatile int *stop);

#endif
