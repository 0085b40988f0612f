/* tests/test_train.c: optimisers, training that learns, bit-identical
 * results for any thread count, early stopping. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/common.h"
#include "rnn/config.h"
#include "core/rng.h"
#include "rnn/train.h"

static void optimiser_steps(void **state) {
    (void)state;
    /* One parameter p = 1 with gradient g = 0.5, by hand:
     *   sgd      1 - 0.1 * 0.5 = 0.95
     *   rmsprop  v = 0.1 * 0.25 = 0.025; p = 1 - 0.1 * 0.5 / (sqrt(0.025) + 1e-7)
     *   adam     m = 0.05, v = 0.00025; lr_t = 0.1 sqrt(0.001) / 0.1; p = 1 - lr_t m / (sqrt(v) + 1e-7) */
    real g[1] = {0.5f};
    double expected[3] = {0.95, 1 - 0.1 * 0.5 / (sqrt(0.025) + 1e-7),
                          1 - (0.1 * sqrt(0.001) / 0.1) * 0.05 / (sqrt(0.00025) + 1e-7)};
    for (int kind = 0; kind < 3; kind++) {
        Optimizer o;
        optim_init(&o, kind, 0.1, 0, 1);
        real p[1] = {1};
        optim_step(&o, p, g, 0);
        assert_float_equal(p[0], expected[kind], 1e-6);
        optim_free(&o);
    }
    /* Clipping by global norm: g = (3, 4) has norm 5; clip 1 scales it to (0.6, 0.8). */
    Optimizer o;
    optim_init(&o, OPT_SGD, 1, 1, 2);
    real p[2] = {0, 0}, g2[2] = {3, 4};
    assert_float_equal(optim_step(&o, p, g2, 0), 5, 1e-6);
    assert_float_equal(p[0], -0.6, 1e-6);
    assert_float_equal(p[1], -0.8, 1e-6);
    /* Parameters before `from` are left alone (a frozen embedding). */
    p[0] = p[1] = 0;
    optim_step(&o, p, g2, 1);
    assert_true(p[0] == 0 && p[1] != 0);
    optim_free(&o);
}

/* Sequences of random filler tokens 2..9; a positive one holds token 10
 * somewhere, a negative one token 11. Padding in front, like Keras. */
static void planted(Dataset *d, int n, int maxlen, uint64_t seed) {
    Rng r;
    rng_seed(&r, seed);
    d->n = n;
    d->maxlen = maxlen;
    d->x = calloc((size_t)n * maxlen, sizeof *d->x);
    d->y = calloc(n, sizeof *d->y);
    d->doc = NULL;
    for (int i = 0; i < n; i++) {
        int len = 4 + (int)rng_below(&r, maxlen - 3), label = (int)rng_below(&r, 2);
        int32_t *x = d->x + (size_t)i * maxlen;
        for (int t = maxlen - len; t < maxlen; t++)
            x[t] = 2 + (int32_t)rng_below(&r, 8);
        x[maxlen - len + (int)rng_below(&r, len)] = label ? 10 : 11;
        d->y[i] = label;
    }
}

static ClassifierConfig config(const char *cell, const char *input) {
    ClassifierConfig c;
    config_defaults(&c);
    assert_int_equal(config_set(&c, "cell", cell), 0);
    assert_int_equal(config_set(&c, "input", input), 0);
    c.vocab = 12;
    c.dim = 8;
    c.units = 8;
    c.maxlen = 12;
    c.batch = 32;
    c.epochs = 12;
    c.patience = 0;
    assert_int_equal(config_set(&c, "opt", "adam"), 0);
    c.lr = 1e-2;
    c.seed = 5;
    return c;
}

static Model train_one(const ClassifierConfig *c, const Dataset *train, const Dataset *val, TrainSummary *sum) {
    ModelConfig mc;
    assert_int_equal(classifier_model_config(c, &mc), 0);
    Model m;
    assert_int_equal(model_init(&m, &mc, c->seed), 0);
    assert_int_equal(train_model(&m, c, train, val, NULL, NULL, NULL, sum), 0);
    return m;
}

static void learns_planted_signal(void **state) {
    (void)state;
    Dataset train, val;
    planted(&train, 600, 12, 1);
    planted(&val, 200, 12, 2);
    const char *cells[] = {"rnn", "lstm", "gru"};
    for (int i = 0; i < 3; i++)
        for (int onehot = 0; onehot <= 1; onehot++) {
            ClassifierConfig c = config(cells[i], onehot ? "onehot" : "embed");
            TrainSummary sum;
            Model m = train_one(&c, &train, &val, &sum);
            EvalResult e = evaluate(&m, &val);
            if (e.acc < 0.95)
                fail_msg("%s %s: validation accuracy %.3f", cells[i], c.input == INPUT_ONEHOT ? "onehot" : "embed",
                         e.acc);
            model_free(&m);
        }
    dataset_free(&train);
    dataset_free(&val);
}

/* The same seed gives the same bits with 1, 2 or 3 threads, dropout included. */
static void bit_identical_across_threads(void **state) {
    (void)state;
    Dataset train, val;
    planted(&train, 300, 12, 3);
    planted(&val, 100, 12, 4);
    const char *inputs[] = {"embed", "onehot"};
    for (int k = 0; k < 2; k++) {
        ClassifierConfig c = config("lstm", inputs[k]);
        c.epochs = 3;
        c.layers = 2;
        c.dropout = 0.2;
        c.recurrent_dropout = 0.2;
        c.batch = 50; /* not a multiple of the chunk size */
        Model ref = {0};
        for (int threads = 1; threads <= 3; threads++) {
            el_set_threads(threads);
            TrainSummary sum;
            Model m = train_one(&c, &train, &val, &sum);
            if (threads == 1)
                ref = m;
            else {
                assert_memory_equal(ref.params, m.params, (size_t)m.nparams * sizeof(real));
                model_free(&m);
            }
        }
        model_free(&ref);
    }
    el_set_threads(2);
    dataset_free(&train);
    dataset_free(&val);
}

/* Early stopping keeps the weights of the best validation loss. */
static void early_stopping_restores_best(void **state) {
    (void)state;
    Dataset train, val;
    planted(&train, 200, 12, 5);
    planted(&val, 100, 12, 6);
    ClassifierConfig c = config("rnn", "embed");
    c.lr = 0.3; /* too high on purpose: validation loss goes up and down */
    assert_int_equal(config_set(&c, "opt", "sgd"), 0);
    c.epochs = 30;
    c.patience = 2;
    TrainSummary sum;
    Model m = train_one(&c, &train, &val, &sum);
    assert_true(sum.best_epoch >= 1 && sum.best_epoch <= sum.epochs_run);
    assert_true(sum.epochs_run < 30 || sum.best_epoch == 30);
    EvalResult e = evaluate(&m, &val);
    assert_float_equal(e.loss, sum.best_val_loss, 1e-9);
    model_free(&m);
    dataset_free(&train);
    dataset_free(&val);
}

int main(void) {
    el_set_threads(2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimiser_steps),
        cmocka_unit_test(learns_planted_signal),
        cmocka_unit_test(bit_identical_across_threads),
        cmocka_unit_test(early_stopping_restores_best),
    };
    return cmocka_run_group_tests_name("train", tests, NULL, NULL);
}
