/* rnn/train.c: the training loop, evaluation and prediction. */
#include "rnn/train.h"

#include <assert.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/memory.h"
#include "core/progress.h"
#include "core/rng.h"

int classifier_model_config(const ClassifierConfig *c, ModelConfig *m) {
    memset(m, 0, sizeof *m);
    m->cell = cell_at(c->cell);
    if (!m->cell)
        return el_fail("unknown cell %d", c->cell); /* config_set admits only the registry's */
    assert(c->activation >= ACT_TANH && c->activation <= ACT_SELU);
    assert(c->input == INPUT_ONEHOT || c->input == INPUT_EMBED);
    m->activation = c->activation;
    m->onehot = c->input == INPUT_ONEHOT;
    m->vocab = c->vocab;
    m->dim = c->dim;
    m->units = c->units;
    m->layers = c->layers;
    m->maxlen = c->maxlen;
    m->freeze = c->freeze;
    m->mask = c->mask;
    m->pool = c->pool;
    m->bidirectional = c->bidirectional;
    m->dropout = c->dropout;
    m->recurrent_dropout = c->recurrent_dropout;
    return 0;
}

/* ---- memory estimate ----
 *
 * Counted from the allocations the code makes, not guessed: model_init()'s
 * layout, work_new()'s buffers, train_model()'s copies and the optimiser's
 * moments. tests/test_memory.c checks the parameter count against
 * model_init() and the scratch against what work_new() really allocates.
 * Measured on the test fixture (tests/cli_train.sh's 1200 reviews) with
 * /usr/bin/time -v, --threads 2, one epoch; estimate vs peak RSS:
 *   rnn, vocab 30, maxlen 20                         8.7 MiB vs   7.6 MiB
 *   lstm, 64 units, dim 64, vocab 30, adam          18.4 MiB vs  18.1 MiB
 *   lstm x2, 128 units, dim 128, maxlen 400, adam  707.5 MiB vs 713.8 MiB
 *   rnn, vocab 200000, dim 300, maxlen 50          938.8 MiB vs 937.9 MiB
 * (the corpus itself is loaded before the full check, so it is not counted). */

/* What a process of ours holds before any of this: code, libraries,
 * OpenBLAS and OpenMP buffers, SQLite's cache (about 8 MiB measured). */
#define BASELINE_BYTES ((size_t)8 << 20)

int64_t classifier_param_count(const ClassifierConfig *c) {
    const CellType *cell = cell_at(c->cell);
    int64_t G = cell ? cell->gates : 1, u = c->units, n = 0, dirs = c->bidirectional ? 2 : 1;
    int onehot = c->input == INPUT_ONEHOT;
    if (!onehot)
        n += (int64_t)c->vocab * c->dim;
    for (int l = 0; l < c->layers; l++) {
        int64_t in = l == 0 ? (onehot ? c->vocab : c->dim) : dirs * u;
        n += dirs * (in * G * u + u * G * u + G * u + (cell && cell->recurrent_bias ? G * u : 0));
    }
    return n + dirs * u + 1; /* the dense head */
}

