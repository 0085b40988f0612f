/* cli/cmd_sweep.c: "embedlab sweep", a grid of classifier runs.
 *
 * Parses the command line into a grid (experiments/sweep/grid.c: --dims, --cells,
 * --inputs, --seeds and any option of the run configuration (experiments/run/experiment.h),
 * given once or as a comma list) and prints; experiments/sweep/sweep.c runs it:
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

static const char sweep_help[] =
    "Usage: embedlab sweep [grid] [train options] [--jobs J] [--shard I/N] [options]\n\n"
    "Runs every combination of the grid as a classifier run tied to one sweep in the lab\n"
    "database. Running the same command again resumes: finished runs are skipped,\n"
    "interrupted, failed or lost ones run again. The same command in several terminals\n"
    "(or machines sharing the lab database) shares the work: each configuration runs\n"
    "once. Progress goes to stderr: a line when a configuration starts and ends (with\n"
    "the ETA), and a run's epochs every 10 s.\n\n"
    "Grid (comma lists):\n"
    "  --dims LIST        embedding sizes (default 16,32,64,128)\n"
    "  --cells LIST       rnn, lstm, gru (default rnn,lstm,gru)\n"
    "  --inputs LIST      onehot, random, word2vec, word2vec-frozen, emb:NAME (a stored\n"
    "                     embedding; with {dim} in NAME one per --dims), emb:NAME:frozen\n"
    "                     (default onehot,random,word2vec)\n"
    "                     one-hot ignores the dimension: it runs once per other setting and\n"
    "                     serves as the baseline across dims\n"
    "  --seeds LIST       seeds (default 1,2,3: single runs mislead)\n"
    "  any train option   fixed (--epochs 5) or a list (--units 8,32  --lr 1e-3,1e-4);\n"
    "                     --hidden is --units; --tokenizer words,unicode,spm reads the data\n"
    "                     once per tokenizer\n\n"
    "Runner:\n"
    "  --embed-options S  options for 'embedlab embed train' when word2vec inputs need an\n"
    "                     embedding of a dimension (trained once, reused when lab.db has it)\n"
    "  --embeddings PAT   use (or train, under that name) the embeddings named PAT with {dim}\n"
    "                     replaced, e.g. imdb-sg{dim} (default: named by the sweep)\n"
    "  --jobs J|auto      configurations at once, each with its share of --threads; auto\n"
    "                     (the default) runs one per thread, which scales better than\n"
    "                     giving one run every thread\n"
    "  --shard I/N        run only configurations I, I+N, I+2N, ... (0 <= I < N)\n"
    "  --name NAME        a name for the sweep\n"
    "  --dry-run          list the configurations, which have finished and which\n"
    "                     embeddings would be trained; run and record nothing\n\n" COMMON_HELP;

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

/* The sweep's own options, then every option of the run configuration
 * (experiments/run/experiment.h), for cli_next: their names, "--dims", ..., kept for the
 * program's life since the grid keeps pointers to them. */
enum { OPT_GRID = 2000, MAX_OPTS = 96 };
static char opt_names[MAX_OPTS][64];

static int sweep_longopts(struct option *lo) {
    static const struct option own[] = {{"dims", required_argument, 0, 0},
                                        {"cells", required_argument, 0, 0},
                                        {"inputs", required_argument, 0, 0},
                                        {"seeds", required_argument, 0, 0},
                                        {"embed-options", required_argument, 0, 0},
                                        {"embeddings", required_argument, 0, 0},
                                        {"shard", required_argument, 0, 0},
                                        {"name", required_argument, 0, 0},
                                        {"hidden", required_argument, 0, 0},
                                        {"jobs", required_argument, 0, 0},
                                        {"dry-run", no_argument, 0, 0}};
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    int n = 0;
    for (size_t i = 0; i < sizeof own / sizeof *own; i++, n++) {
        snprintf(opt_names[n], sizeof opt_names[n], "--%s", own[i].name);
        lo[n] = (struct option){opt_names[n] + 2, own[i].has_arg, 0, OPT_GRID + n};
    }
    /* The configuration's fields, by name: codes OPT_GRID + n too (the
     * caller reads an option back by its name, not its code). */
    int nf = cli_table_options(experiment_table(), FIELD_RECORDED, 0, lo + n, opt_names + n, MAX_OPTS - n);
    for (int i = 0; i < nf; i++, n++)
        lo[n].val = OPT_GRID + n;
    memcpy(lo + n, common, sizeof common);
    return n;
}

/* Parses the command line into g, its points and co: -1 when the sweep
 * should run, else the exit status (0 after --help, 2 on bad usage). */
static int parse_sweep(const char *cmd, int argc, char **argv, Grid *g, CommonOpts *co, int *jobs, GridPoint **pts,
                       int *npts) {
    *pts = NULL;
    *npts = 0;
    *jobs = 0; /* auto */
    struct option longopts[MAX_OPTS + 8];
    sweep_longopts(longopts);
    grid_init(g);
    int opt;
    long v;
    optind = 1;
    while ((opt = cli_next(cmd, sweep_help, argc, argv, longopts, co)) >= OPT_GRID) {
        const char *o = opt_names[opt - OPT_GRID];
        if (!strcmp(o, "--jobs") && strcmp(optarg, "auto")) {
            if (cli_int(cmd, "--jobs", optarg, 1, 256, &v))
                return 2;
            *jobs = (int)v;
        } else if (strcmp(o, "--jobs") && grid_set(g, o, optarg) != 0) {
            return cli_usage(cmd, "%s", el_error());
        }
    }
    if (opt != CLI_END)
        return cli_status(opt);
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
static int run(const Grid *g, const CommonOpts *co, int jobs, const GridPoint *pts, int npts) {
    common_apply(co);
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
                    .jobs = jobs,
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
    int npts, jobs = 0;
    int rc = parse_sweep("embedlab sweep", argc, argv, &g, &co, &jobs, &pts, &npts);
    if (rc < 0)
        rc = run(&g, &co, jobs, pts, npts);
    grid_points_free(pts, npts);
    grid_free(&g);
    return rc;
}
