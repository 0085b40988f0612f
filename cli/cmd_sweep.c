/* cli/cmd_sweep.c: "embedlab sweep", a grid of classifier runs.
 *
 * Parses the command line into a grid through two option tables (the grid's
 * own, experiments/sweep/grid.h, and the run configuration's,
 * experiments/run/experiment.h, whose options are given once or as a comma
 * list) and prints; experiments/sweep/sweep.c runs it:
 * the costliest points first, by --jobs J with their share of --threads,
 * resumable, --shard I/N for a scheduler's job array, several processes on
 * one lab.db sharing the work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/runs.h"
#include "experiments/sweep/grid.h"
#include "experiments/sweep/sweep.h"
#include "rnn/config.h"

static const char sweep_help[] = "Usage: embedlab sweep [grid] [run options] [--jobs J] [--shard I/N] [options]\n\n"
                                 "Runs every combination of the grid as a classifier run tied to one sweep in the lab\n"
                                 "database. Running the same command again resumes: finished runs are skipped,\n"
                                 "interrupted, failed or lost ones run again. The same command in several terminals\n"
                                 "(or machines sharing the lab database) shares the work: each configuration runs\n"
                                 "once. Progress goes to stderr: a line when a configuration starts and ends (with\n"
                                 "the ETA), and a run's epochs every 10 s.\n\n"
                                 "A run's options (Model, Data, Training: those of 'embedlab train') take one value,\n"
                                 "the same for every point (--epochs 5), or a comma list, an axis of the grid\n"
                                 "(--units 8,32  --lr 1e-3,1e-4); --tokenizer words,unicode,spm reads the data once\n"
                                 "per tokenizer.\n\n";

/* --dry-run: what the sweep would do, from the lab database as it is (which
 * is neither made nor changed). */
static int dry_run(const Grid *g, const char *path, const char *spec, const GridPoint *pts, int npts) {
    sqlite3 *db = NULL;
    int64_t sweep = 0;
    if (access(path, F_OK) == 0 && (lab_open_existing(path, &db) != 0 || sweep_find(db, g, spec, 0, &sweep) != 0)) {
        lab_close(db);
        return cli_failed();
    }
    int mine = 0, left = 0;
    for (int i = g->shard; i < npts; i += g->nshards) {
        int state = sweep ? run_point_state(db, sweep, pts[i].key) : RUN_POINT_FREE;
        mine++;
        left += state != RUN_POINT_FINISHED;
        printf("%-9s %s\n",
               state == RUN_POINT_FINISHED  ? "finished"
               : state == RUN_POINT_RUNNING ? "running"
                                            : "to run",
               pts[i].key);
    }
    for (int i = g->shard; i < npts; i += g->nshards) {
        const char *name = pts[i].embedding;
        int first = name != NULL;
        for (int j = g->shard; j < i && first; j += g->nshards)
            first = !pts[j].embedding || strcmp(pts[j].embedding, name);
        char dim[32] = "its own dim";
        if (pts[i].dim > 0)
            snprintf(dim, sizeof dim, "dim %d", pts[i].dim);
        if (first)
            printf("embedding %s (%s): %s\n", name, dim,
                   db && db_embedding_exists(db, name) == 1 ? "in the lab database"
                   : pts[i].kind->source == EMB_STORED      ? "NOT in the lab database"
                                                            : "to train first");
    }
    char share[64] = "";
    if (g->nshards > 1)
        snprintf(share, sizeof share, " of %d (shard %d/%d)", npts, g->shard, g->nshards);
    printf("%s: %d configuration%s%s, %d finished, %d to run\n", sweep ? "This sweep" : "A new sweep", mine,
           mine == 1 ? "" : "s", share, mine - left, left);
    lab_close(db);
    return 0;
}

/* One option of the sweep given, the grid's own or a run's: into the grid
 * (experiments/sweep/grid.h). */
