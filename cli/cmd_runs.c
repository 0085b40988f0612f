/* cli/cmd_runs.c: "embedlab runs" and "embedlab merge". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    "'runs rm' removes runs with everything stored for them.\n\n"
    "  --sweep ID         only the runs of one sweep\n";

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

/* "embedlab runs [list]": the table of runs. */
static int runs_list(int argc, char **argv) {
    const char *cmd = "embedlab runs";
    static const struct option longopts[] = {{"sweep", required_argument, 0, 's'}, COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    long sweep = 0;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, runs_help, argc, argv, longopts, &co)) == 's')
        if (cli_int(cmd, "--sweep", optarg, 1, 1L << 40, &sweep))
            return 2;
    if (opt != CLI_END)
        return cli_status(opt);
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
 * removes (cli/cmd_runs_rm.c). */
int cmd_runs(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "rm") == 0)
        return cmd_runs_rm(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "list") == 0)
        return runs_list(argc - 1, argv + 1);
    return runs_list(argc, argv);
}

static const char merge_help[] =
    "Usage: embedlab merge OUT.db IN.db [IN.db ...]\n\n"
    "Merges lab databases into OUT.db (created if needed): embeddings by content (one named\n"
    "like OUT.db's but with other vectors is copied as NAME.2 and its runs point to the copy,\n"
    "as a note on stderr says), sweeps by their grid, runs with their epochs, results and\n"
    "models remapped. IN.db must be another file than OUT.db. For sweeps sharded\n"
    "over machines ('embedlab sweep --shard I/N', each writing its own lab.db): the merged\n"
    "file reports and plots as if the sweep had run in one place.\n";

int cmd_merge(int argc, char **argv) {
    const char *cmd = "embedlab merge";
    if (argc > 1 && cli_is_help(argv[1])) {
        printf("%s", merge_help);
        return 0;
    }
    if (argc < 3)
        return cli_usage(cmd, "give OUT.db and at least one IN.db");
    sqlite3 *db;
    struct stat out, in;
    int have_out = stat(argv[1], &out) == 0;
    for (int i = 2; i < argc; i++) { /* before OUT is made: a mistyped or foreign shard leaves nothing behind */
        /* The same file by another path (a symlink, a hard link, ./x.db): attaching it to itself would only
         * say "database is locked". */
        if (have_out && stat(argv[i], &in) == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            el_fail("%s and %s are the same file: merge into another OUT.db", argv[i], argv[1]);
            return cli_failed();
        }
        if (lab_open_existing(argv[i], &db) != 0)
            return cli_failed();
        int bad = lab_check_names(db, argv[i]);
        lab_close(db);
        if (bad)
            return cli_failed();
    }
    if (lab_open(argv[1], &db) != 0)
        return cli_failed();
    for (int i = 2; i < argc; i++) {
        int runs = 0, embs = 0;
        char notes[4096];
        if (lab_merge(db, argv[i], &runs, &embs, notes, sizeof notes) != 0) {
            lab_close(db);
            return cli_failed();
        }
        printf("Merged %s: %d runs, %d embeddings added\n", argv[i], runs, embs);
        for (const char *p = notes; *p;) { /* one line per embedding copied under a new name */
            const char *nl = strchr(p, '\n');
            int len = nl ? (int)(nl - p) : (int)strlen(p);
            fprintf(stderr, "embedlab: note: %.*s\n", len, p);
            p += len + (nl != NULL);
        }
    }
    lab_close(db);
    return 0;
}
