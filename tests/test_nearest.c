/* tests/test_nearest.c: the nearest-word query (db/index/nearest.c) over rows
 * made here: a word in the vocabulary, in its normal form, built from its
 * n-grams, with no vector, with a zero one; a query vector; the query form
 * asked for only when needed; an unusable index said before the word is
 * looked up; the index searched unless exact. */
#include "tests/fixtures.h"

#include <math.h>
#include <stdint.h>

#include "core/vecmath.h"
#include "db/index/ann.h"
#include "db/index/nearest.h"

/* Four words of 2 dims, unit rows (nil a zero one). */
static const char *const words[] = {"alpha", "beta", "gamma", "nil"};
static const float unit4[] = {1, 0, 0.8f, 0.6f, 0, 1, 0, 0};

typedef struct {
    int lookups, forms;
    int fail_form;
    TokQueryForm form;
} Calls;

static int32_t row_of(void *ctx, const char *word, size_t len) {
    Calls *c = ctx;
    c->lookups++;
    for (int32_t i = 0; i < 4; i++)
        if (strlen(words[i]) == len && memcmp(words[i], word, len) == 0)
            return i;
    return -1;
}

static int form_of(void *ctx, TokQueryForm *form) {
    Calls *c = ctx;
    c->forms++;
    *form = c->form;
    return c->fail_form ? -1 : 0;
}

static NearestRows rows4(Calls *c) {
    memset(c, 0, sizeof *c);
    c->form = TOK_QUERY_WORDS;
    return (NearestRows){.n = 4, .dim = 2, .unit = unit4, .row_of = row_of, .form = form_of, .ctx = c};
}

/* A word as given: its row, itself excluded, the rest best first (ties to
 * the lower row); the query form is not asked for. */
static void word_in_vocabulary(void **state) {
    (void)state;
    Calls c;
    NearestRows rows = rows4(&c);
    float q[2];
    NearestWord w;
    Scored best[2];
    int count, indexed = -1;
    assert_int_equal(nearest_query(&rows, "alpha", 5, NULL, 0, 2, 0, q, &w, best, &count, &indexed), NEAREST_OK);
    assert_int_equal(w.row, 0);
    assert_null(w.normal);
    assert_int_equal(c.forms, 0);
    assert_int_equal(indexed, 0);
    assert_int_equal(count, 2);
    assert_int_equal(best[0].index, 1);
    assert_true(fabsf(best[0].score - 0.8f) < 1e-6f);
    assert_int_equal(best[1].index, 2);
    assert_true(q[0] == 1 && q[1] == 0);
    nearest_word_free(&w);
}

/* Not as given: the normal form's row, the form asked for once. */
static void word_in_normal_form(void **state) {
    (void)state;
    Calls c;
    NearestRows rows = rows4(&c);
    float unit[2];
    NearestWord w;
    assert_int_equal(nearest_word(&rows, "BETA", 4, unit, &w), NEAREST_OK);
    assert_int_equal(w.row, 1);
    assert_string_equal(w.normal, "beta");
    assert_int_equal(w.normal_len, 4);
    assert_int_equal(c.forms, 1);
    assert_true(unit[0] == 0.8f && unit[1] == 0.6f);
    nearest_word_free(&w);
    assert_null(w.normal);
    /* A form that names none is said only for a word that needs it. */
    c.fail_form = 1;
    assert_int_equal(nearest_word(&rows, "gamma", 5, unit, &w), NEAREST_OK);
    nearest_word_free(&w);
    assert_int_equal(nearest_word(&rows, "GAMMA", 5, unit, &w), NEAREST_BAD_FORM);
    nearest_word_free(&w);
}

/* An unseen word under subwords: the mean of its n-grams' rows (one bucket,
 * so every n-gram has the one row), unit length, no row excluded. Without
 * a row for any of its n-grams, or without subwords, it has no vector. */
static void word_from_ngrams(void **state) {
    (void)state;
    Calls c;
    NearestRows rows = rows4(&c);
    uint32_t bucket = 0;
    float row[2] = {0, 2};
    rows.subwords =
        (SubwordVectors){.dim = 2, .minn = 3, .maxn = 3, .buckets = 1, .nrows = 1, .row_bucket = &bucket, .rows = row};
    float q[2];
    NearestWord w;
    Scored best[4];
    int count;
    assert_int_equal(nearest_query(&rows, "delta", 5, NULL, 0, 4, 1, q, &w, best, &count, NULL), NEAREST_OK);
    assert_int_equal(w.row, -1);
    assert_int_equal(w.ngrams, 5); /* <de del elt lta ta> */
    assert_int_equal(w.found, 5);
    assert_true(q[0] == 0 && q[1] == 1);
    assert_int_equal(count, 4);
    assert_int_equal(best[0].index, 2);
    nearest_word_free(&w);
    rows.subwords.nrows = 0;
    assert_int_equal(nearest_word(&rows, "delta", 5, q, &w), NEAREST_NOT_FOUND);
    assert_true(w.found == 0 && w.ngrams == 5 && w.row == -1);
    nearest_word_free(&w);
    assert_int_equal(nearest_word(&rows, "", 0, q, &w), NEAREST_NOT_FOUND);
    assert_true(w.found == 0 && w.ngrams == 0);
    nearest_word_free(&w);
    rows.subwords.minn = 0;
    assert_int_equal(nearest_word(&rows, "delta", 5, q, &w), NEAREST_NOT_FOUND);
    assert_true(w.found == 0 && w.ngrams == 0);
    nearest_word_free(&w);
}

