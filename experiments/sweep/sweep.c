/* experiments/sweep/sweep.c: running a sweep's grid, resumable, sharded, in parallel. */
#include "experiments/sweep/sweep.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "core/progress.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/runs.h"
#include "embed/data/source.h"
#include "experiments/run/embed_job.h"
#include "experiments/run/runner.h"
#include "rnn/cell.h"

double sweep_point_cost(const ClassifierConfig *c) {
    const CellType *cell = cell_at(c->cell);
    double gu = (cell ? cell->gates : 1) * (double)c->units;
    double in = c->input != INPUT_ONEHOT ? c->dim : 1; /* one-hot input is a row lookup */
    double step = gu * (in + c->units) + (c->layers - 1) * gu * 2.0 * c->units;
    return step * c->maxlen * c->epochs;
}

/* Longest first (then grid order): with J jobs, the sweep ends at most one
 * short run after the ideal, instead of with one long run left alone. */
static void sort_by_cost(int *todo, int n, const double *cost) {
    for (int i = 1; i < n; i++) {
        int v = todo[i], j = i;
        double cv = cost[v];
        for (; j > 0; j--) {
            double cu = cost[todo[j - 1]];
            if (cu > cv || (cu == cv && todo[j - 1] < v))
                break;
            todo[j] = todo[j - 1];
        }
        todo[j] = v;
    }
}

/* Under the write lock when creating, so that sweeps of one grid started
 * together find one row. */
int sweep_find(sqlite3 *db, const Grid *g, const char *spec, int create, int64_t *id) {
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

/* The reviews as each tokenizer of the points to run reads them, loaded once
 * per tokenizer (--tokenizer may be a sweep axis). */
typedef struct {
    LabData *sets;
    int n;
} DataSets;

/* The data set read by spec's tokenizer (canonical specs compared), or NULL. */
static const LabData *data_for(const DataSets *ds, const char *spec) {
    Tokenizer *t;
    if (tokenizer_new(spec, &t) != 0)
        return NULL;
    const LabData *d = NULL;
    for (int i = 0; i < ds->n && !d; i++)
        if (strcmp(tokenizer_spec(ds->sets[i].tok), tokenizer_spec(t)) == 0)
            d = &ds->sets[i];
    tokenizer_free(t);
    return d;
}

/* Loads the data once for each tokenizer the points todo use (a learned one
 * trained on the train split as it loads). 0, or -1 with a message. */
static int data_sets_load(const SweepJob *s, const int *todo, int ntodo, DataSets *ds) {
    ds->sets = xcalloc((size_t)ntodo + 1, sizeof *ds->sets);
    ds->n = 0;
    for (int i = 0; i < ntodo; i++) {
        const char *spec = s->pts[todo[i]].cfg.tokenizer;
        if (data_for(ds, spec))
            continue;
        Tokenizer *t;
        if (tokenizer_new(spec, &t) != 0 || labdata_load(&ds->sets[ds->n], s->data, s->test_data, t) != 0)
            return -1;
        ds->n++;
    }
    return 0;
}

static void data_sets_free(DataSets *ds) {
    for (int i = 0; i < ds->n; i++)
        labdata_free(&ds->sets[i]);
    free(ds->sets);
    ds->sets = NULL;
    ds->n = 0;
}

/* The points left to run, shared by the jobs; every field below the line
 * changes only inside the critical section sweep_state. */
typedef struct {
    const GridPoint *pts;
    const double *cost;
    volatile int *stop;
    const int *todo;
    int ntodo;
    const DataSets *data;
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
            if (q->next < q->ntodo && !*q->stop) {
                i = q->todo[q->next++];
                q->cost_running += q->cost[i];
                /* Another sweep may have taken it since the list was made: a
                 * cheap look first (run_start's claim is what decides), here
                 * so that the lines come in the order the points are taken. */
                taken = run_point_state(jdb, q->sweep, q->pts[i].key) > RUN_POINT_FREE;
                if (!taken)
                    fprintf(stderr, "embedlab: [%d/%d] start  %s (%d running)\n", q->next, q->ntodo, q->pts[i].key,
                            q->next - q->done);
            }
        }
        if (i < 0)
            break;
        const GridPoint *p = &q->pts[i];
        int64_t run = 0;
        RunResult res;
        int rc = 1;
        char err[512] = "";
        if (!taken) {
            Experiment c = p->cfg;
            RunOptions ro = {
                .dim_given = p->dim_given, .sweep_id = q->sweep, .sweep_key = p->key, .stop = q->stop, .quiet = 1};
            rc = classifier_run(jdb, &c, data_for(q->data, c.tokenizer), &ro, &run, &res);
            if (rc < 0)
                snprintf(err, sizeof err, "%s", el_error());
        }
#pragma omp critical(sweep_state)
        {
            q->done++;
            q->failed += rc < 0 && !*q->stop;
            double el = now_seconds() - q->t0;
            q->cost_done += q->cost[i];
            q->cost_running -= q->cost[i];
            double worked = q->cost_done + q->cost_running / 2;
            char eta[32];
            format_duration(eta, sizeof eta, el * (q->cost_all - worked) / worked);
            if (rc == 0)
                fprintf(stderr,
                        "embedlab: [%d/%d] done   %s: run %lld, test accuracy %.4f (%d epochs, %.2f s/epoch); ETA %s\n",
                        q->done, q->ntodo, p->key, (long long)run, res.test_acc, res.epochs, res.seconds_per_epoch,
                        eta);
            else if (rc == 1)
                fprintf(stderr, "embedlab: [%d/%d] skip   %s: another process runs or ran it\n", q->done, q->ntodo,
                        p->key);
            else
                fprintf(stderr, "embedlab: [%d/%d] %s %s: %s\n", q->done, q->ntodo, *q->stop ? "stopped" : "FAILED",
                        p->key, err);
        }
    }
    lab_close(jdb);
}

