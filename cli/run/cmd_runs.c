/* cli/run/cmd_runs.c: "embedlab runs" (runs rm: cli/run/cmd_runs_rm.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/escape.h"
#include "db/lab.h"
#include "db/merge.h"

static const char runs_help[] =
    "Usage: embedlab runs [list] [--sweep ID] [--db PATH]\n"
    "       embedlab runs rm [--db PATH] ID... | --status LIST [--sweep ID]   (see 'embedlab runs rm --help')\n\n"
    "Lists classifier runs with their key settings, status and results. All of it is\n"
    "plain SQL too: sqlite3 lab.db \"SELECT * FROM run_results\". A run shown\n"
    "'lost' was left 'running' by a process that died (killed, out of memory).\n"
    "'runs rm' removes runs with everything stored for them.\n\n";

/* The machines and builds that made the listed runs (their provenance), by
 * a letter in order of first appearance: results of one seed can differ in
 * the last digits between CPUs or BLAS kernels. */
typedef struct {
    char *what[26];
    int n;
    char key[26][2];
} Machines;

static const char *machine_key(Machines *m, const char *what) {
    if (!what)
        return "-"; /* a run recorded before provenance was */
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->what[i], what))
            return m->key[i];
    if (m->n == 26)
        return "?";
    m->what[m->n] = esc_line(what);
    m->key[m->n][0] = (char)('A' + m->n);
    return m->key[m->n++];
}

static void machines_print(Machines *m) {
    for (int i = 0; i < m->n; i++) {
        printf("%s %s %s\n", i ? "  " : "on:", m->key[i], m->what[i]);
        free(m->what[i]);
    }
}

typedef struct {
    int64_t sweep;
} RunsArgs;

static const Option runs_fields[] = {
    {"sweep", OPTION_INT64, OPTION_AT(RunsArgs, sweep), NULL, 1, 1099511627776.0, NULL, NULL, "ID", "Options",
     "only the runs of one sweep", 0},
};
static const OptionTable runs_options = {runs_fields, 1};

/* "embedlab runs [list]": the table of runs. */
static int runs_list(int argc, char **argv) {
    const char *cmd = "embedlab runs";
    CommonOpts co;
    RunsArgs a;
    int r = cli_parse(cmd, runs_help, &runs_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    long sweep = (long)a.sweep;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT r.id, coalesce(r.sweep_id, '-'), rs.status, json_extract(config, '$.cell'),"
                    " CASE json_extract(config, '$.input') WHEN 'onehot' THEN 'onehot'"
                    "  ELSE json_extract(config, '$.embedding') || CASE json_extract(config, '$.freeze') WHEN 1 THEN"
                    "  ' (frozen)' ELSE '' END END,"
                    " coalesce(json_extract(config, '$.dim'), '-'), json_extract(config, '$.units'),"
                    " json_extract(config, '$.layers'), json_extract(config, '$.vocab'),"
                    " json_extract(config, '$.maxlen'), json_extract(config, '$.seed'),"
                    " printf('%s %g', json_extract(config, '$.opt'), json_extract(config, '$.lr')),"
                    " printf('%g', coalesce(json_extract(config, '$.dropout'), 0)),"
                    " coalesce(s.epochs, (SELECT count(*) FROM epochs e WHERE e.run_id = r.id)),"
                    /* printf() of NULL is 0.0000: a run without results shows '-' */
                    " iif(s.val_acc IS NULL, '-', printf('%.4f', s.val_acc)),"
                    " iif(s.test_acc IS NULL, '-', printf('%.4f', s.test_acc)),"
                    " iif(s.seconds_per_epoch IS NULL, '-', printf('%.2f', s.seconds_per_epoch)),"
                    " printf('%s (%s), OpenBLAS kernel %s, %d thread(s), embedlab %s', json_extract(provenance,"
                    " '$.cpu'), json_extract(provenance, '$.isa'), json_extract(provenance, '$.blas_kernel'),"
                    " json_extract(provenance, '$.threads'), json_extract(provenance, '$.commit'))"
                    " FROM runs r JOIN run_status rs ON rs.run_id = r.id LEFT JOIN results s ON s.run_id = r.id"
                    " WHERE r.kind = 'classifier' AND (?1 = 0 OR r.sweep_id = ?1) ORDER BY r.id",
                    &st) != 0) {
        lab_close(db);
        return cli_failed();
    }
    sqlite3_bind_int64(st, 1, sweep);
    printf("%5s %5s %-11s %-5s %-28s %4s %5s %3s %6s %6s %4s %-14s %4s %6s %7s %7s %7s %2s\n", "run", "sweep", "status",
           "cell", "input", "dim", "units", "lay", "vocab", "maxlen", "seed", "optimiser", "drop", "epochs", "val",
           "test", "s/ep", "on");
    int rows = 0;
    Machines seen = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        rows++;
        const char *where = (const char *)sqlite3_column_text(st, 17);
        char *c[17]; /* from the database: no control characters to the terminal */
        for (int k = 0; k < 17; k++) {
            const char *v = (const char *)sqlite3_column_text(st, k);
            c[k] = esc_line(v ? v : "-");
        }
        printf("%5s %5s %-11s %-5s %-28.28s %4s %5s %3s %6s %6s %4s %-14.14s %4s %6s %7s %7s %7s %2s\n", c[0], c[1],
               c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16],
               machine_key(&seen, where));
        for (int k = 0; k < 17; k++)
            free(c[k]);
    }
    if (!rows)
        printf("(no runs%s)\n", sweep ? " in that sweep" : " yet: 'embedlab train' or 'embedlab sweep'");
    machines_print(&seen);
    sqlite3_finalize(st);
    lab_close(db);
    return 0;
}

/* "embedlab runs" lists, as it always has; "runs list" too, and "runs rm"
 * removes (cli/run/cmd_runs_rm.c). */
int cmd_runs(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "rm") == 0)
        return cmd_runs_rm(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "list") == 0)
        return runs_list(argc - 1, argv + 1);
    return runs_list(argc, argv);
}
