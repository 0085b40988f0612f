/* tests/test_corpus.c: the aclImdb and LABEL<TAB>TEXT loaders on fixtures. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "core/rng.h"
#include "embed/data/corpus.h"
#include "embed/data/dataset.h"
#include "embed/data/sequence.h"
#include "embed/data/vocab.h"

static char *make_imdb(void) {
    char *dir = fixture_dir();
    free(fixture_text(dir, "aclImdb/train/pos/10_9.txt", "Great<br />movie"));
    free(fixture_text(dir, "aclImdb/train/pos/2_7.txt", "Loved it"));
    free(fixture_text(dir, "aclImdb/train/neg/5_1.txt", "Awful. Awful!"));
    free(fixture_text(dir, "aclImdb/train/neg/notes.md", "not a review"));
    free(fixture_text(dir, "aclImdb/test/pos/0_10.txt", "great"));
    free(fixture_text(dir, "aclImdb/test/neg/0_2.txt", ""));
    return dir;
}

static const char *word(const Corpus *c, size_t doc, uint32_t i) {
    return dict_word(&c->dict, c->tokens[c->docs[doc].start + i]);
}

static void imdb_layout(void **state) {
    (void)state;
    char *dir = make_imdb(), root[4096];
    snprintf(root, sizeof root, "%s/aclImdb", dir);
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_imdb(&c, root, SPLITS_ALL), 0);
    assert_int_equal(c.ndocs, 5);
    /* Order: train/neg, train/pos (sorted names: 10_9 before 2_7), test/neg, test/pos. */
    assert_int_equal(c.docs[0].label, 0);
    assert_int_equal(c.docs[0].rating, 1);
    assert_int_equal(c.docs[0].len, 2);
    assert_string_equal(word(&c, 0, 1), "awful");
    assert_int_equal(c.docs[1].rating, 9);
    assert_string_equal(word(&c, 1, 0), "great");
    assert_string_equal(word(&c, 1, 1), "movie");
    assert_int_equal(c.docs[2].rating, 7);
    assert_int_equal(c.docs[2].label, 1);
    assert_int_equal(c.docs[3].split, SPLIT_TEST);
    assert_int_equal(c.docs[3].len, 0); /* an empty review is a review */
    assert_int_equal(c.docs[4].rating, 10);
    assert_int_equal(c.tokens[c.docs[4].start], c.tokens[c.docs[1].start]); /* same word, same id */
    assert_int_equal(corpus_count_tokens(&c, SPLIT_MASK(SPLIT_TRAIN)), 6);
    assert_int_equal(corpus_count_docs(&c, SPLIT_MASK(SPLIT_TEST)), 2);
    corpus_free(&c);

    corpus_init(&c);
    assert_int_equal(corpus_load_imdb(&c, root, SPLIT_MASK(SPLIT_TRAIN)), 0);
    assert_int_equal(c.ndocs, 3);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

static void imdb_missing_folder(void **state) {
    (void)state;
    char *dir = fixture_dir();
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_imdb(&c, dir, SPLITS_ALL), -1);
    assert_non_null(strstr(el_error(), "cannot open folder"));
    assert_non_null(strstr(el_error(), "train/neg"));
    assert_int_equal(c.ndocs, 0);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

static void tsv(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "reviews.tsv", "1\tGood film\r\n0\t영화가 별로다\n\n1\t\n0\tmeh");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), 0);
    assert_int_equal(c.ndocs, 4);
    assert_int_equal(c.docs[0].label, 1);
    assert_string_equal(word(&c, 0, 1), "film"); /* the CR is gone */
    assert_string_equal(word(&c, 1, 0), "영화가");
    assert_int_equal(c.docs[2].len, 0);
    assert_int_equal(c.docs[3].label, 0);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(path);
    free(dir);
}

