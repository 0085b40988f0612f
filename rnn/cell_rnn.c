/* rnn/cell_rnn.c: SimpleRNN, h = act(x W + h_prev U + b).
 * Activations: tanh (default), relu, leaky_relu (slope 0.2, as Keras'
 * activations.leaky_relu), selu. Each derivative is written in terms of the
 * output h, so the cache is h itself. */
#include "core/fastmath.h"
#include "rnn/cell.h"

#define LEAKY_SLOPE 0.2
#define SELU_ALPHA 1.6732632423543772848170429916717
#define SELU_SCALE 1.0507009873554804934193349852946

static real activate(real x, int act) {
    switch (act) {
    case ACT_RELU: return x > 0 ? x : 0;
    case ACT_LEAKY_RELU: return x > 0 ? x : (real)LEAKY_SLOPE * x;
    case ACT_SELU: return x > 0 ? (real)SELU_SCALE * x : (real)(SELU_SCALE * SELU_ALPHA) * (fast_exp(x) - 1);
    default: return fast_tanh(x);
    }
}

/* d act / d x, from the output y = act(x). */
static real derivative(real y, int act) {
    switch (act) {
    case ACT_RELU: return y > 0 ? 1 : 0;
    case ACT_LEAKY_RELU: return y > 0 ? 1 : (real)LEAKY_SLOPE;
    case ACT_SELU: return y > 0 ? (real)SELU_SCALE : y + (real)(SELU_SCALE * SELU_ALPHA);
    default: return 1 - y * y;
    }
}

/* The activation is chosen outside the loops, so each loop vectorises. */
static void rnn_forward(const StepForward *s) {
    int n = s->batch * s->units;
    real *h = s->h, *k = s->cache;
    const real *z = s->zx; /* zx + zh (sums_z) */
    switch (s->activation) {
    case ACT_RELU:
#pragma omp simd
        for (int i = 0; i < n; i++)
            h[i] = k[i] = activate(z[i], ACT_RELU);
        break;
    case ACT_LEAKY_RELU:
#pragma omp simd
        for (int i = 0; i < n; i++)
            h[i] = k[i] = activate(z[i], ACT_LEAKY_RELU);
        break;
    case ACT_SELU:
#pragma omp simd
        for (int i = 0; i < n; i++)
            h[i] = k[i] = activate(z[i], ACT_SELU);
        break;
    default:
#pragma omp simd
        for (int i = 0; i < n; i++)
            h[i] = k[i] = fast_tanh(z[i]);
    }
}

static void rnn_backward(const StepBackward *s) {
    int n = s->batch * s->units, act = s->activation;
#pragma omp simd
    for (int i = 0; i < n; i++) {
        real d = s->dh[i] * derivative(s->cache[i], act);
        s->dzx[i] = d;     /* also dzh (sums_z) */
        s->dh_prev[i] = 0; /* h_prev reaches h only through zh */
    }
}

static void rnn_init_bias(real *b, int units) {
    for (int i = 0; i < units; i++)
        b[i] = 0;
}

const CellType cell_rnn = {
    .name = "rnn",
    .gates = 1,
    .recurrent_bias = 0,
    .cell_state = 0,
    .sums_z = 1,
    .cache = 1,
    .init_bias = rnn_init_bias,
    .forward = rnn_forward,
    .backward = rnn_backward,
};
