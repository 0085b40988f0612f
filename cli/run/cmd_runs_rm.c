/* cli/run/cmd_runs_rm.c: "embedlab runs rm": removing classifier runs (db/runs.h
 * run_remove does the work). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/memory.h"
#include "db/lab.h"
#include "db/runs.h"

static const char rm_help[] = "Usage: embedlab runs rm [--db PATH] [--vacuum] ID...\n"
                              "       embedlab runs rm [--db PATH] [--vacuum] --status LIST [--sweep ID]\n"
                              "       embedlab runs rm [--db PATH] [--vacuum] --sweep ID\n\n"
                              "Removes classifier runs with their epochs, results, trained model and test\n"
                              "predictions, and a learned tokenizer's model (spm) that no embedding or other run\n"
                              "uses, in one transaction: a kill leaves all of it or none. IDs are as 'embedlab\n"
                              "runs' lists them (also 3,4,5). An unknown ID, or a run still running in a live\n"
                              "process, removes nothing (exit 1); a run shown 'lost' (its process died) can go.\n"
                              "The embeddings the runs read stay ('embedlab embed rm'). A sweep keeps its row:\n"
                              "running that sweep again trains the removed points again.\n\n";

typedef struct {
    const char *status;
    int64_t sweep;
    int vacuum;
} RmArgs;

#define AT(member) OPTION_AT(RmArgs, member)
static const Option rm_fields[] = {
    {"status", OPTION_STRING, AT(status), NULL, 0, 0, NULL, NULL, "LIST", "Options",
     "every run whose status is in LIST, of finished, failed, interrupted and lost (the leftovers of killed runs: "
     "--status lost,failed,interrupted)",
     0},
    {"sweep", OPTION_INT64, AT(sweep), NULL, 1, 1099511627776.0, NULL, NULL, "ID", "Options",
     "the runs of sweep ID (with --status: those of its runs)", 0},
    {"vacuum", OPTION_FLAG, AT(vacuum), NULL, 0, 0, NULL, NULL, NULL, "Options",
     "shrink the file afterwards (SQLite's VACUUM: slow on a big file, and it needs free disk for twice the "
     "database). Without it the file keeps its size and later writes reuse the freed pages",
     0},
};
static const OptionTable rm_options = {rm_fields, (int)(sizeof rm_fields / sizeof *rm_fields)};

/* The statuses --status may name: every one but running (a live process's
 * run is never removed; one whose process died reads lost). */
static int check_statuses(const char *cmd, const char *list) {
    static const char *const known[] = {"finished", "failed", "interrupted", "lost"};
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof *known; k++)
            ok |= len == strlen(known[k]) && strncmp(p, known[k], len) == 0;
        if (!ok && len == 7 && strncmp(p, "running", len) == 0)
            return cli_usage(cmd, "--status running: a run in a live process is not removed (stop it first; one "
                                  "whose process died is 'lost')");
        if (!ok)
            return cli_usage(cmd, "--status takes finished, failed, interrupted and lost, comma-separated; got '%s'",
                             list);
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

/* What was removed, on stdout. */
static void print_removed(const RunRemoved *r) {
    if (r->n == 0) {
        printf("No runs matched: nothing removed\n");
        return;
    }
    printf("Removed %lld run%s (", (long long)r->n, r->n == 1 ? "" : "s");
    for (int64_t i = 0; i < r->n && i < 20; i++)
        printf("%s%lld", i ? ", " : "", (long long)r->ids[i]);
    printf("%s) and %s rows: epochs %lld, results %lld, models %lld, predictions %lld\n", r->n > 20 ? ", ..." : "",
           r->n == 1 ? "its" : "their", (long long)r->epochs, (long long)r->results, (long long)r->models,
           (long long)r->predictions);
    if (r->tokenizers[0])
        printf("Removed %s tokenizer model (%s), which nothing else uses\n", r->n == 1 ? "its" : "their",
               r->tokenizers);
}

/* The space the removal freed (none said when no run went), and what became
 * of it: pages that later writes reuse, or (vacuum) given back to the file
 * system. 0, or -1. */
static int print_space(sqlite3 *db, const char *path, const RunRemoved *r, int vacuum) {
    char a[32], b[32];
    if (r->n > 0 && r->bytes > 0)
        printf("Freed %s (%lld bytes) of %s's pages%s\n", mem_format((size_t)r->bytes, a, sizeof a),
               (long long)r->bytes, path,
               vacuum ? "" : "; the file keeps its size and later writes reuse them (--vacuum shrinks it)");
    else if (r->n > 0)
        printf("No whole page of %s was freed (small rows share pages with others)\n", path);
    if (!vacuum)
        return 0;
    int64_t before, after;
    if (lab_vacuum(db, &before, &after) != 0)
        return -1;
    printf("Vacuumed %s: %s -> %s\n", path, mem_format((size_t)before, a, sizeof a),
           mem_format((size_t)after, b, sizeof b));
    return 0;
}

int cmd_runs_rm(int argc, char **argv) {
    const char *cmd = "embedlab runs rm";
    CommonOpts co;
    RmArgs a;
    int status = cli_parse(cmd, rm_help, &rm_options, &a, argc, argv, &co);
    if (status >= 0)
        return status;
    if (a.status && check_statuses(cmd, a.status) != 0)
        return 2;
    RunSelection sel = {.statuses = a.status, .sweep = a.sweep};
    int vacuum = a.vacuum;
    int64_t *ids = NULL;
    int nids = 0;
    for (int i = optind; i < argc; i++)
        if (cli_run_ids(cmd, "a run ID", argv[i], &ids, &nids, 0) != 0) {
            free(ids);
            return 2;
        }
    int filtered = sel.statuses || sel.sweep;
    if (!nids && !filtered)
        return cli_usage(cmd, "give the IDs of the runs to remove, or --status LIST or --sweep ID");
    if (nids && filtered) {
        free(ids);
        return cli_usage(cmd, "give run IDs or --status/--sweep, not both");
    }
    sel.ids = ids;
    sel.nids = nids;
    const char *path = lab_path(co.db);
    sqlite3 *db;
    RunRemoved r;
    int rc = lab_open_existing(path, &db);
    if (rc == 0 && (rc = run_remove(db, &sel, &r)) == 0) {
        print_removed(&r);
        rc = print_space(db, path, &r, vacuum);
        run_removed_free(&r);
    }
    free(ids);
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}
