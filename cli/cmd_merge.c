/* cli/cmd_merge.c: "embedlab merge". */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "db/merge.h"

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
