/* rnn/cell_gru.c: GRU, Keras' default reset_after=True formulation (gate
 * order z, r, h; the recurrent side has its own bias, inside zh).
 *
 *   z = s(zx_z + zh_z)   r = s(zx_r + zh_r)   hh = fast_tanh(zx_h + r zh_h)
 *   h = z h_prev + (1 - z) hh
 * Backward:
 *   dz = dh (h_prev - hh)   dhh = dh (1 - z)   dh_prev (direct) = dh z
 *   a_h = dhh (1 - hh^2)    dr = a_h zh_h
 *   dzx = [dz z(1-z), dr r(1-r), a_h]   dzh = [dz z(1-z), dr r(1-r), a_h r]
 *
 * As rnn/cell_lstm.c: one flat loop over the B x u values of a step on a
 * planar cache (a [B x u] block each), gathered from zx and zh's rows first
 * and scattered back to dzx and dzh's rows after, so that small u fills
 * whole vector registers. */
#include "core/fastmath.h"
#include "rnn/cell.h"

/* Cache blocks: z, r, hh, and zh_h (the backward's dr needs it). */
enum { GZ, GR, GH, ZH, CACHE };

static void gru_forward(const StepForward *s) {
    int u = s->units, n = s->batch * u;
    real *k = s->cache;
    for (int b = 0; b < s->batch; b++) { /* planar pre-activations: z, r summed; zx_h and zh_h apart */
        const real *zx = s->zx + (long)b * 3 * u, *zh = s->zh + (long)b * 3 * u;
        real *kz = k + GZ * n + (long)b * u, *kr = k + GR * n + (long)b * u;
        real *kx = k + GH * n + (long)b * u, *kzh = k + ZH * n + (long)b * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            kz[j] = zx[GZ * u + j] + zh[GZ * u + j];
            kr[j] = zx[GR * u + j] + zh[GR * u + j];
            kx[j] = zx[GH * u + j];
            kzh[j] = zh[GH * u + j];
        }
    }
    real *kz = k + GZ * n, *kr = k + GR * n, *kh = k + GH * n;
    const real *kzh = k + ZH * n, *hp = s->h_prev;
    real *h = s->h;
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real z = fast_sigmoid(kz[e]);
        real r = fast_sigmoid(kr[e]);
        real hh = fast_tanh(kh[e] + r * kzh[e]);
        h[e] = z * hp[e] + (1 - z) * hh;
        kz[e] = z;
        kr[e] = r;
        kh[e] = hh;
    }
}

static void gru_backward(const StepBackward *s) {
    int u = s->units, n = s->batch * u;
    const real *k = s->cache;
    const real *kz = k + GZ * n, *kr = k + GR * n, *kh = k + GH * n, *kzh = k + ZH * n;
    const real *hp = s->h_prev, *dh = s->dh;
    real *d = s->dzh; /* dz, dr, a_h planar first (block g at d + g n), then dzh's rows */
    real *dhp = s->dh_prev;
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real z = kz[e], r = kr[e], hh = kh[e];
        real ah = dh[e] * (1 - z) * (1 - hh * hh);
        d[GZ * n + e] = dh[e] * (hp[e] - hh) * z * (1 - z);
        d[GR * n + e] = ah * kzh[e] * r * (1 - r);
        d[GH * n + e] = ah;
        dhp[e] = dh[e] * z;
    }
    /* dzx's rows from the planar blocks (all read before dzh is written
     * over them), then dzh's: dzx's, but a_h r for the h gate. */
    for (int b = 0; b < s->batch; b++) {
        real *dzx = s->dzx + (long)b * 3 * u;
        const real *pz = d + GZ * n + (long)b * u, *pr = d + GR * n + (long)b * u, *ph = d + GH * n + (long)b * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            dzx[GZ * u + j] = pz[j];
            dzx[GR * u + j] = pr[j];
            dzx[GH * u + j] = ph[j];
        }
    }
    for (int b = 0; b < s->batch; b++) {
        const real *dzx = s->dzx + (long)b * 3 * u, *r = kr + (long)b * u;
        real *dzh = s->dzh + (long)b * 3 * u;
#pragma omp simd
        for (int j = 0; j < u; j++) {
            dzh[GZ * u + j] = dzx[GZ * u + j];
            dzh[GR * u + j] = dzx[GR * u + j];
            dzh[GH * u + j] = dzx[GH * u + j] * r[j];
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
