/* rnn/cell_lstm.c: LSTM, Keras' formulation (gate order i, f, c, o;
 * sigmoid gates, tanh candidate and output; forget-gate bias starts at 1).
 *
 *   i = s(z_i)  f = s(z_f)  g = fast_tanh(z_c)  o = s(z_o)      z = zx + zh
 *   c = f c_prev + i g      h = o fast_tanh(c)
 * Backward, with dC = dc + dh o (1 - fast_tanh(c)^2):
 *   dz_i = dC g i(1-i)   dz_f = dC c_prev f(1-f)   dz_c = dC i (1-g^2)
 *   dz_o = dh fast_tanh(c) o(1-o)                        dc_prev = dC f */
#include "core/fastmath.h"
#include "rnn/cell.h"

/* Cache blocks: the four gates, then fast_tanh(c). (Not I: <complex.h> owns it.) */
enum { GI, GF, GC, GO, TC, CACHE };

static void lstm_forward(const StepForward *s) {
    int u = s->units;
    for (int b = 0; b < s->batch; b++) {
        const real *zx = s->zx + (long)b * 4 * u, *zh = s->zh + (long)b * 4 * u;
        const real *cp = s->c_prev + (long)b * u;
        real *h = s->h + (long)b * u, *c = s->c + (long)b * u, *k = s->cache + (long)b * CACHE * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            real i = fast_sigmoid(zx[GI * u + j] + zh[GI * u + j]);
            real f = fast_sigmoid(zx[GF * u + j] + zh[GF * u + j]);
            real g = fast_tanh(zx[GC * u + j] + zh[GC * u + j]);
            real o = fast_sigmoid(zx[GO * u + j] + zh[GO * u + j]);
            c[j] = f * cp[j] + i * g;
            real tc = fast_tanh(c[j]);
            h[j] = o * tc;
            k[GI * u + j] = i;
            k[GF * u + j] = f;
            k[GC * u + j] = g;
            k[GO * u + j] = o;
            k[TC * u + j] = tc;
        }
    }
}

static void lstm_backward(const StepBackward *s) {
    int u = s->units;
    for (int b = 0; b < s->batch; b++) {
        const real *k = s->cache + (long)b * CACHE * u, *cp = s->c_prev + (long)b * u;
        const real *dh = s->dh + (long)b * u, *dc = s->dc + (long)b * u;
        real *dzx = s->dzx + (long)b * 4 * u, *dzh = s->dzh + (long)b * 4 * u;
        real *dhp = s->dh_prev + (long)b * u, *dcp = s->dc_prev + (long)b * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            real i = k[GI * u + j], f = k[GF * u + j], g = k[GC * u + j], o = k[GO * u + j], tc = k[TC * u + j];
            real dC = dc[j] + dh[j] * o * (1 - tc * tc);
            real di = dC * g * i * (1 - i);
            real df = dC * cp[j] * f * (1 - f);
            real dg = dC * i * (1 - g * g);
            real dout = dh[j] * tc * o * (1 - o);
            dzx[GI * u + j] = dzh[GI * u + j] = di;
            dzx[GF * u + j] = dzh[GF * u + j] = df;
            dzx[GC * u + j] = dzh[GC * u + j] = dg;
            dzx[GO * u + j] = dzh[GO * u + j] = dout;
            dcp[j] = dC * f;
            dhp[j] = 0;
        }
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
    .cache = CACHE,
    .init_bias = lstm_init_bias,
    .forward = lstm_forward,
    .backward = lstm_backward,
};