static void tsv_errors(void **state) {
    (void)state;
    char *dir = fixture_dir();
    struct {
        const char *content, *message;
    } cases[] = {
        {"", "empty file"},
        {"\n\n", "empty file"},
        {"1\tok\n2\tbad label\n", "bad.tsv:2: label must be 0 or 1, got '2'"},
        {"1\tok\npositive\tbad\n", "bad.tsv:2: label must be 0 or 1, got 'positive'"},
        {"1\tok\n0 no tab here\n", "bad.tsv:2: no tab between label and text"},
        {"\t\n", "bad.tsv:1: label must be 0 or 1"},
        /* Input echoed in a message is escaped: a second BOM, a NUL, an escape code. */
        {"\xEF\xBB\xBF\xEF\xBB\xBF"
         "1\tx\n",
         "bad.tsv:1: label must be 0 or 1, got '\\xEF\\xBB\\xBF1'"},
        {"1\tok\n\x1b[2J\tx\n", "bad.tsv:2: label must be 0 or 1, got '\\x1B[2J'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *path = fixture_text(dir, "bad.tsv", cases[i].content);
        Corpus c;
        corpus_init(&c);
        corpus_add_text(&c, "kept", 4, 1, 0, SPLIT_TRAIN);
        assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), -1);
        if (!strstr(el_error(), cases[i].message))
            fail_msg("case %zu: got '%s'", i, el_error());
        /* A failed load leaves the corpus as it was. */
        assert_int_equal(c.ndocs, 1);
        assert_int_equal(c.ntokens, 1);
        corpus_free(&c);
        free(path);
    }
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, "/nonexistent/file.tsv", SPLIT_TRAIN), -1);
    assert_non_null(strstr(el_error(), "cannot open /nonexistent/file.tsv"));
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

static void plain_lines(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "text.txt", "one two\n\nthree\n");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_lines(&c, path, SPLIT_TRAIN), 0);
    assert_int_equal(c.ndocs, 2);
    assert_int_equal(c.docs[0].label, -1);
    assert_int_equal(c.ntokens, 3);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(path);
    free(dir);
}

/* Random corruptions of a valid file: never a crash; either every line was
 * taken (labels 0 or 1) or there is a message and the corpus is unchanged. */
static void tsv_fuzz(void **state) {
    (void)state;
    char *dir = fixture_dir();
    const char good[] = "1\tGreat film<br />loved it\n0\tboring, awful\r\n1\t영화 최고\n\n0\tmeh\n";
    char buf[sizeof good + 16];
    Rng r;
    rng_seed(&r, 4);
    int loaded = 0, refused = 0;
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(buf, good, sizeof good);
        size_t n = sizeof good - 1;
        for (int k = 0; k < 1 + (int)rng_below(&r, 3); k++) {
            size_t at = rng_below(&r, n);
            switch (rng_below(&r, 3)) {
            case 0: buf[at] = (char)rng_below(&r, 256); break;
            case 1: buf[at] = "\t\n\r01 "[rng_below(&r, 6)]; break;
            case 2: n = at; break;
            }
            if (n == 0)
                break;
        }
        char *path = fixture_write(dir, "fuzz.tsv", buf, n);
        Corpus c;
        corpus_init(&c);
        corpus_add_text(&c, "kept", 4, 1, 0, SPLIT_TRAIN);
        if (corpus_load_tsv(&c, path, SPLIT_TRAIN) == 0) {
            loaded++;
            assert_true(c.ndocs > 1);
            for (size_t d = 1; d < c.ndocs; d++)
                assert_true(c.docs[d].label == 0 || c.docs[d].label == 1);
            assert_int_equal(c.docs[c.ndocs - 1].start + c.docs[c.ndocs - 1].len, c.ntokens);
        } else {
            refused++;
            assert_true(strlen(el_error()) > 10);
            assert_int_equal(c.ndocs, 1);
            assert_int_equal(c.ntokens, 1);
        }
        corpus_free(&c);
        free(path);
    }
    assert_true(loaded > 100 && refused > 100); /* both paths exercised */
    fixture_rmtree(dir);
    free(dir);
}

/* Every review empty: the corpus holds no tokens at all (tokens is NULL), and
 * shaping them must neither touch that pointer (UBSan: memcpy from NULL in
 * seq_shape) nor lose the reviews; they are counted so the CLI can say so. */
