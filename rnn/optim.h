/* rnn/optim.h: optimisers with Keras' defaults, and global-norm clipping.
 *
 *   sgd      p -= lr g
 *   rmsprop  v = rho v + (1 - rho) g^2;  p -= lr g / (sqrt(v) + eps)      rho 0.9, eps 1e-7
 *   adam     m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *            p -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps)    0.9, 0.999, 1e-7
 *
 * Updates are element-wise and split over threads in fixed blocks; the norm
 * for clipping is summed in a fixed order, so results never depend on the
 * thread count. */
#ifndef EL_OPTIM_H
#define EL_OPTIM_H

#include <stdint.h>

#include "core/real.h"

enum { OPT_SGD, OPT_RMSPROP, OPT_ADAM };

typedef struct {
    int kind;
    double lr, clip; /* clip <= 0: none */
    int64_t n;
    real *m, *v;
    int64_t step;
} Optimizer;

void optim_init(Optimizer *o, int kind, double lr, double clip, int64_t n);
void optim_free(Optimizer *o);
/* Updates params[from .. n) from grad; returns the gradient norm before
 * clipping, or 0 when clipping is off (the norm is a pass over every
 * parameter, taken only to clip). */
double optim_step(Optimizer *o, real *params, const real *grad, int64_t from);
/* The lazy step of a row-sparse block (LazyAdam, PyTorch's SparseAdam):
 * params[from .. n) as optim_step, and below from only the listed rows
 * (row r: params [r width, (r + 1) width)), their moments too; rows not
 * listed keep their values and moments. The norm sums the rows in list
 * order after the rest. Returns the norm before clipping (0 when off). */
double optim_step_rows(Optimizer *o, real *params, const real *grad, int64_t from, const int32_t *rows, int64_t nrows,
                       int64_t width);

#endif
