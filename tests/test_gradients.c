/* tests/test_gradients.c: finite-difference gradient checks of every cell,
 * input kind and option, in double precision (this test compiles rnn/ with
 * -DEL_DOUBLE), plus the Keras parameter counts and initialisers.
 *
 * Central differences with h = 1e-6 in double are accurate to about 1e-9;
 * the tolerance (1e-7 absolute + 1e-5 relative) is far below the error any
 * wrong term of a formula makes. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/common.h"
#include "core/rng.h"
#include "rnn/model.h"

#ifndef EL_DOUBLE
#error "test_gradients must be compiled with -DEL_DOUBLE"
#endif

enum { B = 3, T = 5, V = 7 };

static const int32_t tokens[B * T] = {
    0, 0, 3, 4, 5, /* pre-padded */
    2, 6, 1, 3, 2, /* full */
    4, 0, 5, 0, 6, /* padding inside: exercises the mask */
};
static const real labels[B] = {1, 0, 1};
static const uint64_t ids[B] = {11, 22, 33};

static double loss_at(const Model *m, Work *w, int training) {
    return model_chunk(m, w, tokens, labels, B, training, 99, ids, (real)1.0 / B, NULL, NULL) / B;
}

/* Subword input over the same tokens, read as type ids: word rows 0..6 and
 * n-gram rows 7..10; type 3 has n-grams only (a word outside the
 * vocabulary), type 5 one n-gram twice, rows 3 and 6 are no type's. */
static const int64_t sub_start[V + 1] = {0, 1, 2, 5, 7, 8, 12, 15};
static const int32_t sub_row[15] = {0, 1, 2, 7, 8, 7, 9, 4, 5, 8, 8, 10, 9, 10, 7};
static const TokenRows sub_rows = {.ntypes = V, .nrows = V + 4, .start = sub_start, .row = sub_row};

static int bidirectional; /* check_with's models are bidirectional while set */

/* The activation of a name, as rnn/config.c's table numbers them (this
 * double-precision build links the cells and the model, not the table). */
static int activation_of(const char *name) {
    static const char *const names[] = {"tanh", "relu", "leaky_relu", "selu"};
    for (int i = 0; i < 4; i++)
        if (strcmp(names[i], name) == 0)
            return ACT_TANH + i;
    fail_msg("unknown activation %s", name);
    return -1;
}

static void check_with(const char *cell, const char *act, int onehot, int layers, int mask, double dropout,
                       double rdrop, int freeze, int pool, const TokenRows *rows) {
    ModelConfig cfg = {.cell = cell_find(cell),
                       .activation = activation_of(act),
                       .onehot = onehot,
                       .vocab = V,
                       .dim = 3,
                       .units = 4,
                       .layers = layers,
                       .maxlen = T,
                       .freeze = freeze,
                       .mask = mask,
                       .dropout = dropout,
                       .recurrent_dropout = rdrop,
                       .pool = pool,
                       .bidirectional = bidirectional,
                       .rows = rows};
    Model m;
    assert_int_equal(model_init(&m, &cfg, 5), 0);
    /* Random parameters of a useful size (biases too), so no gate saturates. */
    Rng r;
    rng_seed(&r, 17);
    for (int64_t i = 0; i < m.nparams; i++)
        m.params[i] = (real)(rng_double(&r) - 0.5) * 1.2;
    Work *w = work_new(&m);
    int training = dropout > 0 || rdrop > 0;
    real *grad = calloc(m.nparams, sizeof *grad);
    model_chunk(&m, w, tokens, labels, B, training, 99, ids, (real)1.0 / B, grad, NULL);
    model_add_row_grads(&m, w, grad);
    /* The row gradients added in three parts (as train_batch's threads do)
     * are the same bits. */
    real *split = calloc(m.nparams, sizeof *split);
    for (int part = 0; part < 3; part++)
        model_add_row_grads_part(&m, w, split, part, 3);
    assert_memory_equal(split, grad, (size_t)m.dense_from * sizeof *grad);
    free(split);
    const double h = 1e-6;
    int checked = 0;
    for (int64_t i = 0; i < m.nparams; i++) {
        if (i < m.update_from) { /* a frozen table gets no gradient at all */
            assert_true(grad[i] == 0);
            continue;
        }
        real saved = m.params[i];
        m.params[i] = saved + h;
        double up = loss_at(&m, w, training);
        m.params[i] = saved - h;
        double down = loss_at(&m, w, training);
        m.params[i] = saved;
        double numeric = (up - down) / (2 * h), analytic = grad[i];
        double tol = 1e-7 + 1e-5 * fmax(fabs(numeric), fabs(analytic));
        if (fabs(numeric - analytic) > tol)
            fail_msg("%s/%s onehot=%d layers=%d mask=%d dropout=%g/%g pool=%d subwords=%d bidirectional=%d: parameter "
                     "%lld: analytic %.10g, numeric %.10g",
                     cell, act, onehot, layers, mask, dropout, rdrop, pool, rows != NULL, bidirectional, (long long)i,
                     analytic, numeric);
        checked += numeric != 0;
    }
    /* Most parameters must matter, or the check proves little. */
    assert_true(checked > (m.nparams - m.update_from) / 2);
    free(grad);
    work_free(w);
    model_free(&m);
}

