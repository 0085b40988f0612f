/* fuzz/fuzz_web.c: embedlab serve's request handling (web/router.c and the
 * endpoints of web/api_*.c) called directly, without sockets, over a small
 * lab.db made once: an embedding, a sweep, two runs with epochs, results and
 * stored predictions. The input is a request: the method on the first line,
 * the path on the second, then query parameters KEY=VALUE one a line up to
 * an empty line, then the body. Every outcome must be a response (a status
 * and a body); no crash, hang or leak. */
#include "fuzz/scratch.h" /* first: it defines _GNU_SOURCE for memfd_create and nftw */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "web/web.h"

static WebState *state;
static char dir[4096];

static void cleanup(void) {
    web_state_free(state);
    scratch_rmtree(dir);
}

/* The lab: vectors of 6 words x 4 dims, and the rows the run endpoints read. */
static void make_lab(const char *path) {
    sqlite3 *db;
    if (lab_open(path, &db) != 0)
        abort();
    static const char *words[] = {"good", "great", "bad", "awful", "film", "plot"};
    Embedding e;
    emb_init(&e, 4);
    for (int w = 0; w < 6; w++) {
        float v[4] = {(float)(w % 2), (float)(w / 2), 0.5f, (float)w - 2.5f};
        if (emb_add(&e, words[w], strlen(words[w]), v, 10 - w) != 0)
            abort();
    }
    emb_finish(&e);
    EmbeddingInfo info = {.params_json = "{\"trainer\":\"word2vec\"}", .corpus = "fuzz", .source = "trained"};
    if (db_embedding_save(db, "e", &info, &e, NULL) != 0)
        abort();
    emb_free(&e);
    static const char rows[] =
        "INSERT INTO sweeps(id, name, config) VALUES (1, 's', '{}');\n"
        "INSERT INTO runs(id, sweep_id, kind, config, status) VALUES\n"
        " (1, 1, 'classifier', '{\"cell\":\"gru\",\"input\":\"embed\",\"embedding\":\"random\",\"dim\":4,"
        "\"seed\":1,\"epochs\":2,\"input_kind\":\"random\"}', 'finished'),\n"
        " (2, 1, 'classifier', '{\"cell\":\"rnn\",\"input\":\"onehot\",\"seed\":1,\"epochs\":2,"
        "\"input_kind\":\"onehot\"}', 'finished'),\n"
        " (3, NULL, 'classifier', '{\"cell\":\"lstm\",\"dim\":8,\"epochs\":9}', 'running');\n"
        "INSERT INTO epochs VALUES (1, 1, 0.7, 0.5, 0.69, 0.55, 0.1), (1, 2, 0.6, 0.6, 0.65, 0.6, 0.1),\n"
        " (2, 1, 0.7, 0.5, 0.7, 0.5, 0.1), (3, 1, 0.7, 0.5, 0.7, 0.5, 0.1);\n"
        "INSERT INTO results(run_id, test_acc, test_loss, val_acc, epochs) VALUES (1, 0.6, 0.6, 0.6, 2), "
        "(2, 0.5, 0.7, 0.5, 1);\n"
        "INSERT INTO predictions VALUES (1, 3, x'0000003f0000803e0000403f', x'000101'),\n"
        " (2, 3, x'cdcccc3e0000003f0000803e', x'000101');\n";
    if (lab_exec(db, rows) != 0)
        abort();
    lab_close(db);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1);
    scratch_dir(dir, sizeof dir);
    char path[4200];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    make_lab(path);
    state = web_state_new(path);
    atexit(cleanup);
    return 0;
}

/* The next line of data[*at..size) as a NUL-terminated copy (free it). */
static char *line(const uint8_t *data, size_t size, size_t *at) {
    size_t start = *at, end = start;
    while (end < size && data[end] != '\n')
        end++;
    *at = end < size ? end + 1 : end;
    char *s = xmalloc(end - start + 1);
    memcpy(s, data + start, end - start);
    s[end - start] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t at = 0;
    char *method = line(data, size, &at), *path = line(data, size, &at);
    char *held[WEB_MAX_PARAMS + 2];
    WebParam params[WEB_MAX_PARAMS + 2];
    int n = 0;
    while (at < size && n < WEB_MAX_PARAMS + 2) {
        char *kv = line(data, size, &at);
        if (*kv == '\0') {
            free(kv);
            break;
        }
        char *eq = strchr(kv, '=');
        if (eq)
            *eq = '\0';
        held[n] = kv;
        params[n] = (WebParam){kv, eq ? eq + 1 : ""};
        n++;
    }
    WebRequest q = {.method = method,
                    .path = path,
                    .params = params,
                    .nparams = n,
                    .body = (const char *)data + at,
                    .body_len = size - at};
    WebResponse r;
    web_handle(state, &q, &r);
    if (r.status < 200 || r.status > 599 || (!r.fixed && r.body.len == 0))
        abort(); /* every request gets an answer */
    web_response_free(&r);
    for (int i = 0; i < n; i++)
        free(held[i]);
    free(method);
    free(path);
    return 0;
}