static void all_reviews_empty(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "empty.tsv", "1\t\n0\t...\n1\t<br />\n");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), 0);
    assert_int_equal(c.ndocs, 3);
    assert_int_equal(c.ntokens, 0);
    assert_null(c.tokens);
    assert_int_equal(corpus_count_empty(&c, SPLITS_ALL), 3);
    assert_int_equal(corpus_count_empty(&c, SPLIT_MASK(SPLIT_TEST)), 0);
    Vocab v;
    vocab_build(&v, &c, SPLIT_MASK(SPLIT_TRAIN));
    assert_int_equal(v.size, 0);
    SeqOptions so = {.cap = 10, .maxlen = 4, .pad = SIDE_PRE, .truncate = SIDE_PRE};
    Dataset d;
    dataset_build(&d, &c, &v, &so, SPLIT_TRAIN, NULL, 0);
    assert_int_equal(d.n, 3);
    for (int64_t i = 0; i < d.n * d.maxlen; i++)
        assert_int_equal(d.x[i], INDEX_PAD);
    assert_true(d.y[0] == 1 && d.y[1] == 0 && d.y[2] == 1);
    int32_t out[3] = {7, 7, 7};
    seq_shape(NULL, 0, 3, SIDE_POST, SIDE_POST, out);
    assert_true(out[0] == 0 && out[1] == 0 && out[2] == 0);
    dataset_free(&d);
    vocab_free(&v);
    corpus_free(&c);
    free(path);
    fixture_rmtree(dir);
    free(dir);
}

/* A UTF-8 BOM starts many files Windows tools write: it is skipped, not read
 * as part of the first label (which made the file fail) or the first word. */
static void byte_order_mark(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "bom.tsv",
                              "\xEF\xBB\xBF"
                              "1\tGood film\r\n0\tbad\r\n");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), 0);
    assert_int_equal(c.ndocs, 2);
    assert_int_equal(c.docs[0].label, 1);
    assert_string_equal(word(&c, 0, 1), "film");
    free(path);
    path = fixture_text(dir, "lines.txt", "\xEF\xBB\xBFhello world\n");
    assert_int_equal(corpus_load_lines(&c, path, SPLIT_TRAIN), 0);
    assert_string_equal(word(&c, 2, 0), "hello");
    free(path);
    corpus_free(&c);
    free(fixture_text(dir, "aclImdb/train/pos/1_9.txt", "\xEF\xBB\xBFgreat"));
    free(fixture_text(dir, "aclImdb/train/neg/1_1.txt", "bad"));
    char root[4096];
    snprintf(root, sizeof root, "%s/aclImdb", dir);
    corpus_init(&c);
    assert_int_equal(corpus_load_imdb(&c, root, SPLIT_MASK(SPLIT_TRAIN)), 0);
    assert_int_equal(c.ndocs, 2);
    assert_string_equal(word(&c, 1, 0), "great");
    assert_int_equal(dict_find(&c.dict, "great", 5), c.tokens[c.docs[1].start]);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

/* Old Mac files end lines with a lone CR: each is a line, not one long review. */
static void cr_line_ends(void **state) {
    (void)state;
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "mac.tsv", "1\tgood\r0\tbad\r\r1\tfine\r\n0\tdull\n1\tlast");
    Corpus c;
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), 0);
    assert_int_equal(c.ndocs, 5);
    const char *want[] = {"good", "bad", "fine", "dull", "last"};
    for (size_t d = 0; d < 5; d++) {
        assert_int_equal(c.docs[d].len, 1);
        assert_string_equal(word(&c, d, 0), want[d]);
        assert_int_equal(c.docs[d].label, d % 2 == 0);
    }
    free(path);
    corpus_free(&c);
    /* Line numbers in messages count lone CRs too. */
    path = fixture_text(dir, "mac.tsv", "1\tgood\r0\tbad\r\r2\tx\r");
    corpus_init(&c);
    assert_int_equal(corpus_load_tsv(&c, path, SPLIT_TRAIN), -1);
    assert_non_null(strstr(el_error(), "mac.tsv:4: label must be 0 or 1, got '2'"));
    free(path);
    corpus_free(&c);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(imdb_layout),       cmocka_unit_test(imdb_missing_folder), cmocka_unit_test(tsv),
        cmocka_unit_test(tsv_errors),        cmocka_unit_test(plain_lines),         cmocka_unit_test(tsv_fuzz),
        cmocka_unit_test(all_reviews_empty), cmocka_unit_test(byte_order_mark),     cmocka_unit_test(cr_line_ends),
    };
    return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
