/* rnn/cell.h: the one interface every recurrent cell implements.
 *
 * A cell has G gate blocks of `units` columns. The layer driver (rnn/model.c)
 * computes the two matrix products of a step, zx = x W + b (input side) and
 * zh = h_prev U (+ rb) (recurrent side), each B x G*units; the cell does the
 * element-wise gate arithmetic, forward and backward, side by side in one
 * file. Adding a cell type: one new file and one line in rnn/cells.c (or
 * cell_register() at start-up); --cell offers it from the registry.
 *
 * A cell whose gates read zx and zh only as their sum z = zx + zh (SimpleRNN,
 * LSTM) says so (sums_z): the driver then adds h_prev U into zx in place, so
 * the cell reads one buffer instead of two, and its two gradients are one
 * (dL/dzx = dL/dzh), written once. GRU's reset gate multiplies zh_h alone,
 * so it gets both.
 *
 * Layouts: row-major, one row per sample of the chunk (B rows).
 * Keras formulations, so parameter counts match Keras:
 *   rnn   h = act(zx + zh)                                   G = 1
 *   lstm  gates i, f, c, o; c = f c_prev + i g; h = o tanh(c) G = 4
 *   gru   gates z, r, h with reset_after: hh = tanh(zx_h + r zh_h),
 *         h = z h_prev + (1 - z) hh; a second, recurrent bias  G = 3 */
#ifndef EL_CELL_H
#define EL_CELL_H

#include "core/real.h"

enum { ACT_TANH, ACT_RELU, ACT_LEAKY_RELU, ACT_SELU };

/* Units a row must have for a cell's gates to run row by row on zx, zh and
 * their gradients in place: whole AVX-512 vectors (and cache lines).
 * Narrower cells (the textbook's 8 units) gather their rows into a planar
 * cache and run one flat loop over the step, which fills the vectors. */
enum { CELL_ROW_UNITS = 16 };

typedef struct {
    int batch, units, activation;
    const real *zx, *zh; /* [B x G*u]; with sums_z, zx holds z = zx + zh and zh is NULL */
    const real *h_prev;  /* [B x u] */
    const real *c_prev;  /* [B x u], cells with a cell state only */
    real *h, *c;         /* [B x u] outputs */
    real *cache;         /* [B x cache*u] values the backward step needs */
} StepForward;

typedef struct {
    int batch, units, activation;
    const real *h_prev, *c_prev, *h, *c, *cache; /* as the forward step saw or made them */
    const real *dh;                              /* [B x u] dL/dh_t, everything that reaches h_t */
    const real *dc;                              /* [B x u] dL/dc_t from step t + 1 (cell state only) */
    real *dzx, *dzh; /* [B x G*u] outputs: dL/dzx, dL/dzh; with sums_z one buffer, dzx == dzh */
    real *scratch;   /* [B x G*u] the cell's own working space */
    real *dh_prev;   /* [B x u] output: the part of dL/dh_prev that bypasses zh */
    real *dc_prev;   /* [B x u] output (cell state only) */
} StepBackward;

typedef struct {
    const char *name;
    int gates;          /* G */
    int recurrent_bias; /* 1: zh carries a bias of its own (GRU reset_after) */
    int cell_state;     /* 1: a c state beside h (LSTM) */
    int sums_z;         /* 1: zx and zh enter only as their sum (see above); needs recurrent_bias 0 */
    int cache;          /* per-step cache in units of B x u */
    void (*init_bias)(real *b, int units);
    void (*forward)(const StepForward *s);
    void (*backward)(const StepBackward *s);
} CellType;

extern const CellType cell_rnn, cell_lstm, cell_gru;

/* The registry (rnn/cells.c): the built-in cells, then those registered.
 * cell_at(i) is the i-th, NULL past the last; cell_name_at its name (for
 * rnn/config.c's --cell choices); cell_find a cell by name, or NULL. */
const CellType *cell_at(int i);
const char *cell_name_at(int i);
const CellType *cell_find(const char *name);

/* Adds a cell to the registry, before any configuration names it (a test
 * build's toy cell: tests/toys/): 0, or -1 if the name is taken, the
 * registry is full or the cell contradicts itself (sums_z with a recurrent
 * bias). Not thread-safe: call it at start-up. */
int cell_register(const CellType *cell);

#endif
