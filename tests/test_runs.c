/* tests/test_runs.c: owners of running rows, lost runs, and the claim of a
 * sweep's grid point that makes each point run once. */
#include "tests/fixtures.h"

#include <sys/wait.h>

#include "core/common.h"
#include "rnn/config.h"
#include "db/lab.h"
#include "db/owner.h"
#include "experiments/run/run_record.h"

/* The pid of a process that has ended (and been reaped). */
static pid_t dead_pid(void) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(0);
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    return pid;
}

static void owners(void **state) {
    (void)state;
    Owner me;
    owner_self(&me);
    double now = owner_now();
    assert_true(me.pid > 0);
    assert_true(me.start > 0);
    assert_true(owner_alive(me.host, me.pid, me.start, 0, 0, now));
    assert_true(owner_alive(me.host, me.pid, 0, 0, 0, now)); /* start unknown: the pid decides */
    /* The pid lives but started at another time: reused, not the owner. */
    assert_false(owner_alive(me.host, me.pid, me.start + 1, now, 0, now));
    assert_false(owner_alive(me.host, dead_pid(), 0, now, 0, now));
    /* Another host: the heartbeat decides, with room for slow epochs. */
    assert_true(owner_alive("elsewhere.example", 1, 1, now - 60, 0, now));
    assert_false(owner_alive("elsewhere.example", 1, 1, now - OWNER_STALE_SECONDS - 1, 0, now));
    assert_true(owner_alive("elsewhere.example", 1, 1, now - OWNER_STALE_SECONDS - 1, OWNER_STALE_SECONDS, now));
    assert_int_equal(owner_start_time(dead_pid()), 0);
}

static int start(sqlite3 *db, const char *key, int64_t *run) {
    Experiment c;
    experiment_defaults(&c);
    snprintf(c.data, sizeof c.data, "d");
    return run_start(db, &c, 1, key, 0, run);
}

static void claims(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    sqlite3 *a, *b;
    assert_int_equal(lab_open(path, &a), 0);
    assert_int_equal(lab_open(path, &b), 0);
    assert_int_equal(lab_exec(a, "INSERT INTO sweeps(config) VALUES (json_object('spec', 's'))"), 0);
    int64_t ra = 0, rb = 0;
    /* One connection claims the point; the other (a second sweep) is refused. */
    assert_int_equal(start(a, "seed=1", &ra), 0);
    assert_int_equal(run_point_state(b, 1, "seed=1"), RUN_POINT_RUNNING);
    assert_int_equal(start(b, "seed=1", &rb), 1);
    assert_int_equal(start(b, "seed=2", &rb), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM runs"), 2);
    /* Finished: still refused, and no longer running. */
    assert_int_equal(lab_exec(a, "UPDATE runs SET status = 'finished' WHERE sweep_key = 'seed=1'"), 0);
    assert_int_equal(run_point_state(b, 1, "seed=1"), RUN_POINT_FINISHED);
    assert_int_equal(start(b, "seed=1", &rb), 1);
    /* Its owner dies: the point is lost, then claimed again; the dead run is marked lost. */
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE runs SET pid = %d, pid_start = NULL WHERE sweep_key = 'seed=2'", (int)dead_pid());
    assert_int_equal(lab_exec(a, sql), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM run_status WHERE status = 'lost'"), 1);
    assert_int_equal(run_point_state(a, 1, "seed=2"), RUN_POINT_FREE);
    assert_int_equal(start(a, "seed=2", &ra), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM runs WHERE sweep_key = 'seed=2' AND status = 'lost'"), 1);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM runs WHERE sweep_key = 'seed=2' AND status = 'running'"),
                     1);
    /* The pid given to another process (a different start time): lost too. */
    assert_int_equal(lab_exec(a, "UPDATE runs SET pid_start = pid_start + 1 WHERE status = 'running'"), 0);
    assert_int_equal(run_mark_lost(b, 0), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM runs WHERE status = 'lost'"), 2);
    /* A run marked lost that finishes after all keeps nothing: its point is
     * someone else's now, and must finish once. */
    real params[1] = {0};
    Model m = {.nparams = 1, .params = params};
    RunResult res = {.test_acc = 0.5};
    assert_int_equal(run_finish(a, ra, &res, &m, "", 0), -1);
    assert_non_null(strstr(el_error(), "no longer running"));
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM results"), 0);
    assert_int_equal(run_set_status(a, ra, "failed", "x"), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM runs WHERE status = 'lost'"), 2);
    assert_int_equal(lab_exec(a, "UPDATE runs SET status = 'running' WHERE id = 1"), 0);
    assert_int_equal(run_finish(a, 1, &res, &m, "", 0), 0);
    assert_int_equal(fixture_db_int(a, "SELECT count(*) FROM results"), 1);
    lab_close(a);
    lab_close(b);
    fixture_rmtree(dir);
    free(dir);
}

static int collect(const char *key, const char *value, void *ctx) {
    char *out = ctx;
    size_t len = strlen(out);
    snprintf(out + len, 256 - len, "%s%s=%s", len ? " " : "", key, value);
    return strcmp(key, "stop") == 0;
}

/* db/runs.c takes a run's config as plain typed values, any key escaped as
 * JSON, and gives each non-null one back as text in order. */
static void plain_values(void **state) {
    (void)state;
    char *dir = fixture_dir();
    sqlite3 *db;
    fixture_lab(dir, &db);
    RunValue v[] = {{.key = "it's \"k\"", .type = RUN_VALUE_TEXT, .text = "a'b"},
                    {.key = "b", .type = RUN_VALUE_BOOL, .i = 1},
                    {.key = "n", .type = RUN_VALUE_NULL},
                    {.key = "r", .type = RUN_VALUE_REAL, .r = 0.25},
                    {.key = "i", .type = RUN_VALUE_INT, .i = -3},
                    {.key = "stop", .type = RUN_VALUE_BOOL, .i = 0},
                    {.key = "after", .type = RUN_VALUE_INT, .i = 1}};
    int64_t run = 0;
    assert_int_equal(run_insert(db, v, 7, 2, 0, NULL, 0, &run), 0);
    char *json = fixture_db_text(db, "SELECT config FROM runs");
    assert_string_equal(json, "{\"it's \\\"k\\\"\":\"a'b\",\"b\":true,\"n\":null,\"r\":0.25,\"i\":-3,\"stop\":false,"
                              "\"after\":1}");
    free(json);
    char got[256] = "";
    /* fn's nonzero return stops the walk and is an error. */
    assert_int_equal(run_config_each(db, run, collect, got), -1);
    assert_string_equal(got, "it's \"k\"=a'b b=1 r=0.25 i=-3 stop=0");
    got[0] = 0;
    assert_int_equal(run_config_each(db, run + 1, collect, got), -1);
    assert_non_null(strstr(el_error(), "no classifier run with id 2"));
    lab_close(db);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(owners),
        cmocka_unit_test(claims),
        cmocka_unit_test(plain_values),
    };
    return cmocka_run_group_tests_name("runs", tests, NULL, NULL);
}