static int option_given(void *ctx, const Option *o, const char *text) {
    CliFlagName flag;
    opt_flag(o, flag, sizeof flag);
    return grid_set(ctx, flag, o->type == OPTION_FLAG ? NULL : text);
}

/* Parses the command line into g, its points and co: -1 when the sweep
 * should run, else the exit status (0 after --help, 2 on bad usage). */
static int parse_sweep(const char *cmd, int argc, char **argv, Grid *g, CommonOpts *co, GridPoint **pts, int *npts) {
    *pts = NULL;
    *npts = 0;
    grid_init(g);
    /* The grid's own options, then the run's (but those the grid lists). */
    const CliTable tables[] = {{.table = &grid_options, .given = option_given, .ctx = g},
                               {.table = experiment_table(), .given = option_given, .ctx = g, .hidden = grid_listed}};
    int r = cli_parse_tables(cmd, sweep_help, tables, 2, NULL, argc, argv, co);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (g->name && name_check("sweep", g->name) != 0)
        return cli_usage(cmd, "%s", el_error());
    /* Every point is a checked configuration, --embed-options checked by its
     * trainer: a bad value fails them all, before anything is recorded. */
    int n = grid_expand(g, co->data, pts);
    if (n < 0)
        return cli_usage(cmd, "%s", el_error());
    *npts = n;
    for (int i = 0; i < n; i++)
        if ((*pts)[i].embedding && name_check("embedding", (*pts)[i].embedding) != 0)
            return cli_usage(cmd, "--embeddings: %s", el_error());
    return -1;
}

/* Runs the sweep of the parsed grid: the exit status. */
static int run(const Grid *g, const CommonOpts *co, const GridPoint *pts, int npts) {
    const char *path = lab_path(co->db);
    if (g->dry_run) {
        char *spec = grid_spec(g, co->data, co->test_data);
        int rc = dry_run(g, path, spec, pts, npts);
        free(spec);
        return rc;
    }
    cli_catch_interrupts();
    SweepJob job = {.g = g,
                    .pts = pts,
                    .npts = npts,
                    .path = path,
                    .data = co->data,
                    .test_data = co->test_data,
                    .threads = co->threads,
                    .jobs = g->jobs,
                    .stop = &cli_interrupted};
    SweepOutcome out;
    if (sweep_run(&job, &out) != 0) /* interrupted while the data loads or word2vec trains: 130, as below */
        return cli_interrupted ? (fprintf(stderr, "embedlab: error: %s\n", el_error()), 130) : cli_failed();
    if (cli_interrupted) {
        fprintf(stderr, "embedlab: error: interrupted; run the same command again to resume sweep %lld\n",
                (long long)out.sweep);
        return 130;
    }
    int others = out.mine - out.finished - out.failed;
    char note[96] = "";
    if (out.failed)
        snprintf(note, sizeof note, " (some failed: rerun to retry)");
    else if (others > 0)
        snprintf(note, sizeof note, " (%d still running in another process)", others);
    printf("Sweep %lld: %d of %d configurations of this %s finished%s. See 'embedlab report %lld' and 'embedlab plot "
           "sweep %lld'.\n",
           (long long)out.sweep, out.finished, out.mine, g->nshards > 1 ? "shard" : "sweep", note, (long long)out.sweep,
           (long long)out.sweep);
    if (out.failed) /* the exit status says it; the error line names how many (each FAILED line above says why) */
        fprintf(stderr, "embedlab: error: %d configuration%s of sweep %lld failed (see the FAILED lines above)\n",
                out.failed, out.failed == 1 ? "" : "s", (long long)out.sweep);
    return out.failed ? 1 : 0;
}

int cmd_sweep(int argc, char **argv) {
    Grid g;
    CommonOpts co;
    common_init(&co);
    GridPoint *pts;
    int npts;
    int rc = parse_sweep("embedlab sweep", argc, argv, &g, &co, &pts, &npts);
    if (rc < 0)
        rc = run(&g, &co, pts, npts);
    grid_points_free(pts, npts);
    grid_free(&g);
    return rc;
}
