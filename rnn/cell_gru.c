/* rnn/cell_gru.c: GRU, Keras' default reset_after=True formulation (gate
 * order z, r, h; the recurrent side has its own bias, inside zh).
 *
 *   z = s(zx_z + zh_z)   r = s(zx_r + zh_r)   hh = fast_tanh(zx_h + r zh_h)
 *   h = z h_prev + (1 - z) hh
 * Backward:
 *   dz = dh (h_prev - hh)   dhh = dh (1 - z)   dh_prev (direct) = dh z
 *   a_h = dhh (1 - hh^2)    dr = a_h zh_h
 *   dzx = [dz z(1-z), dr r(1-r), a_h]   dzh = [dz z(1-z), dr r(1-r), a_h r] */
#include "core/fastmath.h"
#include "rnn/cell.h"

enum { GZ, GR, GH, CACHE };

static void gru_forward(const StepForward *s) {
    int u = s->units;
    for (int b = 0; b < s->batch; b++) {
        const real *zx = s->zx + (long)b * 3 * u, *zh = s->zh + (long)b * 3 * u, *hp = s->h_prev + (long)b * u;
        real *h = s->h + (long)b * u, *k = s->cache + (long)b * CACHE * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            real z = fast_sigmoid(zx[GZ * u + j] + zh[GZ * u + j]);
            real r = fast_sigmoid(zx[GR * u + j] + zh[GR * u + j]);
            real hh = fast_tanh(zx[GH * u + j] + r * zh[GH * u + j]);
            h[j] = z * hp[j] + (1 - z) * hh;
            k[GZ * u + j] = z;
            k[GR * u + j] = r;
            k[GH * u + j] = hh;
        }
    }
}

static void gru_backward(const StepBackward *s) {
    int u = s->units;
    for (int b = 0; b < s->batch; b++) {
        const real *k = s->cache + (long)b * CACHE * u, *zh = s->zh + (long)b * 3 * u;
        const real *hp = s->h_prev + (long)b * u, *dh = s->dh + (long)b * u;
        real *dzx = s->dzx + (long)b * 3 * u, *dzh = s->dzh + (long)b * 3 * u, *dhp = s->dh_prev + (long)b * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            real z = k[GZ * u + j], r = k[GR * u + j], hh = k[GH * u + j];
            real dz = dh[j] * (hp[j] - hh) * z * (1 - z);
            real ah = dh[j] * (1 - z) * (1 - hh * hh);
            real dr = ah * zh[GH * u + j] * r * (1 - r);
            dzx[GZ * u + j] = dzh[GZ * u + j] = dz;
            dzx[GR * u + j] = dzh[GR * u + j] = dr;
            dzx[GH * u + j] = ah;
            dzh[GH * u + j] = ah * r;
            dhp[j] = dh[j] * z;
        }
    }
}

static void gru_init_bias(real *b, int units) {
    for (int j = 0; j < 3 * units; j++)
        b[j] = 0;
}

const CellType cell_gru = {
    .name = "gru",
    .gates = 3,
    .recurrent_bias = 1,
    .cell_state = 0,
    .cache = CACHE,
    .init_bias = gru_init_bias,
    .forward = gru_forward,
    .backward = gru_backward,
};
