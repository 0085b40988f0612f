/* tests/test_web.c: the parts of `embedlab serve` that need no socket: JSON
 * strings escaped for a page, and the router's bounds and refusals (web/router.c) on requests
 * made in memory. */
#include "tests/fixtures.h"

#include <math.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"
#include "web/json.h"
#include "web/web.h"

/* A word from lab.db cannot end a string, a script or start markup. */
static void json_escapes(void **state) {
    (void)state;
    JsonBuf b = {0};
    jb_str(&b, "a\"b\\c</script><img src=x onerror=alert(1)>&\n\x01");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026"
                                "\\u000a\\u0001\"");
    jb_free(&b);
    jb_num(&b, NAN);
    jb_raw(&b, ",");
    jb_num(&b, 0.5);
    assert_string_equal(b.data, "null,0.5");
    jb_free(&b);
}

/* Routes one request in memory; returns its status. */
static int status_of(WebState *s, const char *method, const char *path, const WebParam *p, int np, const char *body,
                     WebResponse *r) {
    WebRequest q = {
        .method = method, .path = path, .params = p, .nparams = np, .body = body, .body_len = body ? strlen(body) : 0};
    web_handle(s, &q, r);
    return r->status;
}

/* Unknown paths are 404, never a file outside the built-in assets; the
 * wrong method 405; a missing database 503 with its path in the message;
 * too many parameters 413 before any database is opened. */
static void router_refusals(void **state) {
    (void)state;
    WebState *s = web_state_new("/nonexistent/lab.db");
    WebResponse r;
    assert_int_equal(status_of(s, "GET", "/", NULL, 0, NULL, &r), 200);
    assert_true(r.fixed_len > 0 && strstr(r.type, "text/html"));
    web_response_free(&r);
    const char *missing[] = {"/../etc/passwd", "/etc/passwd", "/index.html/..", "//index.html", "/api", "/api/"};
    for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
        assert_int_equal(status_of(s, "GET", missing[i], NULL, 0, NULL, &r), 404);
        assert_null(r.fixed);
        web_response_free(&r);
    }
    assert_int_equal(status_of(s, "POST", "/api/runs", NULL, 0, NULL, &r), 405);
    web_response_free(&r);
    assert_int_equal(status_of(s, "DELETE", "/", NULL, 0, NULL, &r), 405);
    web_response_free(&r);
    assert_int_equal(status_of(s, "GET", "/api/runs", NULL, 0, NULL, &r), 503);
    assert_non_null(strstr(r.body.data, "no lab database at /nonexistent/lab.db"));
    web_response_free(&r);
    WebParam many[WEB_MAX_PARAMS + 1];
    for (int i = 0; i <= WEB_MAX_PARAMS; i++)
        many[i] = (WebParam){"k", "1"};
    assert_int_equal(status_of(s, "GET", "/api/runs", many, WEB_MAX_PARAMS + 1, NULL, &r), 413);
    web_response_free(&r);
    web_state_free(s);
}

/* The server's connection (lab_open_readonly) refuses every write, even
 * after query_only is turned off again (sweeps turn it off to make their
 * TEMP view): the file itself is opened read-only. It reads what a writer
 * commits meanwhile, and refuses a file of another schema version with a
 * message that says so, rather than migrating it. */
static void read_only_connection(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4200];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    sqlite3 *rw, *ro;
    fixture_lab(dir, &rw);
    assert_int_equal(lab_exec(rw, "INSERT INTO sweeps(name, config) VALUES ('s', '{}')"), 0);
    assert_int_equal(lab_open_readonly(path, &ro), 0);
    assert_int_equal(fixture_db_int(ro, "SELECT count(*) FROM sweeps"), 1);
    assert_int_equal(fixture_db_int(ro, "SELECT count(*) FROM run_status"), 0);
    const char *writes[] = {"INSERT INTO sweeps(name, config) VALUES ('x', '{}')",
                            "DELETE FROM sweeps",
                            "UPDATE sweeps SET name = 'y'",
                            "DROP TABLE sweeps",
                            "CREATE TABLE t(x)",
                            "PRAGMA user_version = 3"};
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
            assert_int_equal(sqlite3_exec(ro, writes[i], NULL, NULL, NULL) == SQLITE_OK, 0);
        assert_int_equal(lab_exec(ro, "PRAGMA query_only = 0"), 0);
    }
    assert_int_equal(fixture_db_int(rw, "SELECT count(*) FROM sweeps WHERE name = 's'"), 1);
    assert_int_equal(fixture_db_int(rw, "PRAGMA user_version"), LAB_SCHEMA_VERSION);
    assert_int_equal(lab_exec(rw, "INSERT INTO sweeps(name, config) VALUES ('t', '{}')"), 0);
    assert_int_equal(fixture_db_int(ro, "SELECT count(*) FROM sweeps"), 2);
    lab_close(ro);
    assert_int_equal(lab_exec(rw, "PRAGMA user_version = 7"), 0);
    assert_int_equal(lab_open_readonly(path, &ro), -1);
    assert_non_null(strstr(el_error(), "schema version 7"));
    WebState *s = web_state_new(path);
    WebResponse r;
    assert_int_equal(status_of(s, "GET", "/api/runs", NULL, 0, NULL, &r), 503);
    assert_non_null(strstr(r.body.data, "schema version 7"));
    web_response_free(&r);
    web_state_free(s);
    lab_close(rw);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes),
        cmocka_unit_test(router_refusals),
        cmocka_unit_test(read_only_connection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