/* A word whose row is zero has no direction; its row is still said (an
 * analogy may use it). */
static void zero_row(void **state) {
    (void)state;
    Calls c;
    NearestRows rows = rows4(&c);
    float q[2];
    NearestWord w;
    Scored best[3];
    int count;
    assert_int_equal(nearest_query(&rows, "nil", 3, NULL, 0, 3, 0, q, &w, best, &count, NULL), NEAREST_ZERO);
    assert_int_equal(w.row, 3);
    assert_int_equal(count, 0);
    nearest_word_free(&w);
}

/* A query vector: checked, made unit length, nothing excluded. */
static void query_vector(void **state) {
    (void)state;
    Calls c;
    NearestRows rows = rows4(&c);
    float q[2], v[2] = {3, 4}, zero[2] = {0, 0}, nan[2] = {NAN, 0};
    NearestWord w;
    Scored best[4];
    int count;
    assert_int_equal(nearest_query(&rows, NULL, 0, v, 4, 4, 0, q, &w, best, &count, NULL), NEAREST_DIM_MISMATCH);
    assert_int_equal(nearest_query(&rows, NULL, 0, nan, 8, 4, 0, q, &w, best, &count, NULL), NEAREST_NOT_FINITE);
    assert_int_equal(nearest_query(&rows, NULL, 0, zero, 8, 4, 0, q, &w, best, &count, NULL), NEAREST_ZERO);
    assert_int_equal(nearest_query(&rows, NULL, 0, v, 8, 9, 0, q, &w, best, &count, NULL), NEAREST_OK);
    assert_int_equal(w.row, -1);
    assert_true(fabsf(q[0] - 0.6f) < 1e-6f && fabsf(q[1] - 0.8f) < 1e-6f);
    assert_int_equal(count, 4); /* k is cut to the rows there are */
    assert_int_equal(best[0].index, 1);
    assert_int_equal(c.lookups, 0);
}

/* An index the front end could not use is said before the word is looked
 * up, unless the search is exact; a usable one answers unless exact. */
static void index_use(void **state) {
    (void)state;
    enum { N = 300, D = 16, K = 10 };
    float *v = malloc((size_t)N * D * sizeof *v);
    assert_non_null(v);
    uint64_t x = 42;
    for (int i = 0; i < N * D; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        v[i] = (float)((x >> 40) & 0xffff) / 65536.0f - 0.5f;
    }
    for (int i = 0; i < N; i++)
        vec_normalize_f32(v + (size_t)i * D, D);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    char err[256];
    assert_int_equal(ann_build(v, N, D, &p, &ix, err, sizeof err), ANN_OK);
    Calls c;
    NearestRows rows = {.n = N, .dim = D, .unit = v, .ix = &ix, .row_of = row_of, .form = form_of, .ctx = &c};
    memset(&c, 0, sizeof c);
    Scored got[K], want[K];
    int count, indexed;
    int32_t ex = 7;
    assert_int_equal(nearest_search(&rows, v + 7 * D, K, &ex, 1, 0, got, &count, &indexed), NEAREST_OK);
    assert_int_equal(indexed, 1);
    assert_int_equal(count, ann_search(&ix, v, v + 7 * D, K, 0, 0, &ex, 1, want));
    assert_memory_equal(got, want, (size_t)count * sizeof *got);
    assert_int_equal(nearest_search(&rows, v + 7 * D, K, &ex, 1, 1, got, &count, &indexed), NEAREST_OK);
    assert_int_equal(indexed, 0);
    assert_int_equal(count, vec_topk(v, N, D, v + 7 * D, K, &ex, 1, want));
    assert_memory_equal(got, want, (size_t)count * sizeof *got);

    rows.index_err = "stale";
    float q[D];
    NearestWord w;
    assert_int_equal(nearest_query(&rows, "alpha", 5, NULL, 0, K, 0, q, &w, got, &count, NULL), NEAREST_INDEX_UNUSABLE);
    assert_int_equal(c.lookups, 0);
    assert_int_equal(nearest_search(&rows, v, K, NULL, 0, 0, got, &count, NULL), NEAREST_INDEX_UNUSABLE);
    assert_int_equal(nearest_query(&rows, "alpha", 5, NULL, 0, K, 1, q, &w, got, &count, &indexed), NEAREST_OK);
    assert_int_equal(indexed, 0);
    assert_int_equal(w.row, 0); /* alpha is row 0 here: excluded */
    for (int i = 0; i < count; i++)
        assert_int_not_equal(got[i].index, 0);
    nearest_word_free(&w);
    ann_free(&ix);
    free(v);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(word_in_vocabulary), cmocka_unit_test(word_in_normal_form), cmocka_unit_test(word_from_ngrams),
        cmocka_unit_test(zero_row),           cmocka_unit_test(query_vector),        cmocka_unit_test(index_use),
    };
    return cmocka_run_group_tests(tests, 0, NULL);
}