size_t classifier_work_bytes(const ClassifierConfig *c) {
    const CellType *cell = cell_at(c->cell);
    size_t G = cell ? (size_t)cell->gates : 1, cache = cell ? (size_t)cell->cache : 1, sums = cell && cell->sums_z;
    size_t u = (size_t)c->units, B = CHUNK, TB = mem_mul((size_t)c->maxlen, B), Gu = G * u;
    size_t dirs = c->bidirectional ? 2 : 1, H = dirs * u;
    int onehot = c->input == INPUT_ONEHOT;
    size_t dim = onehot ? 0 : (size_t)c->dim, maxin = dim > H ? dim : H;
    size_t floats = 0;
    floats = mem_add(floats, mem_mul(TB, dim)); /* x0 */
    for (int l = 0; l < c->layers; l++) {
        size_t in = l == 0 ? (onehot ? 0 : dim) : H;                          /* dmask: none under one-hot */
        floats = mem_add(floats, l > 0 ? mem_mul(TB, H) : 0);                 /* xin */
        floats = mem_add(floats, B * in);                                     /* dmask */
        floats = mem_add(floats, dirs > 1 ? mem_mul(TB, H) : 0);              /* cat */
        for (size_t d = 0; d < dirs; d++) {                                   /* each cell: */
            floats = mem_add(floats, B * u);                                  /* rmask */
            floats = mem_add(floats, mem_mul(mem_mul(TB, Gu), sums ? 2 : 3)); /* zx, dzx, dzh unless sums_z */
            floats = mem_add(floats, mem_mul(mem_mul(TB, u), 4 + cache));     /* h, c, hpm, dh, cache */
        }
    }
    floats = mem_add(floats, dirs > 1 ? mem_mul(TB, H) : 0);      /* dcat */
    size_t pooled = c->pool != POOL_LAST || dirs > 1 ? B * H : 0; /* pooled and argmax */
    floats = mem_add(floats, pooled);
    size_t sparse = onehot ? (size_t)dirs * Gu : dim;
    floats = mem_add(floats, B * Gu + Gu * u + 6 * B * u + B); /* zstep, ut, the per-step rows, dlogit */
    floats = mem_add(floats, mem_mul(Gu, maxin));              /* wt */
    floats = mem_add(floats, mem_mul(TB, maxin));              /* dx */
    floats = mem_add(floats, mem_mul(TB, sparse));             /* rowgrad */
    /* Embedding input: the distinct tokens, each position's index among them, and their hash table. */
    size_t distinct =
        onehot ? 0 : mem_add(mem_mul(TB, 2 * sizeof(int32_t)), mem_mul(model_hash_slots(TB), sizeof(int32_t)));
    return mem_add(mem_add(mem_mul(floats, sizeof(real)), distinct),
                   mem_mul(TB, sizeof(int32_t) + 1) + B * sizeof(uint64_t) + pooled * sizeof(int32_t));
}

/* Copies of every parameter training holds: the parameters, the summed
 * gradient, the best weights, and the optimiser's moments. */
static size_t param_copies(const ClassifierConfig *c) {
    return 3 + (c->opt == OPT_ADAM ? 2 : c->opt == OPT_RMSPROP ? 1 : 0);
}

size_t classifier_memory(const ClassifierConfig *c, int threads, size_t reviews) {
    const CellType *cell = cell_at(c->cell);
    int onehot = c->input == INPUT_ONEHOT;
    size_t P = (size_t)classifier_param_count(c);
    size_t sparse = onehot ? (size_t)(cell ? cell->gates : 1) * (size_t)c->units : (size_t)c->dim;
    size_t dense = P - mem_mul((size_t)c->vocab, sparse);
    /* train_model takes one batch of the whole set when --batch is larger:
     * reviews (when known, else 0) bound the batch it really uses. */
    size_t batch = reviews > 0 && reviews < (size_t)c->batch ? reviews : (size_t)c->batch;
    int chunks = (int)((batch + CHUNK - 1) / CHUNK);
    if (chunks < threads)
        chunks = threads;
    /* Parameters, the summed gradient, the best weights, the moments: */
    size_t floats = mem_mul(P, param_copies(c));
    /* each chunk's gradient is allocated whole but only its dense part is
     * written (the sparse rows stay in the work), so only that is resident. */
    floats = mem_add(floats, mem_mul(dense, (size_t)chunks));
    size_t bytes = mem_add(BASELINE_BYTES, mem_mul(floats, sizeof(real)));
    bytes = mem_add(bytes, mem_mul(classifier_work_bytes(c), (size_t)chunks));
    /* The datasets: maxlen indices, a label and a review index per review;
     * the epoch's shuffled order and the reviews' steps (steps_of); an
     * evaluation's steps, order and sorting buffer (sort_by_steps), with
     * each chunk's gathered tokens. */
    bytes = mem_add(bytes, mem_mul(reviews, mem_mul((size_t)c->maxlen, sizeof(int32_t)) + 6 * sizeof(int32_t) + 4));
    bytes = mem_add(bytes, mem_mul(mem_mul((size_t)chunks * CHUNK, (size_t)c->maxlen), sizeof(int32_t)));
    return bytes;
}

/* Scratch for every chunk of one batch; grads[k] holds chunk k's dense gradient. */
typedef struct {
    int nchunks;
    Work **work;
    real **grads;
    real *probs; /* [batch] */
    double *loss;
    uint8_t *seen; /* [table rows] under fine-tuned subword input: the rows a batch touched */
    int32_t *list; /* [table rows] those rows, in chunk order */
} Slots;

