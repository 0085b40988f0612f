/* tests/test_word2vec.c: the trainer learns planted structure, is
 * reproducible, and does all of its work (word2vec.c issue #47). */
#include "tests/fixtures.h"

#include "core/common.h"
#include "core/rng.h"
#include "embed/vectors.h"
#include "embed/word2vec.h"

enum { GROUPS = 5, PER_GROUP = 8 };

/* Sentences of 12 words, each drawn from one group: words co-occur only
 * within their group. Word names: g<group>w<i>. */
static void planted_corpus(Corpus *c, int sentences, uint64_t seed) {
    corpus_init(c);
    Rng r;
    rng_seed(&r, seed);
    char text[256];
    for (int s = 0; s < sentences; s++) {
        int g = (int)rng_below(&r, GROUPS), len = 0;
        for (int i = 0; i < 12; i++)
            len += snprintf(text + len, sizeof text - len, "g%dw%d ", g, (int)rng_below(&r, PER_GROUP));
        corpus_add_text(c, text, len, -1, 0, SPLIT_TRAIN);
    }
}

static W2vParams small_params(int model, int loss) {
    W2vParams p;
    w2v_defaults(&p);
    p.model = model;
    p.loss = loss;
    p.dim = 16;
    p.window = 3;
    p.negative = 5;
    p.epochs = 5;
    p.min_count = 1;
    p.sample = 0;
    p.seed = 3;
    p.quiet = 1;
    return p;
}

static void check_groups_sharing(int model, int loss, int dim, int share, int window) {
    Corpus c;
    planted_corpus(&c, 3000, 11);
    W2vParams p = small_params(model, loss);
    p.dim = dim;
    p.share_negatives = share;
    p.window = window;
    W2vModel m;
    el_set_threads(2);
    assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &m), 0);
    assert_int_equal(m.nwords, GROUPS * PER_GROUP);
    Embedding e;
    emb_init(&e, m.dim);
    for (int32_t i = 0; i < m.nwords; i++)
        assert_int_equal(emb_add(&e, m.words[i], strlen(m.words[i]), m.vectors + (size_t)i * m.dim, m.count[i]), 0);
    emb_finish(&e);
    /* Every word's 7 nearest neighbours are its 7 group mates. */
    int same = 0, total = 0;
    for (int32_t i = 0; i < e.n; i++) {
        Scored best[PER_GROUP - 1];
        int found = emb_nearest(&e, e.unit + (size_t)i * e.dim, PER_GROUP - 1, &i, 1, best);
        assert_int_equal(found, PER_GROUP - 1);
        for (int k = 0; k < found; k++) {
            same += emb_word(&e, best[k].index)[1] == emb_word(&e, i)[1];
            total++;
        }
    }
    if (same != total)
        fail_msg("model %d loss %d: %d of %d neighbours in the same group", model, loss, same, total);
    emb_free(&e);
    w2v_free(&m);
    corpus_free(&c);
}

/* At the model's default draw sharing (w2v_share_negatives). */
static void check_groups(int model, int loss, int dim) {
    check_groups_sharing(model, loss, dim, 0, small_params(model, loss).window); /* 0: the model's default */
}

static void planted_sg_ns(void **state) {
    (void)state;
    check_groups(W2V_SG, W2V_NS, 16);
}
static void planted_sg_hs(void **state) {
    (void)state;
    check_groups(W2V_SG, W2V_HS, 16);
}
static void planted_cbow_ns(void **state) {
    (void)state;
    check_groups(W2V_CBOW, W2V_NS, 16);
}
static void planted_cbow_hs(void **state) {
    (void)state;
    check_groups(W2V_CBOW, W2V_HS, 16);
}

/* A draw of negatives per centre word, as word2vec.c, and whole groups of 4
 * (window 1: 4 segments of 3 in a 12-word sentence): the planted groups come
 * out. */
