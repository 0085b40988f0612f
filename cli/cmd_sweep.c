/* cli/cmd_sweep.c: "embedlab sweep", a grid of classifier runs.
 *
 * The grid: --dims, --cells, --inputs, --seeds, and any `embedlab train`
 * option given as a comma list (--units 8,32, --lr 1e-3,1e-4). Each grid
 * point becomes the argv of one `embedlab train` and is parsed by the same
 * code, so the sweep accepts exactly what train accepts. Points are run by
 * --jobs J OpenMP threads, each with its share of --threads, the costliest
 * points first so that no long run is left alone at the end; a point whose
 * run already finished in this sweep is skipped, so running the same command
 * again resumes. --shard I/N takes every N-th point from I, for a scheduler's
 * job array; `embedlab merge` puts the shards' lab databases together.
 *
 * Any number of sweep processes may run the same grid on one lab.db at once:
 * they share one sweeps row (found or made under the write lock), and each
 * grid point is claimed when its run starts (db/runs.c: run_start), so each
 * runs exactly once. A point whose process died (lost) is run again. The
 * grid itself is parsed and expanded by experiments/grid.c. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/names.h"
#include "core/progress.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/runs.h"
#include "experiments/grid.h"
#include "experiments/runner.h"
#include "rnn/cell.h"
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
    "  --inputs LIST      onehot, random, word2vec, word2vec-frozen (default onehot,random,word2vec)\n"
    "                     one-hot ignores the dimension: it runs once per other setting and\n"
    "                     serves as the baseline across dims\n"
    "  --seeds LIST       seeds (default 1,2,3: single runs mislead)\n"
    "  any train option   fixed (--epochs 5) or a list (--units 8,32  --lr 1e-3,1e-4);\n"
    "                     --hidden is --units\n\n"
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

/* A grid point with its parsed train options. */
typedef struct {
    const GridPoint *gp;
    ClassifierConfig cfg; /* parsed before the jobs start: getopt is not thread-safe */
    int dim_given;
    double cost; /* point_cost(), once cfg is parsed */
} Point;

/* A point's rough cost: multiply-adds per token over its epochs. */
static double point_cost(const Point *p) {
    const ClassifierConfig *c = &p->cfg;
    const CellType *cell = cell_find(c->cell);
    double gu = (cell ? cell->gates : 1) * (double)c->units;
    double in = strcmp(c->input, "onehot") ? c->dim : 1; /* one-hot input is a row lookup */
    double step = gu * (in + c->units) + (c->layers - 1) * gu * 2.0 * c->units;
    return step * c->maxlen * c->epochs;
}

/* Longest first (then grid order): with J jobs, the sweep ends at most one
 * short run after the ideal, instead of with one long run left alone. */
static void sort_by_cost(int *todo, int n, const Point *pts) {
    for (int i = 1; i < n; i++) {
        int v = todo[i], j = i;
        double cv = pts[v].cost;
        for (; j > 0; j--) {
            double cu = pts[todo[j - 1]].cost;
            if (cu > cv || (cu == cv && todo[j - 1] < v))
                break;
            todo[j] = todo[j - 1];
        }
        todo[j] = v;
    }
}

/* The sweep of this spec; a new one when there is none and create is set,
 * else *id = 0. Under the write lock when creating, so that sweeps of one
 * grid started together find one row. */
