/* rnn/optim.c: SGD, RMSprop and Adam. */
#include "rnn/optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

#define BLOCK 4096
/* Below this many parameters a parallel loop costs more (fork, join, wake-ups)
 * than the arithmetic it shares out: the textbook models have 8,000. */
#define PARALLEL_FROM 65536

/* n zeros, written now rather than calloc's untouched pages: the moments
 * are read before they are written, so a calloc'd page is first mapped to
 * the shared zero page and then copied on its first write, a fault that
 * also flushes the other threads' TLBs. Over a subword table's 29 million
 * parameters those faults were 5% of a first epoch (perf: do_wp_page,
 * flush_tlb_mm_range). */
static real *zeros(int64_t n) {
    real *p = xmalloc_huge((size_t)n * sizeof(real)); /* the moments of a table's rows, read at random */
    memset(p, 0, (size_t)n * sizeof(real));
    return p;
}

void optim_init(Optimizer *o, int kind, double lr, double clip, int64_t n) {
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->lr = lr;
    o->clip = clip;
    o->n = n;
    if (kind != OPT_SGD)
        o->v = zeros(n);
    if (kind == OPT_ADAM)
        o->m = zeros(n);
}

void optim_free(Optimizer *o) {
    free(o->m);
    free(o->v);
    memset(o, 0, sizeof *o);
}

/* Sum of squares in fixed blocks, added in block order: deterministic. */
static double grad_norm(const real *g, int64_t from, int64_t n) {
    int64_t nblocks = (n - from + BLOCK - 1) / BLOCK;
    double *part = xcalloc((size_t)nblocks + 1, sizeof *part);
#pragma omp parallel for schedule(static) if (n - from > PARALLEL_FROM)
    for (int64_t k = 0; k < nblocks; k++) {
        double s = 0;
        int64_t end = from + (k + 1) * BLOCK < n ? from + (k + 1) * BLOCK : n;
        for (int64_t i = from + k * BLOCK; i < end; i++)
            s += (double)g[i] * g[i];
        part[k] = s;
    }
    double total = 0;
    for (int64_t k = 0; k < nblocks; k++)
        total += part[k];
    free(part);
    return sqrt(total);
}

/* One parameter's update, the formulas of rnn/optim.h; lr_t is Adam's
 * step size with its bias corrections. */
static inline void sgd_one(real *p, const real *g, int64_t i, real lr, real scale) { p[i] -= lr * scale * g[i]; }

/* In float throughout, as Keras' float32 optimisers: a double sqrt and
 * division per parameter took twice the time of the float ones in the
 * lazy row updates, a fifth of a subword-input epoch (perf). */
static inline void rmsprop_one(real *p, const real *g, real *v, int64_t i, real lr, real scale) {
    const real rho = (real)0.9, eps = (real)1e-7;
    real gi = scale * g[i];
    v[i] = rho * v[i] + (1 - rho) * gi * gi;
    p[i] -= lr * gi / (sqrtf(v[i]) + eps);
}

static inline void adam_one(real *p, const real *g, real *m, real *v, int64_t i, real lr_t, real scale) {
    const double b1 = 0.9, b2 = 0.999;
    const real eps = (real)1e-7;
    real gi = scale * g[i];
    m[i] = (real)b1 * m[i] + (real)(1 - b1) * gi;
    v[i] = (real)b2 * v[i] + (real)(1 - b2) * gi * gi;
    p[i] -= lr_t * m[i] / (sqrtf(v[i]) + eps);
}

/* This step's learning rate (o->step already counted): Adam's carries its
 * bias corrections. */
static real step_lr(const Optimizer *o) {
    if (o->kind != OPT_ADAM)
        return (real)o->lr;
    const double b1 = 0.9, b2 = 0.999;
    return (real)(o->lr * sqrt(1 - pow(b2, (double)o->step)) / (1 - pow(b1, (double)o->step)));
}

/* The update of params [from, to), the gradient scaled by scale; split over
 * threads when large. */