/* grads: 1 for training (each chunk's dense gradient), 0 for forward-only use. */
static void slots_init(Slots *s, const Model *m, int batch, int grads) {
    s->nchunks = (batch + CHUNK - 1) / CHUNK;
    if (s->nchunks < el_threads())
        s->nchunks = el_threads(); /* evaluation uses one per thread too */
    s->work = xcalloc(s->nchunks, sizeof *s->work);
    s->grads = xcalloc(s->nchunks, sizeof *s->grads);
    for (int k = 0; k < s->nchunks; k++) {
        s->work[k] = work_new(m);
        if (grads)
            s->grads[k] = xcalloc((size_t)m->nparams, sizeof(real));
    }
    s->probs = xcalloc((size_t)s->nchunks * CHUNK, sizeof(real));
    s->loss = xcalloc(s->nchunks, sizeof(double));
    s->seen = NULL;
    s->list = NULL;
    if (grads && m->cfg.rows && !m->cfg.freeze) {
        s->seen = xcalloc((size_t)m->table_rows, 1);
        s->list = xmalloc((size_t)m->table_rows * sizeof *s->list);
    }
}

static void slots_free(Slots *s) {
    for (int k = 0; k < s->nchunks; k++) {
        work_free(s->work[k]);
        free(s->grads[k]);
    }
    free(s->work);
    free(s->grads);
    free(s->probs);
    free(s->loss);
    free(s->seen);
    free(s->list);
}

/* ---- the order of sequences: like lengths in one chunk ----
 *
 * Under --mask a chunk runs only the steps its sequences' tokens span
 * (model_steps), so a chunk of short reviews is cheap, but only if it holds
 * no long one. So a batch is sorted by steps, longest first, before it is cut
 * into chunks: the same sequences, the same gradient (a sum over them; only
 * the order of its terms moves), at a fraction of the steps. Evaluation sorts
 * the whole set. Without --mask every sequence runs maxlen steps and the
 * order stays as it is. */

/* Each of the n sequences' model_steps, computed once for a pass (an epoch
 * sorts every batch by them); NULL without --mask, where nothing is sorted. */
static int32_t *steps_of(const Model *m, const int32_t *x, int64_t n) {
    if (!m->cfg.mask)
        return NULL;
    int32_t *steps = xmalloc((size_t)(n ? n : 1) * sizeof *steps);
    for (int64_t i = 0; i < n; i++)
        steps[i] = model_steps(&m->cfg, x + (size_t)i * m->cfg.maxlen);
    return steps;
}

/* idx[0..n) (sequence numbers) reordered by steps[idx], most first; equal
 * steps keep their order (a counting sort: stable, so the order is a
 * function of the data alone, for any --threads). Nothing without steps. */
static void sort_by_steps(const int32_t *steps, int T, int32_t *idx, int64_t n) {
    if (!steps || n < 2)
        return;
    int64_t *count = xcalloc((size_t)T + 2, sizeof *count);
    int32_t *tmp = xmalloc((size_t)n * sizeof *tmp);
    for (int64_t i = 0; i < n; i++)
        count[T - steps[idx[i]] + 1]++; /* bucket T - steps: most steps first */
    for (int v = 1; v <= T + 1; v++)
        count[v] += count[v - 1];
    for (int64_t i = 0; i < n; i++)
        tmp[count[T - steps[idx[i]]]++] = idx[i];
    memcpy(idx, tmp, (size_t)n * sizeof *idx);
    free(count), free(tmp);
}

/* --bucket: order[0..n) (an epoch's shuffled order) cut into pools of
 * `bucket` batches; each pool sorted by steps, most first, then its whole
 * batches put in a random order (r), so that a batch holds reviews of like
 * length and the epoch still mixes long and short batches. A last partial
 * batch stays last. */
static void bucket_order(const int32_t *steps, int T, int32_t *order, int64_t n, int batch, int bucket, Rng *r) {
    int64_t pool = (int64_t)batch * bucket;
    int32_t *tmp = xmalloc((size_t)(pool < n ? pool : n) * sizeof *tmp);
    int32_t *perm = xmalloc((size_t)bucket * sizeof *perm);
    for (int64_t p0 = 0; p0 < n; p0 += pool) {
        int64_t len = n - p0 < pool ? n - p0 : pool;
        sort_by_steps(steps, T, order + p0, len);
        int full = (int)(len / batch);
        for (int k = 0; k < full; k++)
            perm[k] = k;
        rng_shuffle(r, perm, full);
        for (int k = 0; k < full; k++)
            memcpy(tmp + (size_t)k * batch, order + p0 + (int64_t)perm[k] * batch, (size_t)batch * sizeof *tmp);
        memcpy(order + p0, tmp, (size_t)full * batch * sizeof *tmp);
    }
    free(tmp), free(perm);
}

