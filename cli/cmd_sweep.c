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
 * job array; `embedlab merge` puts the shards' lab databases together. */
#include <omp.h>
#include <signal.h>
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
#include "experiments/runner.h"
#include "rnn/cell.h"

static const char sweep_help[] =
    "Usage: embedlab sweep [grid] [train options] [--jobs J] [--shard I/N] [options]\n\n"
    "Runs every combination of the grid as a classifier run tied to one sweep in the lab\n"
    "database. Running the same command again resumes: finished runs are skipped,\n"
    "interrupted or failed ones run again. Progress goes to stderr: a line when a\n"
    "configuration starts and ends (with the ETA), and a run's epochs every 10 s.\n\n"
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

#define MAX_AXES 16
#define MAX_VALUES 64

typedef struct {
    char opt[32]; /* the train option, e.g. "--units" */
    int n;
    char *values[MAX_VALUES];
} Axis;

typedef struct {
    Axis axes[MAX_AXES];
    int naxes;
    char *fixed[128]; /* train options given once: "--epochs", "5", "--mask", ... */
    int nfixed;
    char *dims[MAX_VALUES], *cells[MAX_VALUES], *inputs[MAX_VALUES], *seeds[MAX_VALUES];
    int ndims, ncells, ninputs, nseeds;
    const char *embed_options, *name;
    const char *embeddings; /* a name pattern with {dim}, or NULL: the sweep names them */
    int jobs, shard, nshards;
    int dry_run; /* list the configurations and what is left, run nothing */
} Grid;

typedef struct {
    char key[512];
    char *argv[192];
    int argc;
    int dim; /* 0 for one-hot */
    int word2vec;
    ClassifierConfig cfg; /* parsed before the jobs start: getopt is not thread-safe */
    int dim_given;
    double cost; /* point_cost(), once cfg is parsed */
} Point;

static int split_list(const char *cmd, const char *opt, const char *s, char **out) {
    int n = 0;
    char *copy = xstrdup(s), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n == MAX_VALUES) {
            cli_usage(cmd, "%s: at most %d values", opt, MAX_VALUES);
            return -1;
        }
        out[n++] = xstrdup(t);
    }
    free(copy);
    if (n == 0) {
        cli_usage(cmd, "%s needs a comma list", opt);
        return -1;
    }
    return n;
}

/* Train options that take no value. */
static int is_flag(const char *opt) { return !strcmp(opt, "--freeze") || !strcmp(opt, "--mask"); }