static void planted_with_and_without_shared_negatives(void **state) {
    (void)state;
    /* The defaults: CBOW shares (so the tests above run its shared draws),
     * skip-gram and HS do not. */
    W2vParams d = small_params(W2V_CBOW, W2V_NS);
    assert_int_equal(w2v_share_negatives(&d), 4);
    d.loss = W2V_HS;
    assert_int_equal(w2v_share_negatives(&d), 1);
    d = small_params(W2V_SG, W2V_NS);
    assert_int_equal(w2v_share_negatives(&d), 1);
    d.share_negatives = 3;
    assert_int_equal(w2v_share_negatives(&d), 3);
    check_groups_sharing(W2V_SG, W2V_NS, 16, 1, 3);
    check_groups_sharing(W2V_CBOW, W2V_NS, 16, 1, 3);
    check_groups_sharing(W2V_SG, W2V_NS, 16, 4, 1);
    check_groups_sharing(W2V_CBOW, W2V_NS, 16, 4, 1);
}

/* One thread: sharing draws makes a draw per group, changes negative
 * sampling's vectors, and leaves hierarchical softmax's (no negatives, the
 * sentence's order) bit for bit. */
static void shared_draws_change_ns_only(void **state) {
    (void)state;
    Corpus c;
    planted_corpus(&c, 500, 5);
    el_set_threads(1);
    for (int model = W2V_SG; model <= W2V_CBOW; model++)
        for (int loss = W2V_NS; loss <= W2V_HS; loss++) {
            W2vParams p = small_params(model, loss);
            p.window = 1;
            W2vModel one, four;
            p.share_negatives = 1;
            assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &one), 0);
            p.share_negatives = 4;
            assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &four), 0);
            int same = memcmp(one.vectors, four.vectors, (size_t)one.nwords * one.dim * sizeof(float)) == 0;
            /* 500 sentences of 12 words, 5 epochs, nothing subsampled: a draw
             * of 5 a word, or a draw for each of the 3 groups of 4 (3 apart). */
            assert_int_equal(one.negative_draws, loss == W2V_HS ? 0 : 500 * 12 * 5 * 5);
            assert_int_equal(four.negative_draws, loss == W2V_HS ? 0 : 500 * 3 * 5 * 5);
            if (same != (loss == W2V_HS))
                fail_msg("model %d loss %d: share 4 %s share 1", model, loss, same ? "equals" : "differs from");
            w2v_free(&one);
            w2v_free(&four);
        }
    corpus_free(&c);
}

/* w2v_centre_order visits every position once, in groups of at most share
 * positions, equally spaced at least gap apart, each group's first visit
 * drawing, and each position's next visit in its segment is the next
 * position; share 1 is the sentence in order, every visit drawing. */
static void centre_order_groups(void **state) {
    (void)state;
    enum { MAXLEN = 100 };
    int64_t order[MAXLEN];
    uint8_t draw[MAXLEN];
    const int shares[] = {1, 2, 4, 7}, gaps[] = {1, 3, 11};
    w2v_centre_order(5, 0, 0, order, draw); /* below 1 counts as 1: the sentence in order */
    for (int64_t k = 0; k < 5; k++) {
        assert_int_equal(order[k], k);
        assert_int_equal(draw[k], 1);
    }
    for (int64_t len = 0; len <= MAXLEN; len += 7)
        for (size_t si = 0; si < sizeof shares / sizeof *shares; si++)
            for (size_t gi = 0; gi < sizeof gaps / sizeof *gaps; gi++) {
                int share = shares[si], gap = gaps[gi];
                w2v_centre_order(len, share, gap, order, draw);
                uint8_t seen[MAXLEN] = {0};
                int64_t members = 0, spacing = 0, visit_of[MAXLEN];
                for (int64_t k = 0; k < len; k++) {
                    assert_true(order[k] >= 0 && order[k] < len);
                    assert_int_equal(seen[order[k]], 0);
                    seen[order[k]] = 1;
                    visit_of[order[k]] = k;
                    if (draw[k])
                        members = 1;
                    else {
                        assert_true(k > 0);
                        if (members == 1)
                            spacing = order[k] - order[k - 1];
                        assert_true(spacing >= gap); /* windows that do not overlap */
                        assert_int_equal(order[k] - order[k - 1], spacing);
                        members++;
                    }
                    assert_true(members <= share);
                    if (share == 1) {
                        assert_int_equal(order[k], k);
                        assert_int_equal(draw[k], 1);
                    }
                }
                /* Within a segment, position p + 1 is visited after p. */
                for (int64_t pos = 0; pos + 1 < len; pos++)
                    if (visit_of[pos + 1] < visit_of[pos])
                        assert_true(pos + 1 >= gap); /* only where a segment starts */
            }
    /* The trainer's case, window 5: gap 11, four a draw. 50 positions make
     * four segments of 13 (the last 11 long): groups {g, g + 13, g + 26, g +
     * 39}, then {11, 24, 37} and {12, 25, 38}. */
    w2v_centre_order(50, 4, 11, order, draw);
    const int64_t head[] = {0, 13, 26, 39, 1, 14, 27, 40};
    for (int k = 0; k < 8; k++) {
        assert_int_equal(order[k], head[k]);
        assert_int_equal(draw[k], k % 4 == 0);
    }
    assert_int_equal(order[44], 11);
    assert_int_equal(draw[44], 1);
    assert_int_equal(order[47], 12);
    assert_int_equal(order[49], 38);
    /* Shorter than 2 x 11: one segment, the sentence in order. */
    w2v_centre_order(21, 4, 11, order, draw);
    for (int64_t k = 0; k < 21; k++)
        assert_int_equal(order[k], k);
}