/* Forward-only over n sequences, chunk by chunk in parallel. Under --mask
 * in the order sort_by_steps gives, each chunk's sequences gathered into
 * its thread's buffer and the probabilities put back in each sequence's own
 * place; without it in place, in the given order. */
static double run_forward(const Model *m, Slots *s, const int32_t *x, const float *y, int64_t n, real *probs_out) {
    int T = m->cfg.maxlen;
    int64_t nchunks = (n + CHUNK - 1) / CHUNK;
    double *loss = xcalloc((size_t)nchunks + 1, sizeof *loss);
    int32_t *steps = steps_of(m, x, n), *order = NULL, *gather = NULL;
    if (steps) {
        order = xmalloc((size_t)(n ? n : 1) * sizeof *order);
        for (int64_t i = 0; i < n; i++)
            order[i] = (int32_t)i;
        sort_by_steps(steps, T, order, n);
        gather = xmalloc((size_t)s->nchunks * CHUNK * T * sizeof *gather);
    }
#pragma omp parallel for schedule(dynamic, 4)
    for (int64_t k = 0; k < nchunks; k++) {
        int slot = omp_get_thread_num() % s->nchunks;
        Work *w = s->work[slot];
        int64_t start = k * CHUNK;
        int B = (int)(n - start < CHUNK ? n - start : CHUNK);
        const int32_t *xs = x + (size_t)start * T; // (B,T)
        real labels[CHUNK], probs[CHUNK];
        if (order) {
            int32_t *g = gather + (size_t)slot * CHUNK * T;
            for (int b = 0; b < B; b++)
                memcpy(g + (size_t)b * T, x + (size_t)order[start + b] * T, T * sizeof *g);
            xs = g;
        }
        for (int b = 0; b < B && y; b++)
            labels[b] = y[order ? order[start + b] : start + b];
        loss[k] = model_chunk(m, w, xs, y ? labels : NULL, B, 0, 0, NULL, 1, NULL, probs);
        for (int b = 0; b < B && probs_out; b++)
            probs_out[order ? order[start + b] : start + b] = probs[b];
    }
    free(steps), free(order), free(gather);
    double total = 0;
    for (int64_t k = 0; k < nchunks; k++)
        total += loss[k]; /* chunk order: deterministic */
    free(loss);
    return total;
}

/* Loss and accuracy with the caller's scratch. */
static EvalResult evaluate_with(const Model *m, Slots *s, const Dataset *d, real *probs_out) {
    EvalResult r = {0, 0};
    if (d->n == 0)
        return r;
    real *probs = probs_out ? probs_out : xmalloc((size_t)d->n * sizeof *probs);
    r.loss = run_forward(m, s, d->x, d->y, d->n, probs) / d->n;
    int64_t right = 0;
    for (int64_t i = 0; i < d->n; i++)
        right += (probs[i] >= 0.5) == (d->y[i] >= 0.5);
    r.acc = (double)right / d->n;
    if (probs != probs_out)
        free(probs);
    return r;
}

EvalResult evaluate_probs(const Model *m, const Dataset *d, real *probs) {
    Slots s;
    slots_init(&s, m, CHUNK, 0);
    EvalResult r = evaluate_with(m, &s, d, probs);
    slots_free(&s);
    return r;
}

EvalResult evaluate(const Model *m, const Dataset *d) { return evaluate_probs(m, d, NULL); }

void predict_probs(const Model *m, const int32_t *x, int64_t n, real *probs) {
    Slots s;
    slots_init(&s, m, CHUNK, 0);
    run_forward(m, &s, x, NULL, n, probs);
    slots_free(&s);
}

/* Floats of row gradients below which the scatter stays on one thread. */
#define ROW_PARALLEL_FROM 65536

/* One batch of bsz sequences (xb, yb, their dataset ids): its chunks in
 * parallel, their gradients added in chunk order, one optimiser step. The
 * chunks' losses are added to *loss_sum in chunk order and the right guesses
 * to *right, so that the sums round the same for any --threads. */