static void update_span(const Optimizer *o, real *p, const real *g, int64_t from, int64_t to, real scale) {
    real lr = step_lr(o);
    real *m = o->m, *v = o->v;
    if (o->kind == OPT_SGD) {
#pragma omp parallel for schedule(static) if (to - from > PARALLEL_FROM)
        for (int64_t i = from; i < to; i++)
            sgd_one(p, g, i, lr, scale);
    } else if (o->kind == OPT_RMSPROP) {
#pragma omp parallel for schedule(static) if (to - from > PARALLEL_FROM)
        for (int64_t i = from; i < to; i++)
            rmsprop_one(p, g, v, i, lr, scale);
    } else {
#pragma omp parallel for schedule(static) if (to - from > PARALLEL_FROM)
        for (int64_t i = from; i < to; i++)
            adam_one(p, g, m, v, i, lr, scale);
    }
}

/* Rows ahead of the one being updated whose cache lines are requested:
 * the rows of a large table are scattered, so each one's parameters and
 * moments otherwise wait on memory in turn (update_rows was 13% of a
 * subword-input epoch, perf). */
#define PREFETCH_ROWS 4

static void prefetch_row(const real *p, const real *m, const real *v, int64_t from, int64_t width) {
    for (int64_t i = 0; i < width; i += 64 / sizeof(real)) {
        __builtin_prefetch(p + from + i, 1);
        if (m)
            __builtin_prefetch(m + from + i, 1);
        if (v)
            __builtin_prefetch(v + from + i, 1);
    }
}

/* The same for the rows listed (row r: [r width, (r + 1) width)), one
 * parallel loop over rows. */
static void update_rows(const Optimizer *o, real *p, const real *g, const int32_t *rows, int64_t nrows, int64_t width,
                        real scale) {
    real lr = step_lr(o);
    real *m = o->m, *v = o->v;
    int kind = o->kind;
#pragma omp parallel for schedule(static) if (nrows * width > PARALLEL_FROM)
    for (int64_t k = 0; k < nrows; k++) {
        int64_t from = (int64_t)rows[k] * width, to = from + width;
        if (k + PREFETCH_ROWS < nrows) /* each thread's rows run in order: prefetch its own next ones */
            prefetch_row(p, m, v, (int64_t)rows[k + PREFETCH_ROWS] * width, width);
        if (kind == OPT_SGD) {
#pragma omp simd
            for (int64_t i = from; i < to; i++)
                sgd_one(p, g, i, lr, scale);
        } else if (kind == OPT_RMSPROP) {
#pragma omp simd
            for (int64_t i = from; i < to; i++)
                rmsprop_one(p, g, v, i, lr, scale);
        } else {
#pragma omp simd
            for (int64_t i = from; i < to; i++)
                adam_one(p, g, m, v, i, lr, scale);
        }
    }
}

/* The step's scale for the gradient: clip / norm when clipping is on and
 * the global norm is past it, else 1. */
static real clip_scale(const Optimizer *o, double norm) {
    return (real)(o->clip > 0 && norm > o->clip ? o->clip / norm : 1.0);
}

double optim_step(Optimizer *o, real *p, const real *g, int64_t from) {
    double norm = o->clip > 0 ? grad_norm(g, from, o->n) : 0; /* a pass over every parameter: only to clip */
    real scale = clip_scale(o, norm);
    o->step++;
    update_span(o, p, g, from, o->n, scale);
    return norm;
}

double optim_step_rows(Optimizer *o, real *p, const real *g, int64_t from, const int32_t *rows, int64_t nrows,
                       int64_t width) {
    double sq = 0;
    if (o->clip > 0) { /* the dense part, then the rows in list order: fixed */
        sq = grad_norm(g, from, o->n);
        sq *= sq;
        for (int64_t k = 0; k < nrows; k++) {
            const real *gr = g + (int64_t)rows[k] * width;
            double row = 0;
#pragma omp simd reduction(+ : row)
            for (int64_t j = 0; j < width; j++)
                row += (double)gr[j] * gr[j];
            sq += row;
        }
    }
    double norm = sqrt(sq);
    real scale = clip_scale(o, norm);
    o->step++;
    update_span(o, p, g, from, o->n, scale);
    update_rows(o, p, g, rows, nrows, width, scale);
    return norm;
}
