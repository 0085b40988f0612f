/* cli/cmd_merge.c: "embedlab merge". */
#include <stdio.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "db/merge.h"

static const char merge_help[] =
    "Usage: embedlab merge OUT.db IN.db [IN.db ...]\n\n"
    "Merges lab databases into OUT.db (created if needed): embeddings by name, sweeps by\n"
    "their grid, runs with their epochs, results and models remapped. For sweeps sharded\n"
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
    for (int i = 2; i < argc; i++) { /* before OUT is made: a mistyped or foreign shard leaves nothing behind */
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
        if (lab_merge(db, argv[i], &runs, &embs) != 0) {
            lab_close(db);
            return cli_failed();
        }
        printf("Merged %s: %d runs, %d embeddings added\n", argv[i], runs, embs);
    }
    lab_close(db);
    return 0;
}