static void check(const char *cell, const char *act, int onehot, int layers, int mask, double dropout, double rdrop,
                  int freeze) {
    check_with(cell, act, onehot, layers, mask, dropout, rdrop, freeze, POOL_LAST, NULL);
}

static void rnn_cells(void **state) {
    (void)state;
    check("rnn", "tanh", 0, 1, 0, 0, 0, 0);
    check("rnn", "relu", 0, 1, 0, 0, 0, 0);
    check("rnn", "leaky_relu", 0, 1, 0, 0, 0, 0);
    check("rnn", "selu", 0, 1, 0, 0, 0, 0);
    check("rnn", "tanh", 1, 2, 1, 0.3, 0.2, 0);
}

static void lstm_cells(void **state) {
    (void)state;
    check("lstm", "tanh", 0, 1, 0, 0, 0, 0);
    check("lstm", "tanh", 0, 2, 1, 0.3, 0.3, 0);
    check("lstm", "tanh", 1, 1, 0, 0.25, 0, 0);
}

static void gru_cells(void **state) {
    (void)state;
    check("gru", "tanh", 0, 1, 0, 0, 0, 0);
    check("gru", "tanh", 0, 2, 1, 0.3, 0.3, 0);
    check("gru", "tanh", 1, 1, 1, 0, 0.4, 0);
}

static void frozen_embedding(void **state) {
    (void)state;
    check("lstm", "tanh", 0, 1, 0, 0, 0, 1);
}

/* Mean and max over time, under each input kind, with and without the mask
 * (a fully padded sequence is no case here: every test sequence has tokens). */
static void pooling(void **state) {
    (void)state;
    for (int pool = POOL_MEAN; pool <= POOL_MAX; pool++) {
        check_with("gru", "tanh", 0, 1, 0, 0, 0, 0, pool, NULL);
        check_with("lstm", "tanh", 0, 2, 1, 0.3, 0.3, 0, pool, NULL);
        check_with("rnn", "tanh", 1, 1, 0, 0.25, 0, 0, pool, NULL);
        check_with("gru", "tanh", 0, 1, 1, 0.2, 0, 0, pool, &sub_rows);
    }
}

/* Subword input: the gather-mean's gradient scattered to word and n-gram
 * rows (duplicates twice), fine-tuned and frozen, with dropout. */
static void subword_input(void **state) {
    (void)state;
    check_with("gru", "tanh", 0, 1, 0, 0, 0, 0, POOL_LAST, &sub_rows);
    check_with("lstm", "tanh", 0, 2, 1, 0.3, 0.2, 0, POOL_LAST, &sub_rows);
    check_with("rnn", "tanh", 0, 1, 0, 0, 0, 1, POOL_LAST, &sub_rows);
}

/* A reverse cell per layer, outputs side by side: every cell, two layers,
 * the mask, dropout, every pooling, subword input, a frozen table, one-hot
 * input. */
