/* tests/toys/cell_toy.c: a cell that exists only in the test build
 * (ARCHITECTURE.md, "How to add": a cell is one file and one registration):
 * a SimpleRNN with the softsign activation, h = z / (1 + |z|), z = zx + zh,
 * whose derivative from the output is (1 - |h|)^2. */
#include <math.h>

#include "rnn/cell.h"
#include "tests/toys/toys.h"

static void toy_forward(const StepForward *s) {
    int n = s->batch * s->units;
    for (int i = 0; i < n; i++) {
        real z = s->zx[i] + s->zh[i];
        s->h[i] = s->cache[i] = z / (1 + fabs(z));
    }
}

static void toy_backward(const StepBackward *s) {
    int n = s->batch * s->units;
    for (int i = 0; i < n; i++) {
        real g = 1 - fabs(s->cache[i]);
        real d = s->dh[i] * g * g;
        s->dzx[i] = d;
        s->dzh[i] = d;
        s->dh_prev[i] = 0; /* h_prev reaches h only through zh */
    }
}

static void toy_init_bias(real *b, int units) {
    for (int i = 0; i < units; i++)
        b[i] = 0;
}

const CellType cell_toy = {
    .name = "toy",
    .gates = 1,
    .recurrent_bias = 0,
    .cell_state = 0,
    .cache = 1,
    .init_bias = toy_init_bias,
    .forward = toy_forward,
    .backward = toy_backward,
};
