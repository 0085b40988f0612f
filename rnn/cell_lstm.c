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
 * back. A cell of whole vectors (CELL_ROW_UNITS) needs neither: its rows
 * fill the registers as they are, and the gates read z and write dz in
 * place, row by row, with the cache in the same planar layout. The gates
 * read zx and zh only as their sum (sums_z): the driver hands over
 * z = zx + zh, and dzx is also dzh. */

#include "core/fastmath.h"
#include "rnn/cell.h"

/* Cache blocks: the four gates, then fast_tanh(c). (Not I: <complex.h> owns it.) */
enum { GI, GF, GC, GO, TC, CACHE };

/* The gates of n values: pre-activations zi, zf, zc, zo in, the planar
 * cache blocks ki .. kt, c and h out (z may be the cache blocks themselves:
 * each value is read before it is written). */
static inline void gates_forward(const real *zi, const real *zf, const real *zc, const real *zo, const real *cp,
                                 real *ki, real *kf, real *kc, real *ko, real *kt, real *c, real *h, int n) {
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real i = fast_sigmoid(zi[e]);
        real f = fast_sigmoid(zf[e]);
        real g = fast_tanh(zc[e]);
        real o = fast_sigmoid(zo[e]);
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

static void lstm_forward(const StepForward *s) {
    int u = s->units, n = s->batch * u;
    real *k = s->cache;
    real *ki = k + GI * n, *kf = k + GF * n, *kc = k + GC * n, *ko = k + GO * n, *kt = k + TC * n;
    if (u % CELL_ROW_UNITS == 0) {
        for (int b = 0; b < s->batch; b++) {
            const real *z = s->zx + (long)b * 4 * u; /* z (in zx: sums_z): row b, gates one after another */
            long r = (long)b * u;
            gates_forward(z, z + u, z + 2 * u, z + 3 * u, s->c_prev + r, ki + r, kf + r, kc + r, ko + r, kt + r,
                          s->c + r, s->h + r, u);
        }
        return;
    }
    /* The pre-activations z, planar: block g, row b at k + g n + b u. */
    for (int b = 0; b < s->batch; b++)
        for (int g = 0; g < 4; g++) {
            const real *z = s->zx + (long)b * 4 * u + g * u;
            real *kg = k + (long)g * n + (long)b * u;
#pragma omp simd
            for (int j = 0; j < u; j++) /* a loop, not memcpy: at 8 units a call per 32 bytes cost more than the copy */
                kg[j] = z[j];
        }
    gates_forward(ki, kf, kc, ko, s->c_prev, ki, kf, kc, ko, kt, s->c, s->h, n);
}

/* The gate gradients of n values, into di .. do (planar scratch blocks, or
 * the four gate segments of a dzx row). */
static inline void gates_backward(const real *ki, const real *kf, const real *kc, const real *ko, const real *kt,
                                  const real *cp, const real *dh, const real *dc, real *di, real *df, real *dg,
                                  real *dout, real *dcp, real *dhp, int n) {
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real i = ki[e], f = kf[e], g = kc[e], o = ko[e], tc = kt[e];
        real dC = dc[e] + dh[e] * o * (1 - tc * tc);
        di[e] = dC * g * i * (1 - i);
        df[e] = dC * cp[e] * f * (1 - f);
        dg[e] = dC * i * (1 - g * g);
        dout[e] = dh[e] * tc * o * (1 - o);
        dcp[e] = dC * f;
        dhp[e] = 0;
    }
}

static void lstm_backward(const StepBackward *s) {
    int u = s->units, n = s->batch * u;
    const real *k = s->cache;
    const real *ki = k + GI * n, *kf = k + GF * n, *kc = k + GC * n, *ko = k + GO * n, *kt = k + TC * n;
    if (u % CELL_ROW_UNITS == 0) {
        for (int b = 0; b < s->batch; b++) {
            real *row = s->dzx + (long)b * 4 * u; /* dzx (also dzh) row b */
            long r = (long)b * u;
            gates_backward(ki + r, kf + r, kc + r, ko + r, kt + r, s->c_prev + r, s->dh + r, s->dc + r, row, row + u,
                           row + 2 * u, row + 3 * u, s->dc_prev + r, s->dh_prev + r, u);
        }
        return;
    }
    real *d = s->scratch; /* the gate gradients, planar (block g at d + g n), then as rows in dzx */
    gates_backward(ki, kf, kc, ko, kt, s->c_prev, s->dh, s->dc, d, d + n, d + 2 * n, d + 3 * n, s->dc_prev, s->dh_prev,
                   n);
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