static void bidirectional_cells(void **state) {
    (void)state;
    bidirectional = 1;
    check_with("rnn", "tanh", 0, 1, 0, 0, 0, 0, POOL_LAST, NULL);
    check_with("lstm", "tanh", 0, 2, 1, 0.3, 0.3, 0, POOL_LAST, NULL);
    check_with("gru", "tanh", 0, 2, 0, 0.2, 0.2, 0, POOL_MEAN, NULL);
    check_with("gru", "tanh", 0, 1, 1, 0, 0, 0, POOL_MAX, &sub_rows);
    check_with("lstm", "tanh", 0, 1, 0, 0, 0, 1, POOL_LAST, NULL);
    /* One-hot input: both directions' W rows side by side in the sparse block. */
    check_with("gru", "tanh", 1, 1, 0, 0.25, 0, 0, POOL_MAX, NULL);
    check_with("lstm", "tanh", 1, 2, 1, 0, 0.2, 0, POOL_LAST, NULL);
    check_with("rnn", "tanh", 1, 1, 1, 0, 0, 0, POOL_MEAN, NULL);
    bidirectional = 0;
}

/* Keras' counts on 16-dim input with 8 units: SimpleRNN 200, LSTM 800, GRU
 * 624; a one-hot SimpleRNN(8) over 500 words with its dense head: 4081. */
static int64_t cell_params(const char *cell, int onehot) {
    ModelConfig cfg = {
        .cell = cell_find(cell), .onehot = onehot, .vocab = 500, .dim = 16, .units = 8, .layers = 1, .maxlen = 100};
    Model m;
    assert_int_equal(model_init(&m, &cfg, 1), 0);
    int64_t n = m.nparams - (onehot ? 0 : 500 * 16) - 9;
    model_free(&m);
    return n;
}

static void keras_parameter_counts(void **state) {
    (void)state;
    assert_int_equal(cell_params("rnn", 0), 200);
    assert_int_equal(cell_params("lstm", 0), 800);
    assert_int_equal(cell_params("gru", 0), 624);
    assert_int_equal(cell_params("rnn", 1) + 9, 4081);
    /* Keras' Bidirectional(GRU(8)) on 16 dims: 1248, and a 17-weight head. */
    ModelConfig bi = {
        .cell = cell_find("gru"), .vocab = 500, .dim = 16, .units = 8, .layers = 1, .maxlen = 100, .bidirectional = 1};
    Model m;
    assert_int_equal(model_init(&m, &bi, 1), 0);
    assert_int_equal(m.nparams - 500 * 16, 1248 + 17);
    model_free(&m);
    assert_null(cell_find("transformer"));
}

static void keras_initialisers(void **state) {
    (void)state;
    ModelConfig cfg = {.cell = cell_find("lstm"), .vocab = 50, .dim = 16, .units = 8, .layers = 1, .maxlen = 10};
    Model m;
    assert_int_equal(model_init(&m, &cfg, 3), 0);
    /* Orthogonal U (8 x 32): U U^T = I. */
    const real *U = m.params + m.U[0];
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            double d = 0;
            for (int k = 0; k < 32; k++)
                d += U[i * 32 + k] * U[j * 32 + k];
            assert_float_equal(d, i == j ? 1.0 : 0.0, 1e-9);
        }
    /* Glorot-uniform W (16 x 32) within sqrt(6 / 48); biases 0 but the forget gate's 1. */
    double limit = sqrt(6.0 / 48), maxabs = 0;
    for (int i = 0; i < 16 * 32; i++)
        maxabs = fmax(maxabs, fabs(m.params[m.W[0] + i]));
    assert_true(maxabs <= limit && maxabs > 0.8 * limit);
    for (int j = 0; j < 32; j++)
        assert_true(m.params[m.b[0] + j] == (j >= 8 && j < 16 ? 1 : 0));
    for (int i = 0; i < 50 * 16; i++)
        assert_true(fabs(m.params[m.embed + i]) <= 0.05);
    model_free(&m);
    /* Bad configurations. */
    cfg.units = 0;
    assert_int_equal(model_init(&m, &cfg, 1), -1);
    cfg.units = 8;
    cfg.cell = NULL;
    assert_int_equal(model_init(&m, &cfg, 1), -1);
}

