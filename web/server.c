/* web/server.c: libmicrohttpd in front of web_handle (web/router.c): a
 * small thread pool, each request's body gathered up to WEB_MAX_BODY, the
 * query string as libmicrohttpd decodes it. */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/common.h"
#include "web/web.h"

/* One request while its body arrives. */
typedef struct {
    JsonBuf body;
    int too_large;
} Pending;

typedef struct {
    WebParam params[WEB_MAX_PARAMS + 1];
    int n;
} Params;

/* Gathers the query parameters; one past the bound is kept so that the
 * router refuses the request. */
static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    Params *p = cls;
    if (p->n > WEB_MAX_PARAMS)
        return MHD_NO;
    p->params[p->n].key = key;
    p->params[p->n].value = value ? value : "";
    p->n++;
    return MHD_YES;
}

/* body[0..len) gzipped into *out (free it) when the client takes gzip and
 * the body is large: the list of 10,000 runs is 8 MB of JSON with the same
 * keys again and again, 0.25 MB gzipped at level 1 for about 50 ms. 0 when
 * sent as it is. */
static size_t gzipped(struct MHD_Connection *c, const char *body, size_t len, char **out) {
    const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (len < 16384 || !accept || !strstr(accept, "gzip"))
        return 0;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) /* 15 + 16: a gzip wrapper */
        return 0;
    size_t cap = deflateBound(&z, len);
    *out = xmalloc(cap);
    z.next_in = (Bytef *)body;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)*out;
    z.avail_out = (uInt)cap;
    int rc = len <= UINT32_MAX && cap <= UINT32_MAX ? deflate(&z, Z_FINISH) : Z_STREAM_ERROR;
    size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(*out);
        *out = NULL;
        return 0;
    }
    return n;
}

static enum MHD_Result answer(struct MHD_Connection *c, WebState *s, const char *url, const char *method,
                              Pending *pend) {
    Params p = {.n = 0};
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_param, &p);
    WebRequest q = {.method = method, .path = url, .params = p.params, .nparams = p.n};
    q.body = pend->body.data;
    q.body_len = pend->too_large ? (size_t)WEB_MAX_BODY + 1 : pend->body.len;
    WebResponse r;
    web_handle(s, &q, &r);
    char *gz = NULL;
    size_t gz_len = r.fixed ? 0 : gzipped(c, r.body.data, r.body.len, &gz);
    struct MHD_Response *resp =
        r.fixed ? MHD_create_response_from_buffer(r.fixed_len, (void *)r.fixed, MHD_RESPMEM_PERSISTENT)
        : gz    ? MHD_create_response_from_buffer(gz_len, gz, MHD_RESPMEM_MUST_FREE)
                : MHD_create_response_from_buffer(r.body.len, r.body.data ? r.body.data : "", MHD_RESPMEM_MUST_COPY);
    web_response_free(&r);
    if (!resp) {
        free(gz);
        return MHD_NO;
    }
    if (gz)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    MHD_add_response_header(resp, "Content-Type", r.type ? r.type : "application/json");
    MHD_add_response_header(resp, "Cache-Control", r.cache ? r.cache : "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* The page runs only its own scripts (its t-SNE worker too), and loads
     * nothing from elsewhere. */
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                            "worker-src 'self'");
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)r.status, resp);
    MHD_destroy_response(resp);
    return rc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)version;
    Pending *pend = *con_cls;
    if (!pend) { /* the headers: the body, if any, comes in the next calls */
        *con_cls = xcalloc(1, sizeof *pend);
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (pend->body.len + *upload_size > WEB_MAX_BODY)
            pend->too_large = 1;
        else
            jb_rawn(&pend->body, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    return answer(c, cls, url, method, pend);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls, (void)c, (void)toe;
    Pending *pend = *con_cls;
    if (pend) {
        jb_free(&pend->body);
        free(pend);
    }
    *con_cls = NULL;
}

int web_serve(const char *db_path, const char *host, int port, volatile int *stop) {
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, strcmp(host, "localhost") == 0 ? "127.0.0.1" : host, &addr.sin_addr) != 1)
        return el_fail("--host %s is not an IPv4 address", host);
    WebState *s = web_state_new(db_path);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, (uint16_t)port, NULL, NULL, on_request, s,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
                         MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                         MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        web_state_free(s);
        return el_fail("cannot listen on %s:%d (in use, or not an address of this machine)", host, port);
    }
    while (!*stop)
        usleep(100000);
    MHD_stop_daemon(d);
    web_state_free(s);
    return 0;
}
