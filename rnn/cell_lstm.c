/* rnn/cell_lstm.c: LSTM, Keras' formulation (gate order i, f, c, o;
 * sigmoid gates, tanh candidate and output; forget-gate bias starts at 1).
 *
 *   i = s(z_i)  f = s(z_f)  g = fast_tanh(z_c)  o = s(z_o)      z = zx + zh
 *   c = f c_prev + i g      h = o fast_tanh(c)
 * Backward, with dC = dc + dh o (1 - fast_tanh(c)^2):
 *   dz_i = dC g i(1-i)   dz_f = dC c_prev f(1-f)   dz_c = dC i (1-g^2)
 *   dz_o = dh fast_tanh(c) o(1-o)                        dc_prev = dC f
 *
 * The element-wise work runs over all B x u values of a step as one flat
 * loop, so that it fills whole vector registers even when u is smaller than
 * one (the textbook's 8 units: a per-row loop ran half-empty, masked).
 * That needs each gate's values side by side over the batch, so the cache
 * is planar, block k holding [B x u] (its own layout: only this file reads
 * it); z, whose rows hold the gates one after another, is gathered into it
 * first, and the backward's gate gradients (planar in scratch) scattered
 * back. The gates read zx and zh only as their sum (sums_z): the driver
 * hands over z = zx + zh, and dzx is also dzh. */

#include "core/fastmath.h"
#include "rnn/cell.h"

/* Cache blocks: the four gates, then fast_tanh(c). (Not I: <complex.h> owns it.) */
enum { GI, GF, GC, GO, TC, CACHE };

static void lstm_forward(const StepForward *s) {
    int u = s->units, n = s->batch * u;
    real *k = s->cache;
    /* The pre-activations z (in zx: sums_z), planar: block g, row b at k + g n + b u. */
    for (int b = 0; b < s->batch; b++)
        for (int g = 0; g < 4; g++) {
            const real *z = s->zx + (long)b * 4 * u + g * u;
            real *kg = k + (long)g * n + (long)b * u;
#pragma omp simd
            for (int j = 0; j < u; j++) /* a loop, not memcpy: at 8 units a call per 32 bytes cost more than the copy */
                kg[j] = z[j];
        }
    real *ki = k + GI * n, *kf = k + GF * n, *kc = k + GC * n, *ko = k + GO * n, *kt = k + TC * n;
    const real *cp = s->c_prev;
    real *h = s->h, *c = s->c;
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real i = fast_sigmoid(ki[e]);
        real f = fast_sigmoid(kf[e]);
        real g = fast_tanh(kc[e]);
        real o = fast_sigmoid(ko[e]);
        c[e] = f * cp[e] + i * g;
        real tc = fast_tanh(c[e]);
        h[e] = o * tc;
        ki[e] = i;
        kf[e] = f;
        kc[e] = g;
        ko[e] = o;
        kt[e] = tc;
    }
}

static void lstm_backward(const StepBackward *s) {
    int u = s->units, n = s->batch * u;
    const real *k = s->cache;
    const real *ki = k + GI * n, *kf = k + GF * n, *kc = k + GC * n, *ko = k + GO * n, *kt = k + TC * n;
    const real *cp = s->c_prev, *dh = s->dh, *dc = s->dc;
    real *d = s->scratch; /* the gate gradients, planar (block g at d + g n), then as rows in dzx */
    real *dcp = s->dc_prev, *dhp = s->dh_prev;
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real i = ki[e], f = kf[e], g = kc[e], o = ko[e], tc = kt[e];
        real dC = dc[e] + dh[e] * o * (1 - tc * tc);
        d[GI * n + e] = dC * g * i * (1 - i);
        d[GF * n + e] = dC * cp[e] * f * (1 - f);
        d[GC * n + e] = dC * i * (1 - g * g);
        d[GO * n + e] = dh[e] * tc * o * (1 - o);
        dcp[e] = dC * f;
        dhp[e] = 0;
    }
    /* dzx (also dzh) in rows (B x 4u) from the planar blocks. */
    for (int b = 0; b < s->batch; b++)
        for (int g = 0; g < 4; g++) {
            real *row = s->dzx + (long)b * 4 * u + g * u;
            const real *dg = d + (long)g * n + (long)b * u;
#pragma omp simd
            for (int j = 0; j < u; j++)
                row[j] = dg[j];
        }
}

static void lstm_init_bias(real *b, int units) {
    for (int j = 0; j < 4 * units; j++)
        b[j] = (j >= GF * units && j < GC * units) ? 1 : 0; /* unit_forget_bias */
}

const CellType cell_lstm = {
    .name = "lstm",
    .gates = 4,
    .recurrent_bias = 0,
    .cell_state = 1,
    .sums_z = 1,
    .cache = CACHE,
    .init_bias = lstm_init_bias,
    .forward = lstm_forward,
    .backward = lstm_backward,
};