/* The LSTM step (rnn/cell_lstm.c) against the formulas of its header
 * written out per element, forward and backward, on random values of B = 3
 * rows: u = 5 units (not a multiple of a vector: the flat loops over a
 * planar cache, rows straddling the vectors) and u = 16 (whole vectors: the
 * gates read z and write dz in place, row by row). */
static double sig(double x) { return 1 / (1 + exp(-x)); }

/* got within 1e-12 of want (cmocka's assert_float_equal compares floats). */
#define close_to(got, want)                                                                                            \
    do {                                                                                                               \
        double g_ = (got), w_ = (want);                                                                                \
        if (!(fabs(g_ - w_) <= 1e-12))                                                                                 \
            fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                                                          \
    } while (0)

static void lstm_step_check(int NU) {
    enum { NB = 3, MAXU = 16 };
    int G4 = 4 * NU;
    real zx[NB * 4 * MAXU], zh[NB * 4 * MAXU], z[NB * 4 * MAXU], cp[NB * MAXU], hp[NB * MAXU], h[NB * MAXU],
        c[NB * MAXU], cache[NB * MAXU * 5];
    real dh[NB * MAXU], dc[NB * MAXU], dz[NB * 4 * MAXU], scratch[NB * 4 * MAXU], dhp[NB * MAXU], dcp[NB * MAXU];
    assert_true(NU <= MAXU);
    Rng r;
    rng_seed(&r, 23);
    for (int i = 0; i < NB * G4; i++)
        zx[i] = (real)(2 * rng_double(&r) - 1), zh[i] = (real)(2 * rng_double(&r) - 1);
    for (int i = 0; i < NB * NU; i++)
        cp[i] = (real)(2 * rng_double(&r) - 1), hp[i] = 0, dh[i] = (real)(rng_double(&r) - 0.5),
        dc[i] = (real)(rng_double(&r) - 0.5);
    /* The LSTM reads zx and zh only as their sum (sums_z): the driver hands
     * it z, and takes one gradient for both. */
    assert_int_equal(cell_lstm.sums_z, 1);
    for (int i = 0; i < NB * G4; i++)
        z[i] = zx[i] + zh[i];
    StepForward f = {
        .batch = NB, .units = NU, .zx = z, .zh = NULL, .h_prev = hp, .c_prev = cp, .h = h, .c = c, .cache = cache};
    cell_lstm.forward(&f);
    StepBackward bw = {.batch = NB,
                       .units = NU,
                       .h_prev = hp,
                       .c_prev = cp,
                       .h = h,
                       .c = c,
                       .cache = cache,
                       .dh = dh,
                       .dc = dc,
                       .dzx = dz,
                       .dzh = dz,
                       .scratch = scratch,
                       .dh_prev = dhp,
                       .dc_prev = dcp};
    cell_lstm.backward(&bw);
    for (int b = 0; b < NB; b++)
        for (int j = 0; j < NU; j++) {
            const real *x = zx + b * G4, *y = zh + b * G4;
            double i = sig(x[j] + y[j]), fg = sig(x[NU + j] + y[NU + j]), g = tanh(x[2 * NU + j] + y[2 * NU + j]);
            double o = sig(x[3 * NU + j] + y[3 * NU + j]), cc = fg * cp[b * NU + j] + i * g, tc = tanh(cc);
            close_to(c[b * NU + j], cc);
            close_to(h[b * NU + j], o * tc);
            double dC = dc[b * NU + j] + dh[b * NU + j] * o * (1 - tc * tc);
            double want[4] = {dC * g * i * (1 - i), dC * cp[b * NU + j] * fg * (1 - fg), dC * i * (1 - g * g),
                              dh[b * NU + j] * tc * o * (1 - o)};
            for (int k = 0; k < 4; k++)
                close_to(dz[b * G4 + k * NU + j], want[k]);
            close_to(dcp[b * NU + j], dC * fg);
            close_to(dhp[b * NU + j], 0);
        }
}

static void lstm_step_matches_formula(void **state) {
    (void)state;
    lstm_step_check(5);
    lstm_step_check(16);
}

/* The GRU step (rnn/cell_gru.c, planar as the LSTM's) against its header's
 * formulas per element, on the same shapes (u = 32 for the rows). */
