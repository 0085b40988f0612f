/* tests/test_memory.c: the memory estimates that let the CLI refuse a run
 * that cannot fit: arithmetic that cannot wrap, a tiny configuration counted
 * by hand, and the estimate's parts against what the code really allocates. */
#include "tests/fixtures.h"

#include <malloc.h>
#include <stdint.h>
#include <sys/resource.h>

#include "core/common.h"
#include "rnn/config.h"
#include "core/memory.h"
#include "embed/vectors.h"
#include "embed/word2vec.h"
#include "rnn/train.h"

/* Under AddressSanitizer malloc is ASan's (mallinfo2 sees none of it) and
 * the shadow memory makes address-space limits meaningless: the two tests
 * that measure those skip themselves there. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static void saturating(void **state) {
    (void)state;
    assert_true(mem_add(1, 2) == 3);
    assert_true(mem_add(SIZE_MAX - 1, 1) == SIZE_MAX);
    assert_true(mem_add(SIZE_MAX, 5) == SIZE_MAX);
    assert_true(mem_mul(0, SIZE_MAX) == 0);
    assert_true(mem_mul((size_t)1 << 40, (size_t)1 << 23) == (size_t)1 << 63);
    assert_true(mem_mul((size_t)1 << 40, (size_t)1 << 24) == SIZE_MAX);
    assert_true(emb_memory(INT64_MAX, 4096) == SIZE_MAX);
    char buf[32];
    assert_string_equal(mem_format(512, buf, sizeof buf), "512 bytes");
    assert_string_equal(mem_format((size_t)3 << 29, buf, sizeof buf), "1.5 GiB");
    assert_string_equal(mem_format((size_t)33554432 * 1000, buf, sizeof buf), "31.2 GiB");
    /* Too much is refused with the figure; a little always fits. */
    assert_int_equal(mem_check(SIZE_MAX, "--x 1"), -1);
    assert_non_null(strstr(el_error(), "this run needs more than 16.0 EiB but"));
    assert_non_null(strstr(el_error(), "available (--x 1)"));
    assert_int_equal(mem_check((size_t)1 << 62, "--x 2"), -1);
    assert_non_null(strstr(el_error(), "this run needs about 4.0 EiB but"));
    assert_int_equal(mem_check(4096, "small"), 0);
    int limit_as;
    assert_true(mem_available(&limit_as) > 4096);
}

static ClassifierConfig tiny(void) {
    ClassifierConfig c;
    config_defaults(&c);
    c.vocab = 10, c.dim = 4, c.units = 2, c.layers = 1, c.maxlen = 3, c.batch = 16;
    assert_int_equal(config_set(&c, "opt", "sgd"), 0);
    return c;
}

/* rnn, embedding input, vocab 10, dim 4, 2 units, maxlen 3, batch 16, sgd,
 * one thread, 5 reviews, counted by hand:
 *   parameters  10*4 (table) + 4*2 (W) + 2*2 (U) + 2 (b) + 2 + 1 (head) = 57;
 *               dense part (all but the table) 17
 *   training    57 * 3 (params, summed gradient, best) + 17 (one chunk's
 *               dense gradient) = 188 floats = 752 bytes
 *   scratch     T*B = 48 steps x rows: x0 48*4 = 192; dmask 16*4 + rmask
 *               16*2 = 96; zx dzx 2*48*2 = 192 (SimpleRNN sums zx and zh, so
 *               there is no dzh: rnn/cell.h); h c hpm dh cache 5*48*2 = 480;
 *               zstep 16*2 + ut 2*2 + six rows of 16*2 + dlogit 16 = 244;
 *               wt 2*4 = 8; dx 48*4 = 192; rowgrad 48*4 = 192: 1596 floats = 6384 bytes,
 *               + tokens and flags 48*5 = 240 + ids 16*8 = 128 + the distinct
 *               tokens' index 48*4*2 = 384 and hash table 128*4 = 512 -> 7648
 *   datasets    5 reviews x (3 indices + label + review index + order, the
 *               reviews' steps, an evaluation's steps, order and sorting
 *               buffer) 5 x 40 = 200;
 *               each chunk's gathered tokens 16 x 3 x 4 = 192
 *   baseline    8 MiB */
static void hand_counted(void **state) {
    (void)state;
    ClassifierConfig c = tiny();
    assert_int_equal(classifier_param_count(&c), 57);
    assert_int_equal(classifier_work_bytes(&c), 7648);
    assert_int_equal(classifier_memory(&c, 1, 5), ((size_t)8 << 20) + 752 + 7648 + 200 + 192);
    /* Adam keeps two moments, RMSprop one: 57 floats each. */
    assert_int_equal(config_set(&c, "opt", "adam"), 0);
    assert_int_equal(classifier_memory(&c, 1, 5), ((size_t)8 << 20) + 752 + 2 * 57 * 4 + 7648 + 200 + 192);
    assert_int_equal(config_set(&c, "opt", "rmsprop"), 0);
    assert_int_equal(classifier_memory(&c, 1, 5), ((size_t)8 << 20) + 752 + 57 * 4 + 7648 + 200 + 192);
    /* Four threads: four chunks of scratch and dense gradients. */
    assert_int_equal(config_set(&c, "opt", "sgd"), 0);
    assert_int_equal(classifier_memory(&c, 4, 5), ((size_t)8 << 20) + 57 * 3 * 4 + 4 * (17 * 4 + 7648 + 192) + 200);
    /* The configuration is far beyond any test machine, and says so. */
    config_defaults(&c);
    c.vocab = 1000000, c.dim = 4096;
    assert_true(classifier_memory(&c, 2, 0) > (size_t)60 << 30);
}