static void train_batch(Model *m, Slots *sl, Optimizer *opt, real *grad, const int32_t *xb, const real *yb,
                        const uint64_t *ids, int bsz, uint64_t dseed, double *loss_sum, int64_t *right) {
    int T = m->cfg.maxlen;
    int nch = (bsz + CHUNK - 1) / CHUNK;
    real scale = (real)1.0 / bsz;
    /* Dynamic: sorted chunks differ in cost, and a chunk's result does not
     * depend on the thread that runs it. */
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < nch; k++) {
        int b0 = k * CHUNK, B = bsz - b0 < CHUNK ? bsz - b0 : CHUNK;
        sl->loss[k] = model_chunk(m, sl->work[k], xb + (size_t)b0 * T, yb + b0, B, 1, dseed, ids + b0, scale,
                                  sl->grads[k], sl->probs + b0);
    }
    /* Add the chunks' gradients in chunk order. */
    int64_t from = m->dense_from;
#pragma omp parallel for schedule(static) if (m->nparams - from > 65536)
    for (int64_t i = from; i < m->nparams; i++) {
        real g = 0;
        for (int k = 0; k < nch; k++)
            g += sl->grads[k][i];
        grad[i] = g;
    }
    /* The sparse rows: in threads when large (the subword rows of a batch
     * were a serial 4% of an epoch), each thread its fixed part of the rows. */
    int64_t rowwork = 0;
    for (int k = 0; k < nch; k++)
        rowwork += model_row_grad_size(m, sl->work[k]);
#pragma omp parallel if (rowwork > ROW_PARALLEL_FROM)
    {
        int part = omp_get_thread_num(), parts = omp_get_num_threads();
        for (int k = 0; k < nch; k++)
            model_add_row_grads_part(m, sl->work[k], grad, part, parts);
    }
    if (sl->list) { /* subword input: a lazy step over the rows the batch touched */
        int64_t n = 0;
        for (int k = 0; k < nch; k++)
            n = model_row_list(m, sl->work[k], sl->seen, sl->list, n);
        optim_step_rows(opt, m->params, grad, m->dense_from, sl->list, n, m->sparse_width);
        for (int64_t i = 0; i < n; i++) {
            sl->seen[sl->list[i]] = 0;
            memset(grad + (int64_t)sl->list[i] * m->sparse_width, 0, m->sparse_width * sizeof(real));
        }
    } else {
        optim_step(opt, m->params, grad, m->update_from);
        for (int k = 0; k < nch; k++)
            model_clear_row_grads(m, sl->work[k], grad);
    }
    for (int k = 0; k < nch; k++)
        *loss_sum += sl->loss[k];
    for (int b = 0; b < bsz; b++)
        *right += (sl->probs[b] >= 0.5) == (yb[b] >= 0.5);
}

