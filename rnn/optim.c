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

static const char *const names[] = {"sgd", "rmsprop", "adam"};

int optim_find(const char *name) {
    for (int i = 0; i < 3; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

void optim_init(Optimizer *o, int kind, double lr, double clip, int64_t n) {
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->lr = lr;
    o->clip = clip;
    o->n = n;
    if (kind != OPT_SGD)
        o->v = xcalloc((size_t)n, sizeof(real));
    if (kind == OPT_ADAM)
        o->m = xcalloc((size_t)n, sizeof(real));
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

double optim_step(Optimizer *o, real *p, const real *g, int64_t from) {
    double norm = grad_norm(g, from, o->n);
    real scale = (real)(o->clip > 0 && norm > o->clip ? o->clip / norm : 1.0);
    o->step++;
    real lr = (real)o->lr, eps = (real)1e-7;
    if (o->kind == OPT_SGD) {
#pragma omp parallel for schedule(static) if (o->n - from > PARALLEL_FROM)
        for (int64_t i = from; i < o->n; i++)
            p[i] -= lr * scale * g[i];
    } else if (o->kind == OPT_RMSPROP) {
        const real rho = (real)0.9;
        real *v = o->v;
#pragma omp parallel for schedule(static) if (o->n - from > PARALLEL_FROM)
        for (int64_t i = from; i < o->n; i++) {
            real gi = scale * g[i];
            v[i] = rho * v[i] + (1 - rho) * gi * gi;
            p[i] -= lr * gi / (sqrt(v[i]) + eps);
        }
    } else {
        const double b1 = 0.9, b2 = 0.999;
        real lr_t = (real)(o->lr * sqrt(1 - pow(b2, (double)o->step)) / (1 - pow(b1, (double)o->step)));
        real *m = o->m, *v = o->v;
#pragma omp parallel for schedule(static) if (o->n - from > PARALLEL_FROM)
        for (int64_t i = from; i < o->n; i++) {
            real gi = scale * g[i];
            m[i] = (real)b1 * m[i] + (real)(1 - b1) * gi;
            v[i] = (real)b2 * v[i] + (real)(1 - b2) * gi * gi;
            p[i] -= lr_t * m[i] / (sqrt(v[i]) + eps);
        }
    }
    return norm;
}