static int find_or_create_sweep(sqlite3 *db, const Grid *g, const char *spec, int create, int64_t *id) {
    *id = 0;
    if (create && lab_begin(db) != 0)
        return -1;
    sqlite3_stmt *st;
    int rc = lab_prepare(db, "SELECT id FROM sweeps WHERE json_extract(config, '$.spec') = ? ORDER BY id LIMIT 1", &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            *id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    if (rc == 0 && create && *id == 0) {
        char host[256] = "";
        gethostname(host, sizeof host - 1);
        rc = lab_prepare(db, "INSERT INTO sweeps(name, config, host) VALUES (?, json_object('spec', ?), ?)", &st);
        if (rc == 0) {
            sqlite3_bind_text(st, 1, g->name, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, host, -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("recording the sweep: %s", sqlite3_errmsg(db));
            sqlite3_finalize(st);
            *id = sqlite3_last_insert_rowid(db);
        }
    }
    if (create && rc == 0)
        rc = lab_commit(db);
    if (rc != 0)
        lab_rollback(db);
    return rc;
}


/* The points left to run, shared by the jobs; every field below the line
 * changes only inside the critical section sweep_state. */
typedef struct {
    const Point *pts;
    const int *todo;
    int ntodo;
    const LabData *data;
    const char *path;
    int64_t sweep;
    double t0, cost_all; /* the ETA weighs runs by cost, and counts running ones half done */
    /* ---- */
    int next, done, failed;
    double cost_done, cost_running;
} Queue;

/* One job: takes the next point until none is left, each run on this
 * thread's share of the threads and its own connection to the lab database. */
static void run_queue(Queue *q) {
    sqlite3 *jdb = NULL;
    if (lab_open(q->path, &jdb) != 0) {
#pragma omp critical(sweep_state)
        q->failed++;
        return;
    }
    for (;;) {
        int i = -1, taken = 0;
#pragma omp critical(sweep_state)
        {
            if (q->next < q->ntodo && !cli_interrupted) {
                i = q->todo[q->next++];
                q->cost_running += q->pts[i].cost;
                /* Another sweep may have taken it since the list was made: a
                 * cheap look first (run_start's claim is what decides), here
                 * so that the lines come in the order the points are taken. */
                taken = run_point_state(jdb, q->sweep, q->pts[i].gp->key) > RUN_POINT_FREE;
                if (!taken)
                    fprintf(stderr, "embedlab: [%d/%d] start  %s (%d running)\n", q->next, q->ntodo, q->pts[i].gp->key,
                            q->next - q->done);
            }
        }
        if (i < 0)
            break;
        const Point *p = &q->pts[i];
        int64_t run = 0;
        RunResult res;
        int rc = 1;
        char err[512] = "";
        if (!taken) {
            ClassifierConfig c = p->cfg;
            RunOptions ro = {.dim_given = p->dim_given,
                             .sweep_id = q->sweep,
                             .sweep_key = p->gp->key,
                             .stop = &cli_interrupted,
                             .quiet = 1};
            rc = classifier_run(jdb, &c, q->data, &ro, &run, &res);
            if (rc < 0)
                snprintf(err, sizeof err, "%s", el_error());
        }
#pragma omp critical(sweep_state)
        {
            q->done++;
            q->failed += rc < 0 && !cli_interrupted;
            double el = now_seconds() - q->t0;
            q->cost_done += p->cost;
            q->cost_running -= p->cost;
            double worked = q->cost_done + q->cost_running / 2;
            char eta[32];
            format_duration(eta, sizeof eta, el * (q->cost_all - worked) / worked);
            if (rc == 0)
                fprintf(stderr,
                        "embedlab: [%d/%d] done   %s: run %lld, test accuracy %.4f (%d epochs, %.2f s/epoch); ETA %s\n",
                        q->done, q->ntodo, p->gp->key, (long long)run, res.test_acc, res.epochs, res.seconds_per_epoch,
                        eta);
            else if (rc == 1)
                fprintf(stderr, "embedlab: [%d/%d] skip   %s: another process runs or ran it\n", q->done, q->ntodo,
                        p->gp->key);
            else
                fprintf(stderr, "embedlab: [%d/%d] %s %s: %s\n", q->done, q->ntodo, cli_interrupted ? "stopped" : "FAILED",
                        p->gp->key, err);
        }
    }
    lab_close(jdb);
}

/* --dry-run: what the sweep would do, from the lab database as it is (which
 * is neither made nor changed). */
static int dry_run(const Grid *g, const char *path, const char *spec, const Point *pts, int npts) {
    sqlite3 *db = NULL;
    int64_t sweep = 0;
    if (access(path, F_OK) == 0 &&
        (lab_open_existing(path, &db) != 0 || find_or_create_sweep(db, g, spec, 0, &sweep) != 0)) {
        lab_close(db);
        return cli_failed();
    }
    int mine = 0, left = 0;
    for (int i = 0; i < npts; i++) {
        if (i % g->nshards != g->shard)
            continue;
        int state = sweep ? run_point_state(db, sweep, pts[i].gp->key) : RUN_POINT_FREE;
        mine++;
        left += state != RUN_POINT_FINISHED;
        printf("%-9s %s\n",
               state == RUN_POINT_FINISHED  ? "finished"
               : state == RUN_POINT_RUNNING ? "running"
                                            : "to run",
               pts[i].gp->key);
    }
    for (int i = g->shard; i < npts; i += g->nshards) {
        const char *name = pts[i].gp->embedding;
        int first = name != NULL;
        for (int j = g->shard; j < i && first; j += g->nshards)
            first = !pts[j].gp->embedding || strcmp(pts[j].gp->embedding, name);
        if (first)
            printf("embedding %s (dim %d): %s\n", name, pts[i].gp->dim,
                   db && db_embedding_exists(db, name) == 1 ? "in the lab database" : "to train first");
    }
    char share[64] = "";
    if (g->nshards > 1)
        snprintf(share, sizeof share, " of %d (shard %d/%d)", npts, g->shard, g->nshards);
    printf("%s: %d configuration%s%s, %d finished, %d to run\n", sweep ? "This sweep" : "A new sweep", mine,
           mine == 1 ? "" : "s", share, mine - left, left);
    lab_close(db);
    return 0;
}

/* Trains the word2vec embedding a point needs, unless lab.db has it: 0 when
 * it is there after, else -1. Of several sweeps, one trains it (the claim,
 * db/runs.c) and the others wait for it, or train it themselves if that
 * process dies. */
static int train_embedding(sqlite3 *db, const Grid *g, const char *path, const char *data, int threads,
                           const GridPoint *p) {
    const char *name = p->embedding;
    for (int waited = 0;; waited++) {
        int have = name ? db_embedding_exists(db, name) : 1;
        if (have != 0)
            return have < 0 ? -1 : 0;
        int claim = run_claim_embedding(db, name);
        if (claim < 0)
            return -1;
        if (claim == 0)
            break;
        if (cli_interrupted)
            return el_fail("interrupted while waiting for the embedding %s", name);
        if (waited == 0)
            fprintf(stderr, "embedlab: another process trains the word2vec embedding %s; waiting for it\n", name);
        sleep(1);
    }
    char dim[16], threads_s[16];
    snprintf(dim, sizeof dim, "%d", p->dim);
    snprintf(threads_s, sizeof threads_s, "%d", threads);
    char *eargv[96] = {"train",      "--db",  (char *)path, "--data",    (char *)data, "--name",
                       (char *)name, "--dim", dim,          "--threads", threads_s};
    int eargc = 11;
    char *opts = xstrdup(g->embed_options), *save = NULL;
    for (char *t = strtok_r(opts, " ", &save); t && eargc < 94; t = strtok_r(NULL, " ", &save))
        eargv[eargc++] = t;
    fprintf(stderr, "embedlab: training the word2vec embedding %s for dim %d\n", name, p->dim);
    int rc = cmd_embed_train(eargc, eargv) == 0 ? 0 : -1;
    free(opts);
    if (rc != 0 && db_embedding_exists(db, name) == 1) {
        fprintf(stderr, "embedlab: another process saved the embedding %s first; the sweep uses that one\n", name);
        rc = 0;
    }
    run_release_embedding(db, name);
    return rc == 0 ? 0 : el_fail("training the word2vec embedding %s failed", name);
}

/* Parses the command line into g, pts and co: -1 when the sweep should run,
 * else the exit status (0 after --help, 2 on bad usage). */
static int parse_sweep(const char *cmd, int argc, char **argv, Grid *g, CommonOpts *co, int *jobs, GridPoint **gps,
                       Point **pts, int *npts) {
    *gps = NULL;
    *pts = NULL;
    *npts = 0;
    if (grid_parse(argc, argv, g) != 0)
        return cli_usage(cmd, "%s", el_error());
    if (g->help) {
        printf("%s", sweep_help);
        return 0;
    }
    if (g->name && name_check("sweep", g->name) != 0)
        return cli_usage(cmd, "%s", el_error());
    long v = 0;
    co->db = g->db ? g->db : co->db;
    co->data = g->data ? g->data : co->data;
    co->test_data = g->test_data ? g->test_data : co->test_data;
    co->progress |= g->progress;
    if (g->threads) {
        if (cli_int(cmd, "--threads", g->threads, 1, 1024, &v))
            return 2;
        co->threads = (int)v;
    }
    *jobs = 0; /* auto */
    if (g->jobs && strcmp(g->jobs, "auto")) {
        if (cli_int(cmd, "--jobs", g->jobs, 1, 256, &v))
            return 2;
        *jobs = (int)v;
    }
    int n = grid_expand(g, co->data, gps);
    if (n < 0)
        return cli_usage(cmd, "%s", el_error());
    *npts = n;
    *pts = xcalloc((size_t)n + 1, sizeof **pts);
    /* Every point must be a valid `embedlab train`: check them all first. */
    for (int i = 0; i < n; i++) {
        Point *p = &(*pts)[i];
        p->gp = &(*gps)[i];
        config_defaults(&p->cfg);
        CommonOpts tmp;
        common_init(&tmp);
        int pr = train_parse(cmd, p->gp->argc, p->gp->argv, &p->cfg, &tmp, &p->dim_given);
        if (pr >= 0)
            return pr == 0 ? 2 : pr;
        if (p->gp->embedding && name_check("embedding", p->gp->embedding) != 0)
            return cli_usage(cmd, "--embeddings: %s", el_error());
        p->cost = point_cost(p);
    }
    return -1;
}

/* Runs the sweep of the parsed grid: the exit status. */
static int sweep_run(const Grid *g, const CommonOpts *co, int jobs, Point *pts, int npts) {
    int threads = co->threads > 0 ? co->threads : el_cores();
    common_apply(co);
    const char *path = lab_path(co->db);
    char *spec = grid_spec(g, co->data, co->test_data);
    if (g->dry_run) {
        int rc = dry_run(g, path, spec, pts, npts);
        free(spec);
        return rc;
    }
    sqlite3 *db;
    int64_t sweep;
    if (lab_open(path, &db) != 0) {
        free(spec);
        return cli_failed();
    }
    if (find_or_create_sweep(db, g, spec, 1, &sweep) != 0 || run_mark_lost(db, sweep) != 0) {
        lab_close(db);
        free(spec);
        return cli_failed();
    }
    free(spec);
    /* This shard's points that are neither finished nor running elsewhere. */
    int *todo = xmalloc((npts + 1) * sizeof *todo), ntodo = 0, mine = 0, elsewhere = 0;
    for (int i = 0; i < npts; i++) {
        if (i % g->nshards != g->shard)
            continue;
        mine++;
        int state = run_point_state(db, sweep, pts[i].gp->key);
        elsewhere += state == RUN_POINT_RUNNING;
        if (state <= RUN_POINT_FREE) /* an error here shows when the run starts */
            todo[ntodo++] = i;
    }
    int finished_before = mine - ntodo - elsewhere;
    /* Whole runs in parallel scale better than threads inside one run (no
     * barrier per batch), so auto gives each run one thread; a sweep with
     * fewer runs left than threads gives them the spare ones. */
    if (jobs == 0 || jobs > ntodo)
        jobs = ntodo > 0 && ntodo < threads ? ntodo : threads;
    if (jobs > threads)
        jobs = threads;
    if (jobs > 1)
        sort_by_cost(todo, ntodo, pts);
    char share[64] = "", busy[64] = "";
    if (g->nshards > 1)
        snprintf(share, sizeof share, " of %d (shard %d/%d)", npts, g->shard, g->nshards);
    if (elsewhere)
        snprintf(busy, sizeof busy, ", %d running in another process", elsewhere);
    fprintf(stderr,
            "embedlab: sweep %lld: %d configuration%s%s; %d already finished%s, %d to run with %d job(s) x %d "
            "thread(s)\n",
            (long long)sweep, mine, mine == 1 ? "" : "s", share, finished_before, busy, ntodo, jobs, threads / jobs);
    int rc = 0;
    LabData data;
    if (ntodo > 0 && labdata_load(&data, co->data, co->test_data) != 0) {
        lab_close(db);
        free(todo);
        return cli_failed();
    }
    cli_catch_interrupts();
    /* Word2vec embeddings first, one per dimension, with every thread. */
    for (int i = 0; i < ntodo && rc == 0 && !cli_interrupted; i++)
        rc = train_embedding(db, g, path, co->data, threads, pts[todo[i]].gp);
    common_apply(co);
    Queue q = {
        .pts = pts, .todo = todo, .ntodo = ntodo, .data = &data, .path = path, .sweep = sweep, .t0 = now_seconds()};
    for (int i = 0; i < ntodo; i++)
        q.cost_all += pts[todo[i]].cost;
    if (rc == 0 && jobs == 1) {
        run_queue(&q); /* on this thread: a parallel region of one would nest each run's threads */
    } else if (rc == 0) {
        omp_set_max_active_levels(2);
#pragma omp parallel num_threads(jobs)
        {
            /* threads = 3, jobs = 2: one job gets 2 threads, the other 1. */
            int job = omp_get_thread_num();
            omp_set_num_threads(threads / jobs + (job < threads % jobs));
            run_queue(&q);
        }
    }
    if (ntodo > 0)
        labdata_free(&data);
    /* What is finished now, this process's runs or another's. */
    int finished = 0;
    for (int i = 0; i < npts; i++)
        if (i % g->nshards == g->shard)
            finished += run_point_state(db, sweep, pts[i].gp->key) == RUN_POINT_FINISHED;
    lab_close(db);
    free(todo);
    if (rc != 0)
        return cli_failed();
    if (cli_interrupted) {
        fprintf(stderr, "embedlab: error: interrupted; run the same command again to resume sweep %lld\n",
                (long long)sweep);
        return 130;
    }
    int others = mine - finished - q.failed;
    char note[96] = "";
    if (q.failed)
        snprintf(note, sizeof note, " (some failed: rerun to retry)");
    else if (others > 0)
        snprintf(note, sizeof note, " (%d still running in another process)", others);
    printf("Sweep %lld: %d of %d configurations of this %s finished%s. See 'embedlab report %lld' and 'embedlab plot "
           "sweep %lld'.\n",
           (long long)sweep, finished, mine, g->nshards > 1 ? "shard" : "sweep", note, (long long)sweep,
           (long long)sweep);
    return q.failed ? 1 : 0;
}

int cmd_sweep(int argc, char **argv) {
    Grid g;
    CommonOpts co;
    common_init(&co);
    GridPoint *gps;
    Point *pts;
    int npts, jobs = 0;
    int rc = parse_sweep("embedlab sweep", argc, argv, &g, &co, &jobs, &gps, &pts, &npts);
    if (rc < 0)
        rc = sweep_run(&g, &co, jobs, pts, npts);
    free(pts);
    grid_points_free(gps, npts);
    grid_free(&g);
    return rc;
}