/* Rows of 20 floats sit 32 apart while training (w2v_row_stride) and close
 * up at the end: every vector must still be its own word's. */
static void planted_with_padded_rows(void **state) {
    (void)state;
    assert_int_equal(w2v_row_stride(20), 32);
    check_groups(W2V_SG, W2V_NS, 20);
    check_groups(W2V_CBOW, W2V_HS, 20);
}

/* Same seed, one thread: the same bits, for both models and losses, with
 * rows padded (dim 20) or not (16). */
static void one_thread_is_bit_identical(void **state) {
    (void)state;
    Corpus c;
    planted_corpus(&c, 500, 5);
    el_set_threads(1);
    for (int model = W2V_SG; model <= W2V_CBOW; model++)
        for (int loss = W2V_NS; loss <= W2V_HS; loss++)
            for (int dim = 16; dim <= 20; dim += 4) {
                W2vParams p = small_params(model, loss);
                p.sample = 1e-2; /* exercise the subsampling draws too */
                p.dim = dim;
                W2vModel a, b, other;
                assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &a), 0);
                assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &b), 0);
                assert_memory_equal(a.vectors, b.vectors, (size_t)a.nwords * a.dim * sizeof(float));
                p.seed = 4;
                assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &other), 0);
                assert_true(memcmp(a.vectors, other.vectors, (size_t)a.nwords * a.dim * sizeof(float)) != 0);
                w2v_free(&a);
                w2v_free(&b);
                w2v_free(&other);
            }
    corpus_free(&c);
}

/* A step on rows padded to a stride (its loops run over the whole stride,
 * embed/w2v_update.c) gives the same bits as on unpadded rows, and the
 * padding stays 0: for both models, steps chained so that a moved row is
 * read again. */
static void padded_step_matches_unpadded(void **state) {
    (void)state;
    enum { WORDS = 6, DIM = 20, STRIDE = 32 };
    assert_int_equal(w2v_row_stride(DIM), STRIDE);
    for (int model = W2V_SG; model <= W2V_CBOW; model++) {
        float a0[WORDS * DIM], a1[WORDS * DIM], p0[WORDS * STRIDE] = {0}, p1[WORDS * STRIDE] = {0};
        Rng r;
        rng_seed(&r, 7);
        for (int w = 0; w < WORDS; w++)
            for (int d = 0; d < DIM; d++) {
                a0[w * DIM + d] = p0[w * STRIDE + d] = rng_float(&r) - 0.5f;
                a1[w * DIM + d] = p1[w * STRIDE + d] = rng_float(&r) - 0.5f;
            }
        W2vNet plain = {.dim = DIM, .syn0 = a0, .syn1 = a1},
               padded = {.dim = DIM, .stride = STRIDE, .syn0 = p0, .syn1 = p1};
        float *s0 = xmalloc(w2v_scratch_floats(&plain, 4, 4) * sizeof(float));
        float *s1 = xmalloc(w2v_scratch_floats(&padded, 4, 4) * sizeof(float));
        const int32_t in[3][4] = {{1, 2, 3, 2}, {0, 4, 5, 1}, {2, 3, 4, 5}},
                      out[3][4] = {{0, 5, 4, 1}, {3, 2, 0, 5}, {1, 0, 3, 4}};
        const float label[4] = {1, 0, 0, 0};
        for (int step = 0; step < 3; step++) {
            w2v_update(&plain, model, in[step], 4, out[step], label, 4, 0.5f, s0);
            w2v_update(&padded, model, in[step], 4, out[step], label, 4, 0.5f, s1);
        }
        for (int w = 0; w < WORDS; w++) {
            assert_memory_equal(a0 + w * DIM, p0 + w * STRIDE, DIM * sizeof(float));
            assert_memory_equal(a1 + w * DIM, p1 + w * STRIDE, DIM * sizeof(float));
            for (int d = DIM; d < STRIDE; d++)
                assert_true(p0[w * STRIDE + d] == 0 && p1[w * STRIDE + d] == 0);
        }
        free(s0), free(s1);
    }
}