/* Trains the embedding a point needs with its input kind's trainer, unless
 * lab.db has it: 0 when it is there after, else -1 (a stored kind's
 * embedding missing, too). Of several sweeps, one trains it (the claim,
 * db/runs.c) and the others wait for it, or train it themselves if that
 * process dies. On `threads` threads, unless --embed-options say otherwise;
 * on the train split of the data, as `embedlab embed train` by default. */
static int train_embedding(sqlite3 *db, const SweepJob *s, int threads, const GridPoint *p, const DataSets *ds) {
    const char *name = p->embedding;
    if (name && p->kind->source == EMB_STORED) {
        int have = db_embedding_exists(db, name);
        if (have == 0)
            el_fail("the embedding %s of --inputs %s is not in the lab database (see 'embedlab embed list')", name,
                    p->cfg.input_kind);
        return have == 1 ? 0 : -1;
    }
    const EmbedTrainer *t = name ? trainer_find(p->kind->trainer) : NULL;
    for (int waited = 0;; waited++) {
        int have = name ? db_embedding_exists(db, name) : 1;
        if (have != 0)
            return have < 0 ? -1 : 0;
        int claim = run_claim_embedding(db, name);
        if (claim < 0)
            return -1;
        if (claim == 0)
            break;
        if (*s->stop)
            return el_fail("interrupted while waiting for the embedding %s", name);
        if (waited == 0)
            fprintf(stderr, "embedlab: another process trains the %s embedding %s; waiting for it\n", t->name, name);
        sleep(1);
    }
    fprintf(stderr, "embedlab: training the %s embedding %s for dim %d\n", t->name, name, p->dim);
    void *params = xcalloc(1, t->params_size);
    int rc = trainer_defaults(t, params, p->dim);
    if (rc == 0)
        rc = trainer_options(t, s->g->embed_options, params, &threads);
    Corpus c;
    corpus_init(&c);
    c.tok = data_for(ds, p->cfg.tokenizer)->tok; /* the runs' very tokenizer (a learned one's model) */
    if (rc == 0)
        rc = source_read(&c, s->data, NULL, SPLIT_MASK(SPLIT_TRAIN));
    if (rc == 0) {
        el_set_threads(threads);
        EmbedJobResult r;
        rc = embed_job_train(db, name, &c, SPLIT_MASK(SPLIT_TRAIN), "train", t, params, &r);
        if (rc == 0)
            fprintf(stderr, "embedlab: trained %s: %d words x %d dims, %lld corpus tokens x %d epochs in %.1f s\n",
                    name, r.nwords, r.dim, (long long)r.corpus_tokens, r.epochs, r.seconds);
        el_set_threads(s->threads);
    }
    corpus_free(&c);
    free(params);
    if (rc != 0)
        fprintf(stderr, "embedlab: error: %s\n", el_error());
    if (rc != 0 && db_embedding_exists(db, name) == 1) {
        fprintf(stderr, "embedlab: another process saved the embedding %s first; the sweep uses that one\n", name);
        rc = 0;
    }
    run_release_embedding(db, name);
    return rc == 0 ? 0 : el_fail("training the %s embedding %s failed", t->name, name);
}

/* This shard's points that are neither finished nor running elsewhere, into
 * todo: their count; *elsewhere counts those running in another process. */