static int parse_grid(const char *cmd, int argc, char **argv, Grid *g, CommonOpts *co) {
    memset(g, 0, sizeof *g);
    g->jobs = 0; /* auto */
    g->nshards = 1;
    g->embed_options = "";
    g->ndims = split_list(cmd, "--dims", "16,32,64,128", g->dims);
    g->ncells = split_list(cmd, "--cells", "rnn,lstm,gru", g->cells);
    g->ninputs = split_list(cmd, "--inputs", "onehot,random,word2vec", g->inputs);
    g->nseeds = split_list(cmd, "--seeds", "1,2,3", g->seeds);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            printf("%s", sweep_help);
            return 0;
        }
        if (strncmp(o, "--", 2) != 0)
            return cli_usage(cmd, "unexpected argument '%s'", o);
        if (!strcmp(o, "--progress")) {
            co->progress = 1;
            continue;
        }
        if (!strcmp(o, "--dry-run")) {
            g->dry_run = 1;
            continue;
        }
        if (is_flag(o)) {
            g->fixed[g->nfixed++] = (char *)o;
            continue;
        }
        if (!v)
            return cli_usage(cmd, "%s needs a value", o);
        i++;
        int n = 0;
        if (!strcmp(o, "--dims"))
            n = g->ndims = split_list(cmd, o, v, g->dims);
        else if (!strcmp(o, "--cells"))
            n = g->ncells = split_list(cmd, o, v, g->cells);
        else if (!strcmp(o, "--inputs"))
            n = g->ninputs = split_list(cmd, o, v, g->inputs);
        else if (!strcmp(o, "--seeds"))
            n = g->nseeds = split_list(cmd, o, v, g->seeds);
        else if (!strcmp(o, "--embed-options"))
            g->embed_options = v;
        else if (!strcmp(o, "--name")) {
            if (name_check("sweep", v) != 0)
                return cli_usage(cmd, "%s", el_error());
            g->name = v;
        } else if (!strcmp(o, "--embeddings")) {
            if (!strstr(v, "{dim}"))
                return cli_usage(cmd, "--embeddings needs {dim} in the name, like imdb-sg{dim}");
            g->embeddings = v;
        } else if (!strcmp(o, "--jobs")) {
            long j = 0;
            if (strcmp(v, "auto") && cli_int(cmd, "--jobs", v, 1, 256, &j))
                return 2;
            g->jobs = (int)j;
        } else if (!strcmp(o, "--shard")) {
            if (sscanf(v, "%d/%d", &g->shard, &g->nshards) != 2 || g->nshards < 1 || g->shard < 0 ||
                g->shard >= g->nshards)
                return cli_usage(cmd, "--shard is I/N with 0 <= I < N, got '%s'", v);
        } else if (!strcmp(o, "--db"))
            co->db = v;
        else if (!strcmp(o, "--data"))
            co->data = v;
        else if (!strcmp(o, "--test-data"))
            co->test_data = v;
        else if (!strcmp(o, "--threads")) {
            long t;
            if (cli_int(cmd, "--threads", v, 1, 1024, &t))
                return 2;
            co->threads = (int)t;
        } else if (!strcmp(o, "--dim") || !strcmp(o, "--cell") || !strcmp(o, "--input") || !strcmp(o, "--seed") ||
                   !strcmp(o, "--embedding"))
            return cli_usage(cmd, "in a sweep, give %s as the grid's list (--dims, --cells, --inputs, --seeds)", o);
        else if (strchr(v, ',')) {
            if (g->naxes == MAX_AXES)
                return cli_usage(cmd, "at most %d list options", MAX_AXES);
            Axis *a = &g->axes[g->naxes++];
            snprintf(a->opt, sizeof a->opt, "%s", strcmp(o, "--hidden") ? o : "--units");
            n = a->n = split_list(cmd, o, v, a->values);
        } else {
            if (g->nfixed + 2 > 120)
                return cli_usage(cmd, "too many options");
            g->fixed[g->nfixed++] = (char *)(strcmp(o, "--hidden") ? o : "--units");
            g->fixed[g->nfixed++] = (char *)v;
        }
        if (n < 0)
            return 2;
    }
    for (int i = 0; i < g->ninputs; i++)
        if (strcmp(g->inputs[i], "onehot") && strcmp(g->inputs[i], "random") && strcmp(g->inputs[i], "word2vec") &&
            strcmp(g->inputs[i], "word2vec-frozen"))
            return cli_usage(cmd, "unknown input '%s' (onehot, random, word2vec, word2vec-frozen)", g->inputs[i]);
    return -1;
}

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

/* A name for the word2vec embedding of a dimension, fixed by everything that
 * shapes it: the options, the data, the dimension. */