int train_model(Model *m, const ClassifierConfig *c, const Dataset *train, const Dataset *val, EpochFn fn, void *ctx,
                volatile int *stop, TrainSummary *out) {
    memset(out, 0, sizeof *out);
    int T = m->cfg.maxlen, batch = c->batch;
    if (train->n > 0 && train->n < batch) /* one batch of all: no scratch for sequences that are not there */
        batch = (int)train->n;
    Optimizer opt;
    optim_init(&opt, c->opt, c->lr, c->clip, m->nparams);
    Slots s;
    slots_init(&s, m, batch, 1);
    /* Zeros written now, not calloc'd: the sparse rows are read (added to)
     * before written, and a calloc'd page would fault twice (rnn/optim.c, zeros). */
    real *grad = xmalloc_huge((size_t)m->nparams * sizeof(real)); /* the table's rows, at random */
    memset(grad, 0, (size_t)m->nparams * sizeof(real));
    real *best = xmalloc((size_t)m->nparams * sizeof(real));
    memcpy(best, m->params, (size_t)m->nparams * sizeof(real));
    int32_t *order = xmalloc((size_t)train->n * sizeof *order);
    int32_t *steps = steps_of(m, train->x, train->n); /* NULL without --mask */
    int32_t *xb = xmalloc((size_t)batch * T * sizeof *xb);
    real *yb = xmalloc((size_t)batch * sizeof *yb);
    uint64_t *ids = xmalloc((size_t)batch * sizeof *ids);
    out->best_val_loss = 1e300;
    int bad_epochs = 0, rc = 0;
    double t_start = now_seconds();
    int64_t nbatches = (train->n + batch - 1) / batch;
    for (int epoch = 1; epoch <= c->epochs && rc == 0; epoch++) {
        double t0 = now_seconds(), loss_sum = 0;
        int64_t right = 0;
        for (int64_t i = 0; i < train->n; i++)
            order[i] = (int32_t)i;
        Rng r;
        rng_seed(&r, c->seed * 7919 + (uint64_t)epoch);
        rng_shuffle(&r, order, train->n);
        if (c->bucket > 0 && steps)
            bucket_order(steps, T, order, train->n, batch, c->bucket, &r);
        char label[32];
        snprintf(label, sizeof label, "epoch %d/%d", epoch, c->epochs);
        Progress bar;
        progress_start(&bar, label, (double)nbatches, "batches");
        for (int64_t bi = 0; bi < nbatches && rc == 0; bi++) {
            int64_t start = bi * batch;
            int bsz = (int)(train->n - start < batch ? train->n - start : batch);
            sort_by_steps(steps, T, order + start, bsz);
            for (int b = 0; b < bsz; b++) {
                int32_t i = order[start + b];
                memcpy(xb + (size_t)b * T, train->x + (size_t)i * T, T * sizeof *xb);
                yb[b] = train->y[i];
                ids[b] = (uint64_t)i;
            }
            uint64_t dseed = (c->seed * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)epoch << 40) ^ (uint64_t)bi;
            train_batch(m, &s, &opt, grad, xb, yb, ids, bsz, dseed, &loss_sum, &right);
            if (bar.enabled) {
                char note[64];
                int64_t seen = start + bsz;
                snprintf(note, sizeof note, "loss %.4f acc %.4f", loss_sum / seen, (double)right / seen);
                progress_update(&bar, (double)(bi + 1), note);
            }
            if (stop && *stop)
                rc = 1;
        }
        if (rc)
            break;
        EpochMetrics e = {.epoch = epoch, .train_loss = loss_sum / train->n, .train_acc = (double)right / train->n};
        EvalResult v = evaluate_with(m, &s, val, NULL); /* the training scratch serves the forward passes */
        e.val_loss = v.loss;
        e.val_acc = v.acc;
        e.seconds = now_seconds() - t0;
        char note[96];
        snprintf(note, sizeof note, "loss %.4f acc %.4f val_loss %.4f val_acc %.4f", e.train_loss, e.train_acc,
                 e.val_loss, e.val_acc);
        progress_end(&bar, (double)nbatches, note);
        out->epochs_run = epoch;
        if (e.val_loss < out->best_val_loss) {
            out->best_val_loss = e.val_loss;
            out->best_val_acc = e.val_acc;
            out->best_epoch = epoch;
            memcpy(best, m->params, (size_t)m->nparams * sizeof(real));
            bad_epochs = 0;
        } else {
            bad_epochs++;
        }
        if (fn)
            rc = fn(&e, ctx);
        if (c->patience > 0 && bad_epochs >= c->patience)
            break;
        if (stop && *stop)
            rc = 1;
    }
    /* Restore the best weights, as Keras' EarlyStopping(restore_best_weights=True). */
    if (rc == 0 && out->best_epoch > 0)
        memcpy(m->params, best, (size_t)m->nparams * sizeof(real));
    out->seconds = now_seconds() - t_start;
    free(order), free(steps), free(xb), free(yb), free(ids), free(grad), free(best);
    slots_free(&s);
    optim_free(&opt);
    return rc;
}

int classifier_fits_subwords(const ClassifierConfig *c, int threads, size_t reviews, int64_t ngram_rows,
                             int64_t type_rows) {
    size_t per_row = mem_add(mem_mul(mem_mul((size_t)c->dim, sizeof(real)), param_copies(c)), 5); /* + seen, list */
    size_t bytes = mem_add(classifier_memory(c, threads, reviews), mem_mul((size_t)ngram_rows, per_row));
    bytes = mem_add(bytes, mem_mul((size_t)type_rows, sizeof(int32_t) + sizeof(int64_t)));
    char what[200];
    snprintf(what, sizeof what, "--dim %d with %lld n-gram rows, --vocab %d, %d threads", c->dim, (long long)ngram_rows,
             c->vocab, threads);
    return mem_check(bytes, what);
}

int classifier_fits(const ClassifierConfig *c, int threads, size_t reviews) {
    char what[200];
    int n = snprintf(what, sizeof what, "--vocab %d", c->vocab);
    if (c->input != INPUT_ONEHOT)
        n += snprintf(what + n, sizeof what - n, " --dim %d", c->dim);
    snprintf(what + n, sizeof what - n, " --units %d --layers %d --maxlen %d --batch %d, %d threads", c->units,
             c->layers, c->maxlen, c->batch, threads);
    return mem_check(classifier_memory(c, threads, reviews), what);
}