static int points_to_run(sqlite3 *db, const SweepJob *s, int64_t sweep, int *todo, int *mine, int *elsewhere) {
    int ntodo = 0;
    *mine = *elsewhere = 0;
    for (int i = 0; i < s->npts; i++) {
        if (i % s->g->nshards != s->g->shard)
            continue;
        (*mine)++;
        int state = run_point_state(db, sweep, s->pts[i].key);
        *elsewhere += state == RUN_POINT_RUNNING;
        if (state <= RUN_POINT_FREE) /* an error here shows when the run starts */
            todo[ntodo++] = i;
    }
    return ntodo;
}

/* The jobs over the queue, each with its share of the threads. */
static void run_jobs(Queue *q, int jobs, int threads) {
    if (jobs == 1) {
        run_queue(q); /* on this thread: a parallel region of one would nest each run's threads */
        return;
    }
    omp_set_max_active_levels(2);
#pragma omp parallel num_threads(jobs)
    {
        /* threads = 3, jobs = 2: one job gets 2 threads, the other 1. */
        int job = omp_get_thread_num();
        omp_set_num_threads(threads / jobs + (job < threads % jobs));
        run_queue(q);
    }
}

int sweep_run(const SweepJob *s, SweepOutcome *out) {
    memset(out, 0, sizeof *out);
    const Grid *g = s->g;
    int threads = s->threads > 0 ? s->threads : el_cores();
    sqlite3 *db;
    if (lab_open(s->path, &db) != 0)
        return -1;
    char *spec = grid_spec(g, s->data, s->test_data);
    int64_t sweep;
    int rc = sweep_find(db, g, spec, 1, &sweep) == 0 && run_mark_lost(db, sweep) == 0 ? 0 : -1;
    free(spec);
    if (rc != 0) {
        lab_close(db);
        return -1;
    }
    out->sweep = sweep;
    int *todo = xmalloc((s->npts + 1) * sizeof *todo), elsewhere;
    int ntodo = points_to_run(db, s, sweep, todo, &out->mine, &elsewhere);
    int finished_before = out->mine - ntodo - elsewhere;
    /* Whole runs in parallel scale better than threads inside one run (no
     * barrier per batch), so auto gives each run one thread; a sweep with
     * fewer runs left than threads gives them the spare ones. */
    int jobs = s->jobs;
    if (jobs == 0 || jobs > ntodo)
        jobs = ntodo > 0 && ntodo < threads ? ntodo : threads;
    if (jobs > threads)
        jobs = threads;
    double *cost = xmalloc((s->npts + 1) * sizeof *cost);
    for (int i = 0; i < s->npts; i++)
        cost[i] = sweep_point_cost(&s->pts[i].cfg.model);
    if (jobs > 1)
        sort_by_cost(todo, ntodo, cost);
    char share[64] = "", busy[64] = "";
    if (g->nshards > 1)
        snprintf(share, sizeof share, " of %d (shard %d/%d)", s->npts, g->shard, g->nshards);
    if (elsewhere)
        snprintf(busy, sizeof busy, ", %d running in another process", elsewhere);
    fprintf(stderr,
            "embedlab: sweep %lld: %d configuration%s%s; %d already finished%s, %d to run with %d job(s) x %d "
            "thread(s)\n",
            (long long)sweep, out->mine, out->mine == 1 ? "" : "s", share, finished_before, busy, ntodo, jobs,
            threads / jobs);
    DataSets data = {0};
    if (ntodo > 0 && data_sets_load(s, todo, ntodo, &data) != 0)
        rc = -1;
    /* Trained embeddings first, one per dimension, with every thread; stored ones checked. */
    for (int i = 0; i < ntodo && rc == 0 && !*s->stop; i++)
        rc = train_embedding(db, s, threads, &s->pts[todo[i]], &data);
    Queue q = {.pts = s->pts,
               .cost = cost,
               .stop = s->stop,
               .todo = todo,
               .ntodo = ntodo,
               .data = &data,
               .path = s->path,
               .sweep = sweep,
               .t0 = now_seconds()};
    for (int i = 0; i < ntodo; i++)
        q.cost_all += cost[todo[i]];
    if (rc == 0)
        run_jobs(&q, jobs, threads);
    data_sets_free(&data);
    out->failed = q.failed;
    /* What is finished now, this process's runs or another's. */
    for (int i = 0; i < s->npts; i++)
        if (i % g->nshards == g->shard)
            out->finished += run_point_state(db, sweep, s->pts[i].key) == RUN_POINT_FINISHED;
    lab_close(db);
    free(todo);
    free(cost);
    return rc;
}