static void embedding_name(const Grid *g, const char *data, int dim, char *out, size_t n) {
    if (g->embeddings) {
        const char *at = strstr(g->embeddings, "{dim}");
        snprintf(out, n, "%.*s%d%s", (int)(at - g->embeddings), g->embeddings, dim, at + 5);
        return;
    }
    uint32_t h = 2166136261u;
    for (const char *s = g->embed_options; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h = (h ^ 0xff) * 16777619u;
    for (const char *s = data; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    snprintf(out, n, "sweep-w2v-d%d-%08x", dim, h);
}

static void push(Point *p, const char *a) { p->argv[p->argc++] = xstrdup(a); }

/* Expands the grid in a fixed order: cells, inputs, dims, the other lists,
 * seeds. One-hot points skip the dims. */
static int expand(const Grid *g, const char *data, Point **out) {
    int total = 1;
    for (int a = 0; a < g->naxes; a++)
        total *= g->axes[a].n;
    total *= g->ncells * g->ninputs * g->ndims * g->nseeds;
    Point *pts = xcalloc((size_t)total + 1, sizeof *pts);
    int n = 0;
    int idx[MAX_AXES];
    for (int c = 0; c < g->ncells; c++)
        for (int in = 0; in < g->ninputs; in++)
            for (int d = 0; d < g->ndims; d++) {
                int onehot = !strcmp(g->inputs[in], "onehot");
                if (onehot && d > 0)
                    continue;
                memset(idx, 0, sizeof idx);
                for (;;) {
                    for (int s = 0; s < g->nseeds; s++) {
                        Point *p = &pts[n++];
                        push(p, "train");
                        for (int f = 0; f < g->nfixed; f++)
                            push(p, g->fixed[f]);
                        push(p, "--cell");
                        push(p, g->cells[c]);
                        int len = snprintf(p->key, sizeof p->key, "cell=%s input=%s", g->cells[c], g->inputs[in]);
                        if (onehot) {
                            push(p, "--input");
                            push(p, "onehot");
                        } else {
                            p->dim = atoi(g->dims[d]);
                            push(p, "--dim");
                            push(p, g->dims[d]);
                            len += snprintf(p->key + len, sizeof p->key - len, " dim=%s", g->dims[d]);
                            if (strncmp(g->inputs[in], "word2vec", 8) == 0) {
                                char name[128];
                                embedding_name(g, data, p->dim, name, sizeof name);
                                push(p, "--embedding");
                                push(p, name);
                                p->word2vec = 1;
                                if (!strcmp(g->inputs[in], "word2vec-frozen"))
                                    push(p, "--freeze");
                            }
                        }
                        for (int a = 0; a < g->naxes; a++) {
                            push(p, g->axes[a].opt);
                            push(p, g->axes[a].values[idx[a]]);
                            len += snprintf(p->key + len, sizeof p->key - len, " %s=%s", g->axes[a].opt + 2,
                                            g->axes[a].values[idx[a]]);
                        }
                        push(p, "--seed");
                        push(p, g->seeds[s]);
                        snprintf(p->key + len, sizeof p->key - len, " seed=%s", g->seeds[s]);
                    }
                    int a = 0;
                    while (a < g->naxes && ++idx[a] == g->axes[a].n)
                        idx[a++] = 0;
                    if (a == g->naxes)
                        break;
                }
            }
    *out = pts;
    return n;
}

/* Appends " name=v1,v2,..." to s. */
static size_t add_list(char *s, size_t len, size_t cap, const char *name, char *const *values, int n) {
    len += snprintf(s + len, cap - len, " %s=", name);
    for (int i = 0; i < n && len < cap; i++)
        len += snprintf(s + len, cap - len, "%s%s", i ? "," : "", values[i]);
    return len < cap ? len : cap - 1;
}

/* The sweep's identity: everything but how and where it runs. */
static char *sweep_spec(const Grid *g, const char *data, const char *test_data) {
    size_t cap = 8192, len = 0;
    char *s = xmalloc(cap);
    len += snprintf(s + len, cap - len, "data=%s test_data=%s", data, test_data ? test_data : "");
    len = add_list(s, len, cap, "cells", g->cells, g->ncells);
    len = add_list(s, len, cap, "inputs", g->inputs, g->ninputs);
    len = add_list(s, len, cap, "dims", g->dims, g->ndims);
    len = add_list(s, len, cap, "seeds", g->seeds, g->nseeds);
    for (int a = 0; a < g->naxes; a++)
        len = add_list(s, len, cap, g->axes[a].opt + 2, g->axes[a].values, g->axes[a].n);
    for (int f = 0; f < g->nfixed && len < cap - 200; f++)
        len += snprintf(s + len, cap - len, " %s", g->fixed[f]);
    snprintf(s + len, cap - len, " embed_options=%s embeddings=%s", g->embed_options,
             g->embeddings ? g->embeddings : "");
    return s;
}

/* The sweep of this spec; a new one when there is none and create is set,
 * else *id = 0. */
static int find_or_create_sweep(sqlite3 *db, const Grid *g, const char *spec, int create, int64_t *id) {
    *id = 0;
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT id FROM sweeps WHERE json_extract(config, '$.spec') = ? ORDER BY id LIMIT 1", &st))
        return -1;
    sqlite3_bind_text(st, 1, spec, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (found || !create)
        return 0;
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    if (lab_prepare(db, "INSERT INTO sweeps(name, config, host) VALUES (?, json_object('spec', ?), ?)", &st))
        return -1;
    sqlite3_bind_text(st, 1, g->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, spec, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, host, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("recording the sweep: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    *id = sqlite3_last_insert_rowid(db);
    return rc;
}

static int finished(sqlite3 *db, int64_t sweep, const char *key) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT 1 FROM runs WHERE sweep_id = ? AND sweep_key = ? AND status = 'finished'", &st))
        return 0;
    sqlite3_bind_int64(st, 1, sweep);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    int done = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return done;
}

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig) {
    (void)sig;
    interrupted = 1;
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
        int i = -1;
#pragma omp critical(sweep_state)
        {
            if (q->next < q->ntodo && !interrupted) {
                i = q->todo[q->next++];
                q->cost_running += q->pts[i].cost;
                fprintf(stderr, "embedlab: [%d/%d] start  %s (%d running)\n", q->next, q->ntodo, q->pts[i].key,
                        q->next - q->done);
            }
        }
        if (i < 0)
            break;
        const Point *p = &q->pts[i];
        ClassifierConfig c = p->cfg;
        RunOptions ro = {.dim_given = p->dim_given,
                         .sweep_id = q->sweep,
                         .sweep_key = p->key,
                         .stop = (volatile int *)&interrupted,
                         .quiet = 1};
        int64_t run = 0;
        RunResult res;
        int ok = classifier_run(jdb, &c, q->data, &ro, &run, &res) == 0;
        char err[512];
        snprintf(err, sizeof err, "%s", ok ? "" : el_error());
#pragma omp critical(sweep_state)
        {
            q->done++;
            q->failed += !ok && !interrupted;
            double el = now_seconds() - q->t0;
            q->cost_done += p->cost;
            q->cost_running -= p->cost;
            double worked = q->cost_done + q->cost_running / 2;
            char eta[32];
            format_duration(eta, sizeof eta, el * (q->cost_all - worked) / worked);
            if (ok)
                fprintf(stderr,
                        "embedlab: [%d/%d] done   %s: run %lld, test accuracy %.4f (%d epochs, %.2f s/epoch); ETA %s\n",
                        q->done, q->ntodo, p->key, (long long)run, res.test_acc, res.epochs, res.seconds_per_epoch,
                        eta);
            else
                fprintf(stderr, "embedlab: [%d/%d] %s %s: %s\n", q->done, q->ntodo, interrupted ? "stopped" : "FAILED",
                        p->key, err);
        }
    }
    lab_close(jdb);
}

/* The word2vec embedding a point names, or NULL. */
static const char *point_embedding(const Point *p) {
    if (!p->word2vec)
        return NULL;
    for (int k = 0; k + 1 < p->argc; k++)
        if (!strcmp(p->argv[k], "--embedding"))
            return p->argv[k + 1];
    return NULL;
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
        int done = sweep && finished(db, sweep, pts[i].key);
        mine++;
        left += !done;
        printf("%-9s %s\n", done ? "finished" : "to run", pts[i].key);
    }
    for (int i = g->shard; i < npts; i += g->nshards) {
        const char *name = point_embedding(&pts[i]);
        int first = name != NULL;
        for (int j = g->shard; j < i && first; j += g->nshards)
            first = !point_embedding(&pts[j]) || strcmp(point_embedding(&pts[j]), name);
        if (first)
            printf("embedding %s (dim %d): %s\n", name, pts[i].dim,
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

int cmd_sweep(int argc, char **argv) {
    const char *cmd = "embedlab sweep";
    Grid g;
    CommonOpts co;
    common_init(&co);
    int r = parse_grid(cmd, argc, argv, &g, &co);
    if (r >= 0)
        return r;
    Point *pts;
    int npts = expand(&g, co.data, &pts);
    /* Every point must be a valid `embedlab train`: check them all first. */
    for (int i = 0; i < npts; i++) {
        classifier_defaults(&pts[i].cfg);
        CommonOpts tmp;
        common_init(&tmp);
        int pr = train_parse(cmd, pts[i].argc, pts[i].argv, &pts[i].cfg, &tmp, &pts[i].dim_given);
        if (pr >= 0)
            return pr == 0 ? 2 : pr;
        const char *ename = point_embedding(&pts[i]); /* --embeddings with {dim} expanded */
        if (ename && name_check("embedding", ename) != 0)
            return cli_usage(cmd, "--embeddings: %s", el_error());
        pts[i].cost = point_cost(&pts[i]);
    }
    int threads = co.threads > 0 ? co.threads : el_cores();
    common_apply(&co);
    const char *path = lab_path(co.db);
    char *spec = sweep_spec(&g, co.data, co.test_data);
    if (g.dry_run) {
        int rc = dry_run(&g, path, spec, pts, npts);
        free(spec);
        return rc;
    }
    sqlite3 *db;
    if (lab_open(path, &db) != 0)
        return cli_failed();
    int64_t sweep;
    if (find_or_create_sweep(db, &g, spec, 1, &sweep) != 0) {
        lab_close(db);
        return cli_failed();
    }
    /* This shard's points that have not finished yet. */
    int *todo = xmalloc((npts + 1) * sizeof *todo), ntodo = 0, mine = 0;
    for (int i = 0; i < npts; i++) {
        if (i % g.nshards != g.shard)
            continue;
        mine++;
        if (!finished(db, sweep, pts[i].key))
            todo[ntodo++] = i;
    }
    /* Whole runs in parallel scale better than threads inside one run (no
     * barrier per batch), so auto gives each run one thread; a sweep with
     * fewer runs left than threads gives them the spare ones. */
    if (g.jobs == 0 || g.jobs > ntodo)
        g.jobs = ntodo > 0 && ntodo < threads ? ntodo : threads;
    if (g.jobs > threads)
        g.jobs = threads;
    if (g.jobs > 1)
        sort_by_cost(todo, ntodo, pts);
    char share[64] = "";
    if (g.nshards > 1)
        snprintf(share, sizeof share, " of %d (shard %d/%d)", npts, g.shard, g.nshards);
    fprintf(stderr,
            "embedlab: sweep %lld: %d configuration%s%s; %d already finished, %d to run with %d job(s) x %d "
            "thread(s)\n",
            (long long)sweep, mine, mine == 1 ? "" : "s", share, mine - ntodo, ntodo, g.jobs, threads / g.jobs);
    int rc = 0;
    LabData data;
    if (ntodo > 0 && labdata_load(&data, co.data, co.test_data) != 0) {
        lab_close(db);
        return cli_failed();
    }
    signal(SIGINT, on_sigint);
    signal(SIGTERM, on_sigint);
    /* Word2vec embeddings first, one per dimension, with every thread. */
    for (int i = 0; i < ntodo && rc == 0 && !interrupted; i++) {
        Point *p = &pts[todo[i]];
        const char *name = point_embedding(p);
        if (!name || db_embedding_exists(db, name) != 0)
            continue;
        char dim[16], threads_s[16];
        snprintf(dim, sizeof dim, "%d", p->dim);
        snprintf(threads_s, sizeof threads_s, "%d", threads);
        char *eargv[96] = {"train",      "--db",  (char *)path, "--data",    (char *)co.data, "--name",
                           (char *)name, "--dim", dim,          "--threads", threads_s};
        int eargc = 11;
        char *opts = xstrdup(g.embed_options), *save = NULL;
        for (char *t = strtok_r(opts, " ", &save); t && eargc < 94; t = strtok_r(NULL, " ", &save))
            eargv[eargc++] = t;
        fprintf(stderr, "embedlab: training the word2vec embedding %s for dim %d\n", name, p->dim);
        if (cmd_embed_train(eargc, eargv) != 0)
            rc = el_fail("training the word2vec embedding %s failed", name);
        free(opts);
    }
    common_apply(&co);
    Queue q = {
        .pts = pts, .todo = todo, .ntodo = ntodo, .data = &data, .path = path, .sweep = sweep, .t0 = now_seconds()};
    for (int i = 0; i < ntodo; i++)
        q.cost_all += pts[todo[i]].cost;
    if (rc == 0 && g.jobs == 1) {
        run_queue(&q); /* on this thread: a parallel region of one would nest each run's threads */
    } else if (rc == 0) {
        omp_set_max_active_levels(2);
#pragma omp parallel num_threads(g.jobs)
        {
            /* threads = 3, jobs = 2: one job gets 2 threads, the other 1. */
            int job = omp_get_thread_num();
            omp_set_num_threads(threads / g.jobs + (job < threads % g.jobs));
            run_queue(&q);
        }
    }
    int failed = q.failed;
    if (ntodo > 0)
        labdata_free(&data);
    lab_close(db);
    free(spec);
    free(todo);
    if (rc != 0)
        return cli_failed();
    if (interrupted) {
        fprintf(stderr, "embedlab: error: interrupted; run the same command again to resume sweep %lld\n",
                (long long)sweep);
        return 130;
    }
    printf("Sweep %lld: %d of %d configurations of this %s finished%s. See 'embedlab report %lld' and 'embedlab plot "
           "sweep %lld'.\n",
           (long long)sweep, mine - failed, mine, g.nshards > 1 ? "shard" : "sweep",
           failed ? " (some failed: rerun to retry)" : "", (long long)sweep, (long long)sweep);
    return failed ? 1 : 0;
}