/* A batch larger than the training set is one batch of all of it: training
 * takes the scratch of the batch it uses (issue 18: --batch 10000 on 2,000
 * reviews was estimated at 10,000 sequences' chunks). */
static void batch_capped_at_reviews(void **state) {
    (void)state;
    ClassifierConfig c = tiny();
    c.batch = 2000;
    size_t used = classifier_memory(&c, 2, 2000);
    c.batch = 10000;
    assert_int_equal(classifier_memory(&c, 2, 2000), used);
    c.batch = 1000; /* a smaller batch is not raised */
    assert_true(classifier_memory(&c, 2, 2000) < used);
    /* Before the reviews are known (0) the batch is taken as given. */
    c.batch = 10000;
    assert_true(classifier_memory(&c, 2, 0) > used);
}

/* The counts follow the code: model_init()'s parameters, and what
 * work_new() really takes from malloc (within malloc's own overhead). */
static void matches_the_code(void **state) {
    (void)state;
    if (UNDER_ASAN)
        skip();
    const char *cells[] = {"rnn", "lstm", "gru"};
    for (int k = 0; k < 3; k++)
        for (int onehot = 0; onehot <= 2; onehot++) /* 2: embedding, bidirectional, max pooling */
            for (int layers = 1; layers <= 3; layers += 2) {
                ClassifierConfig c = tiny();
                assert_int_equal(config_set(&c, "cell", cells[k]), 0);
                assert_int_equal(config_set(&c, "input", onehot == 1 ? "onehot" : "embed"), 0);
                c.bidirectional = onehot == 2;
                assert_int_equal(config_set(&c, "pool", onehot == 2 ? "max" : "last"), 0);
                c.layers = layers, c.units = 24, c.dim = 40, c.vocab = 300, c.maxlen = 50;
                ModelConfig mc;
                assert_int_equal(classifier_model_config(&c, &mc), 0);
                Model m;
                assert_int_equal(model_init(&m, &mc, 1), 0);
                assert_int_equal(classifier_param_count(&c), m.nparams);
                struct mallinfo2 before = mallinfo2();
                Work *w = work_new(&m);
                struct mallinfo2 after = mallinfo2();
                size_t got = (after.uordblks + after.hblkhd) - (before.uordblks + before.hblkhd);
                size_t want = classifier_work_bytes(&c);
                if (got < want || got > want + want / 20 + 4096)
                    fail_msg("%s onehot %d layers %d: work_new took %zu bytes, estimated %zu", cells[k], onehot, layers,
                             got, want);
                work_free(w);
                model_free(&m);
            }
}

/* word2vec refuses before allocating its matrices when they cannot fit:
 * here under an address-space limit that leaves about 40 MiB, against two
 * 1000 x 10000 float matrices (80 MB). The limit is lifted afterwards. */
static void word2vec_refuses(void **state) {
    (void)state;
    if (UNDER_ASAN)
        skip();
    Corpus c;
    corpus_init(&c);
    char text[16];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(text, sizeof text, "w%d w%d", i, i);
        corpus_add_text(&c, text, (size_t)n, -1, 0, SPLIT_TRAIN);
    }
    W2vParams p;
    w2v_defaults(&p);
    p.dim = 10000, p.min_count = 1, p.epochs = 1, p.quiet = 1;
    el_set_threads(1);
    struct rlimit saved, rl;
    assert_int_equal(getrlimit(RLIMIT_AS, &saved), 0);
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long pages;
    assert_int_equal(fscanf(f, "%llu", &pages), 1);
    fclose(f);
    /* What the process maps now, the one thread's reservation, and 40 MiB. */
    rl = saved;
    rl.rlim_cur = (rlim_t)(pages * (unsigned long long)sysconf(_SC_PAGESIZE) + ((size_t)(8 + 64 + 40) << 20));
    assert_int_equal(setrlimit(RLIMIT_AS, &rl), 0);
    W2vModel m;
    memset(&m, 0, sizeof m);
    int rc = w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &m);
    assert_int_equal(setrlimit(RLIMIT_AS, &saved), 0);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(el_error(), "address-space limit (ulimit -v)"));
    assert_non_null(strstr(el_error(), "(--dim 10000 over 1000 words)"));
    assert_null(m.vectors);
    w2v_free(&m);
    corpus_free(&c);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(saturating), cmocka_unit_test(hand_counted),
                                       cmocka_unit_test(batch_capped_at_reviews), cmocka_unit_test(matches_the_code),
                                       cmocka_unit_test(word2vec_refuses)};
    return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