static void gru_step_check(int NU) {
    enum { NB = 3, MAXU = 32 };
    int G3 = 3 * NU;
    real zx[NB * 3 * MAXU], zh[NB * 3 * MAXU], hp[NB * MAXU], h[NB * MAXU], cache[NB * MAXU * 4];
    real dh[NB * MAXU], dzx[NB * 3 * MAXU], dzh[NB * 3 * MAXU], scratch[NB * 3 * MAXU], dhp[NB * MAXU];
    assert_true(NU <= MAXU);
    Rng r;
    rng_seed(&r, 29);
    for (int i = 0; i < NB * G3; i++)
        zx[i] = (real)(2 * rng_double(&r) - 1), zh[i] = (real)(2 * rng_double(&r) - 1);
    for (int i = 0; i < NB * NU; i++)
        hp[i] = (real)(2 * rng_double(&r) - 1), dh[i] = (real)(rng_double(&r) - 0.5);
    assert_int_equal(cell_gru.cache, 4);
    StepForward f = {.batch = NB, .units = NU, .zx = zx, .zh = zh, .h_prev = hp, .h = h, .cache = cache};
    cell_gru.forward(&f);
    assert_int_equal(cell_gru.sums_z, 0);
    StepBackward bw = {.batch = NB,
                       .units = NU,
                       .h_prev = hp,
                       .h = h,
                       .cache = cache,
                       .dh = dh,
                       .dzx = dzx,
                       .dzh = dzh,
                       .scratch = scratch,
                       .dh_prev = dhp};
    cell_gru.backward(&bw);
    for (int b = 0; b < NB; b++)
        for (int j = 0; j < NU; j++) {
            const real *x = zx + b * G3, *y = zh + b * G3;
            double z = sig(x[j] + y[j]), rr = sig(x[NU + j] + y[NU + j]);
            double hh = tanh(x[2 * NU + j] + rr * y[2 * NU + j]), d = dh[b * NU + j];
            close_to(h[b * NU + j], z * hp[b * NU + j] + (1 - z) * hh);
            double ah = d * (1 - z) * (1 - hh * hh);
            double wx[3] = {d * (hp[b * NU + j] - hh) * z * (1 - z), ah * y[2 * NU + j] * rr * (1 - rr), ah};
            double wh[3] = {wx[0], wx[1], ah * rr};
            for (int k = 0; k < 3; k++) {
                close_to(dzx[b * G3 + k * NU + j], wx[k]);
                close_to(dzh[b * G3 + k * NU + j], wh[k]);
            }
            close_to(dhp[b * NU + j], d * z);
        }
}

static void gru_step_matches_formula(void **state) {
    (void)state;
    gru_step_check(5);  /* flat loops over the planar cache */
    gru_step_check(32); /* row by row, two vectors a row */
}

/* A cell that says it reads only zx + zh (sums_z) while keeping a bias
 * inside zh would lose that bias to the driver's shortcut: the registry
 * refuses it, and the built-in cells keep the rule. */
static void registry_refuses_contradictory_cell(void **state) {
    (void)state;
    CellType odd = cell_rnn;
    odd.name = "odd";
    odd.recurrent_bias = 1;
    assert_int_equal(cell_register(&odd), -1);
    assert_null(cell_find("odd"));
    for (int i = 0; cell_at(i); i++)
        assert_false(cell_at(i)->sums_z && cell_at(i)->recurrent_bias);
}

int main(void) {
    el_set_threads(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rnn_cells),
        cmocka_unit_test(lstm_cells),
        cmocka_unit_test(lstm_step_matches_formula),
        cmocka_unit_test(gru_cells),
        cmocka_unit_test(gru_step_matches_formula),
        cmocka_unit_test(frozen_embedding),
        cmocka_unit_test(pooling),
        cmocka_unit_test(subword_input),
        cmocka_unit_test(bidirectional_cells),
        cmocka_unit_test(keras_parameter_counts),
        cmocka_unit_test(keras_initialisers),
        cmocka_unit_test(registry_refuses_contradictory_cell),
    };
    return cmocka_run_group_tests_name("gradients", tests, NULL, NULL);
}