/* Every thread must do every epoch: the words processed are exactly
 * epochs x training words, whatever the thread count (word2vec.c's issue #47
 * silently skipped epochs of a thread that reached the end of the file). */
static void every_thread_does_all_epochs(void **state) {
    (void)state;
    Corpus c;
    planted_corpus(&c, 777, 9);
    corpus_add_text(&c, "rare", 4, -1, 0, SPLIT_TRAIN); /* below min_count: not a training word */
    W2vParams p = small_params(W2V_CBOW, W2V_NS);
    p.min_count = 2;
    p.epochs = 7;
    int64_t words = 777 * 12;
    for (int threads = 1; threads <= 3; threads++) {
        el_set_threads(threads);
        W2vModel m;
        assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &m), 0);
        assert_int_equal(m.train_words, words);
        assert_int_equal(m.corpus_tokens, words + 1);
        assert_int_equal(m.words_processed, 7 * words);
        w2v_free(&m);
    }
    /* More threads than documents. */
    Corpus tiny;
    corpus_init(&tiny);
    corpus_add_text(&tiny, "a b a b a b", 11, -1, 0, SPLIT_TRAIN);
    el_set_threads(4);
    p.min_count = 1;
    W2vModel m;
    assert_int_equal(w2v_train(&p, &tiny, SPLIT_MASK(SPLIT_TRAIN), &m), 0);
    assert_int_equal(m.words_processed, 7 * 6);
    w2v_free(&m);
    corpus_free(&tiny);
    corpus_free(&c);
}

static void too_small_vocabulary(void **state) {
    (void)state;
    Corpus c;
    corpus_init(&c);
    corpus_add_text(&c, "only only", 9, -1, 0, SPLIT_TRAIN);
    W2vParams p = small_params(W2V_SG, W2V_NS);
    W2vModel m;
    assert_int_equal(w2v_train(&p, &c, SPLIT_MASK(SPLIT_TRAIN), &m), -1);
    assert_non_null(strstr(el_error(), "needs two or more"));
    corpus_free(&c);
}

static void memory_estimate(void **state) {
    (void)state;
    W2vParams p;
    w2v_defaults(&p);
    p.dim = 300;
    int64_t bytes = w2v_memory(&p, 1000000, 0, 0);
    assert_true(bytes >= 2 * 1000000LL * 300 * 4); /* both weight matrices at least */
    assert_true(bytes <= 2500000000LL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(planted_sg_ns),
        cmocka_unit_test(planted_sg_hs),
        cmocka_unit_test(planted_cbow_ns),
        cmocka_unit_test(planted_cbow_hs),
        cmocka_unit_test(planted_with_padded_rows),
        cmocka_unit_test(planted_with_and_without_shared_negatives),
        cmocka_unit_test(shared_draws_change_ns_only),
        cmocka_unit_test(centre_order_groups),
        cmocka_unit_test(one_thread_is_bit_identical),
        cmocka_unit_test(padded_step_matches_unpadded),
        cmocka_unit_test(every_thread_does_all_epochs),
        cmocka_unit_test(too_small_vocabulary),
        cmocka_unit_test(memory_estimate),
    };
    return cmocka_run_group_tests_name("word2vec", tests, NULL, NULL);
}
