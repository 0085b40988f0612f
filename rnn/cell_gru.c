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
 * whole vector registers; with whole vectors (CELL_ROW_UNITS), row by row
 * on zx, zh, dzx and dzh in place, the cache in the same planar layout. */
#include "core/fastmath.h"
#include "rnn/cell.h"

/* Cache blocks: z, r, hh, and zh_h (the backward's dr needs it). */
enum { GZ, GR, GH, ZH, CACHE };

/* The gates of n values from their pre-activations (z and r summed, the
 * h gate's zx and zh apart): the cache blocks kz, kr, kh out (kzh, the h
 * gate's zh, is the backward's; the pre-activations may be the cache blocks
 * themselves: each value is read before it is written), and h. */
static inline void gates_forward(const real *az, const real *ar, const real *axh, const real *azh, const real *hp,
                                 real *kz, real *kr, real *kh, real *h, int n) {
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real z = fast_sigmoid(az[e]);
        real r = fast_sigmoid(ar[e]);
        real hh = fast_tanh(axh[e] + r * azh[e]);
        h[e] = z * hp[e] + (1 - z) * hh;
        kz[e] = z;
        kr[e] = r;
        kh[e] = hh;
    }
}

static void gru_forward(const StepForward *s) {
    int u = s->units, n = s->batch * u;
    real *k = s->cache;
    if (u % CELL_ROW_UNITS == 0) {
        for (int b = 0; b < s->batch; b++) { /* z and r summed into the cache's row, zx_h read in place */
            const real *zx = s->zx + (long)b * 3 * u, *zh = s->zh + (long)b * 3 * u;
            long r = (long)b * u;
            real *kz = k + GZ * n + r, *kr = k + GR * n + r, *kzh = k + ZH * n + r;
#pragma omp simd
            for (int j = 0; j < u; j++) {
                kz[j] = zx[GZ * u + j] + zh[GZ * u + j];
                kr[j] = zx[GR * u + j] + zh[GR * u + j];
                kzh[j] = zh[GH * u + j];
            }
            gates_forward(kz, kr, zx + GH * u, kzh, s->h_prev + r, kz, kr, k + GH * n + r, s->h + r, u);
        }
        return;
    }
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
    gates_forward(kz, kr, kh, k + ZH * n, s->h_prev, kz, kr, kh, s->h, n);
}

/* The gate gradients of n values: dz, dr and a_h into gz, gr, gh (planar
 * blocks, or a dzx row's segments), dh_prev's direct part into dhp. */
static inline void gates_backward(const real *kz, const real *kr, const real *kh, const real *kzh, const real *hp,
                                  const real *dh, real *gz, real *gr, real *gh, real *dhp, int n) {
#pragma omp simd
    for (int e = 0; e < n; e++) {
        real z = kz[e], r = kr[e], hh = kh[e];
        real ah = dh[e] * (1 - z) * (1 - hh * hh);
        gz[e] = dh[e] * (hp[e] - hh) * z * (1 - z);
        gr[e] = ah * kzh[e] * r * (1 - r);
        gh[e] = ah;
        dhp[e] = dh[e] * z;
    }
}

static void gru_backward(const StepBackward *s) {
    int u = s->units, n = s->batch * u;
    const real *k = s->cache;
    const real *kz = k + GZ * n, *kr = k + GR * n, *kh = k + GH * n, *kzh = k + ZH * n;
    if (u % CELL_ROW_UNITS == 0) /* dzx's rows in place */
        for (int b = 0; b < s->batch; b++) {
            real *dzx = s->dzx + (long)b * 3 * u;
            long r = (long)b * u;
            gates_backward(kz + r, kr + r, kh + r, kzh + r, s->h_prev + r, s->dh + r, dzx + GZ * u, dzx + GR * u,
                           dzx + GH * u, s->dh_prev + r, u);
        }
    else { /* dz, dr, a_h planar first (block g at d + g n, in dzh), then dzx's rows from them */
        real *d = s->dzh;
        gates_backward(kz, kr, kh, kzh, s->h_prev, s->dh, d + GZ * n, d + GR * n, d + GH * n, s->dh_prev, n);
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
    }
    /* dzh's rows (over the planar blocks, all read by now): dzx's, but a_h r for the h gate. */
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
