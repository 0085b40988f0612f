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
        for (int onehot = 0; onehot <= 1; onehot++)
            for (int bucket = 0; bucket <= 3; bucket += 3) { /* and batches of like length (--mask --bucket) */
                ClassifierConfig c = config(cells[i], onehot ? "onehot" : "embed");
                c.mask = bucket > 0, c.bucket = bucket;
                TrainSummary sum;
                Model m = train_one(&c, &train, &val, &sum);
                EvalResult e = evaluate(&m, &val);
                if (e.acc < 0.95)
                    fail_msg("%s %s, bucket %d: validation accuracy %.3f", cells[i], onehot ? "onehot" : "embed",
                             bucket, e.acc);
                model_free(&m);
            }
    dataset_free(&train);
    dataset_free(&val);
}

/* The same seed gives the same bits with 1, 2 or 3 threads, dropout and
 * --mask's sorted batches included. */
static void bit_identical_across_threads(void **state) {
    (void)state;
    Dataset train, val;
    planted(&train, 300, 12, 3);
    planted(&val, 100, 12, 4);
    const char *inputs[] = {"embed", "onehot", "embed", "onehot"};
    for (int k = 0; k < 4; k++) {
        ClassifierConfig c = config("lstm", inputs[k]);
        c.mask = k >= 2;           /* batches sorted by steps, chunks trimmed */
        c.bucket = k == 3 ? 2 : 0; /* pools of 2 batches sorted by length */
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

/* Under --mask a step of padding alone changes nothing, so a chunk runs only
 * the steps its tokens span: the same sequences with 20 more steps of
 * padding, in front or behind, give the same loss, probabilities and
 * gradient bit for bit, and run the same steps. Each pooling, both
 * directions, two layers, dropout. */
static void padding_steps_are_skipped(void **state) {
    (void)state;
    enum { B = 5, T = 9, PAD = 20 };
    const int32_t seqs[B][T] = {{0, 0, 0, 4, 5, 0, 6, 7, 3}, /* a padding step inside stays masked */
                                {0, 0, 0, 0, 0, 2, 9, 8, 3},
                                {0, 0, 0, 0, 0, 0, 0, 0, 0}, /* padding only */
                                {0, 0, 0, 0, 10, 11, 2, 3, 4},
                                {0, 0, 0, 0, 0, 0, 0, 5, 6}};
    const real labels[B] = {1, 0, 1, 0, 1};
    const uint64_t ids[B] = {3, 1, 4, 1, 5};
    const char *pools[] = {"last", "mean", "max"};
    for (int k = 0; k < 3; k++)
        for (int post = 0; post <= 1; post++) {
            ClassifierConfig c = config("gru", "embed");
            c.mask = 1, c.bidirectional = 1, c.layers = 2, c.dropout = 0.2;
            assert_int_equal(config_set(&c, "pool", pools[k]), 0);
            Model m[2];
            Work *w[2];
            real *grad[2], probs[2][B];
            double loss[2];
            int32_t *x[2];
            for (int v = 0; v < 2; v++) {
                c.maxlen = T + v * PAD; /* the layout does not depend on maxlen */
                ModelConfig mc;
                assert_int_equal(classifier_model_config(&c, &mc), 0);
                assert_int_equal(model_init(&m[v], &mc, 7), 0);
                x[v] = calloc((size_t)B * c.maxlen, sizeof *x[v]);
                for (int b = 0; b < B; b++) /* the same tokens, PAD more padding steps in front (or behind) */
                    for (int t = 0; t < T; t++)
                        x[v][(size_t)b * c.maxlen + t + (post ? 0 : v * PAD)] = post ? seqs[b][T - 1 - t] : seqs[b][t];
                w[v] = work_new(&m[v]);
                grad[v] = calloc((size_t)m[v].nparams, sizeof(real));
                loss[v] = model_chunk(&m[v], w[v], x[v], labels, B, 1, 99, ids, (real)1 / B, grad[v], probs[v]);
                model_add_row_grads(&m[v], w[v], grad[v]);
            }
            assert_int_equal(m[0].nparams, m[1].nparams);
            assert_int_equal(work_steps(w[0]), 6); /* from the first token to the last of any sequence */
            assert_int_equal(work_steps(w[1]), 6);
            assert_true(loss[0] == loss[1]);
            assert_memory_equal(probs[0], probs[1], sizeof probs[0]);
            assert_memory_equal(grad[0], grad[1], (size_t)m[0].nparams * sizeof(real));
            for (int v = 0; v < 2; v++)
                work_free(w[v]), model_free(&m[v]), free(x[v]), free(grad[v]);
        }
}

/* model_steps is the span of a sequence's tokens under --mask, maxlen
 * without; a chunk of padding alone runs one step. */
static void steps_of_a_sequence(void **state) {
    (void)state;
    ClassifierConfig c = config("lstm", "embed");
    c.maxlen = 6;
    ModelConfig mc;
    assert_int_equal(classifier_model_config(&c, &mc), 0);
    const int32_t pre[6] = {0, 0, 3, 0, 4, 5}, post[6] = {3, 4, 0, 0, 0, 0}, none[6] = {0};
    assert_int_equal(model_steps(&mc, pre), 6);
    mc.mask = 1;
    assert_int_equal(model_steps(&mc, pre), 4);
    assert_int_equal(model_steps(&mc, post), 2);
    assert_int_equal(model_steps(&mc, none), 0);
    Model m;
    assert_int_equal(model_init(&m, &mc, 1), 0);
    Work *w = work_new(&m);
    model_chunk(&m, w, none, NULL, 1, 0, 0, NULL, 1, NULL, NULL);
    assert_int_equal(work_steps(w), 1);
    work_free(w);
    model_free(&m);
}

/* Evaluation sorts the set by steps under --mask: each review's
 * probability still lands in its own place (each scored alone agrees). */
static void sorted_evaluation_keeps_places(void **state) {
    (void)state;
    Dataset val;
    planted(&val, 70, 12, 8);
    ClassifierConfig c = config("gru", "embed");
    c.mask = 1;
    ModelConfig mc;
    assert_int_equal(classifier_model_config(&c, &mc), 0);
    Model m;
    assert_int_equal(model_init(&m, &mc, 3), 0);
    real *all = calloc(val.n, sizeof *all);
    evaluate_probs(&m, &val, all);
    for (int64_t i = 0; i < val.n; i++) {
        real one;
        predict_probs(&m, val.x + (size_t)i * val.maxlen, 1, &one);
        if (fabs(one - all[i]) > 1e-5)
            fail_msg("review %lld: %.7f in the set, %.7f alone", (long long)i, all[i], one);
    }
    free(all);
    model_free(&m);
    dataset_free(&val);
}

int main(void) {
    el_set_threads(2);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimiser_steps),
        cmocka_unit_test(learns_planted_signal),
        cmocka_unit_test(bit_identical_across_threads),
        cmocka_unit_test(early_stopping_restores_best),
        cmocka_unit_test(padding_steps_are_skipped),
        cmocka_unit_test(steps_of_a_sequence),
        cmocka_unit_test(sorted_evaluation_keeps_places),
    };
    return cmocka_run_group_tests_name("train", tests, NULL, NULL);
}
