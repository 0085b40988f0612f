/* tests/test_vocab.c: ranking, index contract, padding and truncation, and
 * the validation split. */
#include "tests/fixtures.h"

#include "embed/data/sequence.h"
#include "embed/data/vocab.h"

static int32_t index_of(const Corpus *c, const Vocab *v, const char *w, int32_t cap) {
    return vocab_index(v, dict_find(&c->dict, w, strlen(w)), cap);
}

static void ranking_with_ties(void **state) {
    (void)state;
    Corpus c;
    corpus_init(&c);
    /* Counts on train: the 4, b 3, a 3, zed 2, c 1, ab 1. Test-only words are not counted. */
    corpus_add_text(&c, "the b a zed the c", 17, 1, 0, SPLIT_TRAIN);
    corpus_add_text(&c, "the b a the ab b a zed", 22, 0, 0, SPLIT_TRAIN);
    corpus_add_text(&c, "unseen the the the the the the", 30, 0, 0, SPLIT_TEST);
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    assert_int_equal(v.size, 6);
    const char *expected[] = {"the", "a", "b", "zed", "ab", "c"}; /* ties: byte order */
    for (int r = 0; r < 6; r++) {
        assert_string_equal(dict_word(&c.dict, v.by_rank[r]), expected[r]);
        assert_int_equal(index_of(&c, &v, expected[r], 0), r + 2);
    }
    assert_int_equal(v.count[dict_find(&c.dict, "the", 3)], 4);
    assert_int_equal(index_of(&c, &v, "unseen", 0), INDEX_OOV);
    /* A cap of 4 keeps indices 2 and 3 ("the", "a"); the rest map to 1. */
    assert_int_equal(index_of(&c, &v, "the", 4), 2);
    assert_int_equal(index_of(&c, &v, "a", 4), 3);
    assert_int_equal(index_of(&c, &v, "b", 4), INDEX_OOV);
    assert_int_equal(index_of(&c, &v, "c", 4), INDEX_OOV);
    /* Ids added after the vocabulary was built are out-of-vocabulary. */
    assert_int_equal(vocab_index(&v, c.dict.size + 5, 0), INDEX_OOV);
    assert_int_equal(vocab_count_at_least(&v, 3), 3);
    assert_int_equal(vocab_count_at_least(&v, 1), 6);
    assert_int_equal(vocab_count_at_least(&v, 5), 0);
    /* Counting both splits changes the ranking. */
    vocab_free(&v);
    vocab_build(&v, &c, SPLITS_ALL);
    assert_int_equal(v.size, 7);
    assert_int_equal(v.count[dict_find(&c.dict, "the", 3)], 10);
    assert_int_equal(index_of(&c, &v, "unseen", 0), 7 + 1);
    vocab_free(&v);
    corpus_free(&c);
}

static void shape_all_modes(void **state) {
    (void)state;
    const int32_t seq[] = {5, 6, 7, 8, 9};
    int32_t out[8];
    /* Longer than maxlen = 3. */
    seq_shape(seq, 5, 3, SIDE_PRE, SIDE_PRE, out);
    assert_memory_equal(out, ((int32_t[]){7, 8, 9}), sizeof(int32_t) * 3);
    seq_shape(seq, 5, 3, SIDE_POST, SIDE_PRE, out);
    assert_memory_equal(out, ((int32_t[]){7, 8, 9}), sizeof(int32_t) * 3);
    seq_shape(seq, 5, 3, SIDE_PRE, SIDE_POST, out);
    assert_memory_equal(out, ((int32_t[]){5, 6, 7}), sizeof(int32_t) * 3);
    seq_shape(seq, 5, 3, SIDE_POST, SIDE_POST, out);
    assert_memory_equal(out, ((int32_t[]){5, 6, 7}), sizeof(int32_t) * 3);
    /* Shorter than maxlen = 7. */
    seq_shape(seq, 5, 7, SIDE_PRE, SIDE_PRE, out);
    assert_memory_equal(out, ((int32_t[]){0, 0, 5, 6, 7, 8, 9}), sizeof(int32_t) * 7);
    seq_shape(seq, 5, 7, SIDE_POST, SIDE_PRE, out);
    assert_memory_equal(out, ((int32_t[]){5, 6, 7, 8, 9, 0, 0}), sizeof(int32_t) * 7);
    seq_shape(seq, 5, 7, SIDE_PRE, SIDE_POST, out);
    assert_memory_equal(out, ((int32_t[]){0, 0, 5, 6, 7, 8, 9}), sizeof(int32_t) * 7);
    seq_shape(seq, 5, 7, SIDE_POST, SIDE_POST, out);
    assert_memory_equal(out, ((int32_t[]){5, 6, 7, 8, 9, 0, 0}), sizeof(int32_t) * 7);
    /* Exactly maxlen, and empty. */
    seq_shape(seq, 5, 5, SIDE_POST, SIDE_POST, out);
    assert_memory_equal(out, seq, sizeof seq);
    seq_shape(seq, 0, 4, SIDE_PRE, SIDE_PRE, out);
    assert_memory_equal(out, ((int32_t[]){0, 0, 0, 0}), sizeof(int32_t) * 4);
}

static void validation_split(void **state) {
    (void)state;
    uint8_t a[1000], b[1000], c[1000];
    split_validation(1000, 0.2, 42, a);
    split_validation(1000, 0.2, 42, b);
    split_validation(1000, 0.2, 43, c);
    int na = 0, differ = 0;
    for (int i = 0; i < 1000; i++) {
        na += a[i];
        differ += a[i] != c[i];
    }
    assert_int_equal(na, 200);
    assert_memory_equal(a, b, sizeof a);
    assert_true(differ > 100); /* another seed, another split */
    /* Not simply the first or last fifth. */
    int first = 0;
    for (int i = 0; i < 200; i++)
        first += a[i];
    assert_true(first > 10 && first < 80);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranking_with_ties),
        cmocka_unit_test(shape_all_modes),
        cmocka_unit_test(validation_split),
    };
    return cmocka_run_group_tests_name("vocab", tests, NULL, NULL);
}
