/* tests/test_formats.c: word2vec text/binary files, analogies and word
 * similarity on hand-made vectors. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/common.h"
#include "core/rng.h"
#include "embed/evaluate.h"
#include "embed/w2v_format.h"

static void make_embedding(Embedding *e, int n, int dim, uint64_t seed) {
    emb_init(e, dim);
    Rng r;
    rng_seed(&r, seed);
    float *v = malloc(dim * sizeof *v);
    for (int i = 0; i < n; i++) {
        char w[32];
        for (int d = 0; d < dim; d++)
            v[d] = (rng_float(&r) - 0.5f) * powf(10, (float)rng_below(&r, 7) - 3);
        int len = snprintf(w, sizeof w, i % 3 ? "word%d" : "단어%d", i);
        assert_int_equal(emb_add(e, w, len, v, n - i), 0);
    }
    free(v);
    emb_finish(e);
}

static void assert_same(const Embedding *a, const Embedding *b) {
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->dim, b->dim);
    for (int32_t r = 0; r < a->n; r++)
        assert_string_equal(emb_word(a, r), emb_word(b, r));
    assert_memory_equal(a->vec, b->vec, (size_t)a->n * a->dim * sizeof(float));
}

/* A BOM, CRLF or lone-CR line ends in a text file; words with every kind of
 * printable byte survive export and import again, text and binary. */
static void odd_files(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    const char *texts[] = {"\xEF\xBB\xBF"
                           "2 2\nab 1 2\ncd 3 4\n",
                           "2 2\r\nab 1 2\r\ncd 3 4\r\n", "2 2\rab 1 2\rcd 3 4\r"};
    for (size_t i = 0; i < 3; i++) {
        char *p = fixture_text(dir, "odd.txt", texts[i]);
        Embedding e;
        if (w2v_read(p, 0, &e) != 0)
            fail_msg("file %zu: %s", i, el_error());
        assert_int_equal(e.n, 2);
        assert_string_equal(emb_word(&e, 0), "ab");
        assert_true(e.vec[3] == 4.0f);
        emb_free(&e);
        free(p);
    }
    Embedding e, back;
    emb_init(&e, 2);
    const char *words[] = {"plain",       "don't",       "\"quoted\"", "back\\slash",
                           "caf\xC3\xA9", "\xFF\xFEraw", "a,b;c",      "~!@#$%^&*()"};
    for (int i = 0; i < 8; i++) {
        float v[2] = {(float)i, -0.5f * i};
        assert_int_equal(emb_add(&e, words[i], strlen(words[i]), v, 0), 0);
    }
    /* A word of 10,000 letters: the words tokenizer keeps such a run, so a
     * trained vocabulary may hold it (the binary reader once stopped at 4096). */
    char long_word[10000];
    memset(long_word, 'a', sizeof long_word);
    float lv[2] = {8, -4};
    assert_int_equal(emb_add(&e, long_word, sizeof long_word, lv, 0), 0);
    emb_finish(&e);
    for (int binary = 0; binary <= 1; binary++) {
        snprintf(path, sizeof path, "%s/round.%s", dir, binary ? "bin" : "txt");
        assert_int_equal(w2v_write(path, binary, &e), 0);
        if (w2v_read(path, binary, &back) != 0)
            fail_msg("%s: %s", binary ? "binary" : "text", el_error());
        assert_same(&e, &back);
        emb_free(&back);
    }
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

static void round_trips(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    Embedding e, back;
    make_embedding(&e, 50, 7, 1);
    for (int binary = 0; binary <= 1; binary++) {
        snprintf(path, sizeof path, "%s/v.%s", dir, binary ? "bin" : "txt");
        assert_int_equal(w2v_write(path, binary, &e), 0);
        assert_int_equal(w2v_read(path, binary, &back), 0);
        assert_same(&e, &back); /* bit-exact, text included (%.9g) */
        emb_free(&back);
    }
    /* The text header and first line look like word2vec's. */
    size_t len;
    char *text = fixture_read(path[0] ? (snprintf(path, sizeof path, "%s/v.txt", dir), path) : path, &len);
    assert_true(strncmp(text, "50 7\n단어0 ", strlen("50 7\n단어0 ")) == 0);
    free(text);
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

static void expect_read_error(const char *dir, const char *content, size_t len, int binary, const char *msg) {
    char *path = fixture_write(dir, binary ? "bad.bin" : "bad.txt", content, len);
    Embedding e;
    if (w2v_read(path, binary, &e) == 0)
        fail_msg("accepted a bad file, expected '%s'", msg);
    if (!strstr(el_error(), msg))
        fail_msg("expected '%s' in '%s'", msg, el_error());
    free(path);
}

static void text_errors(void **state) {
    (void)state;
    char *dir = fixture_dir();
    struct {
        const char *content, *msg;
    } cases[] = {
        {"", "no header line"},
        {"hello world\n", "bad.txt:1: header must be 'WORDS DIMS'"},
        {"2 3 4\n", "header must be"},
        {"2 0\n", "header must be"},
        {"2 3\na 1 2 3\n", "header announces 2 words but the file has 1"},
        {"1 3\na 1 2\n", "bad.txt:2: 2 values, expected 3 (dimension mismatch)"},
        {"1 3\na 1 2 3 4\n", "bad.txt:2: more than 3 values"},
        {"1 3\na 1 x 3\n", "bad.txt:2: bad number 'x' in value 2"},
        {"1 3\na 1 nan 3\n", "bad number 'nan'"},
        {"2 2\na 1 2\na 3 4\n", "bad.txt:3: duplicate word 'a'"},
        {"1 2\na 1 2\nb 3 4\n", "bad.txt:3: more vectors than the 1"},
        {"1 2\n 1 2\n", "bad.txt:2: expected 'word v1 ... v2'"},
        {"2 2\na 1 2\nb\x1b[2J 3 4\n", "bad.txt:3: word 2 ('b\\x1B[2J') contains the control character 0x1B"},
        {"1 2\na\tb 1 2\n", "bad.txt:2: word 1 ('a\\x09b') contains the control character 0x09"},
        {"1 2\na 1 \xEF\xBB\xBF"
         "2\n",
         "bad.txt:2: bad number '\\xEF\\xBB\\xBF2' in value 2"},
        {"\xEF\xBB\xBF\xEF\xBB\xBF"
         "1 2\n",
         "bad.txt:1: header must be 'WORDS DIMS' with 1 <= DIMS <= 100000, got '\\xEF\\xBB\\xBF1 2'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_read_error(dir, cases[i].content, strlen(cases[i].content), 0, cases[i].msg);
    /* A NUL inside a word: export would cut the word there, and the file would
     * not import again (two words 'ab'). Refused, naming the line. */
    const char nul_text[] = "2 2\nab\0c 1 2\nab 3 4\n";
    expect_read_error(dir, nul_text, sizeof nul_text - 1, 0,
                      "bad.txt:2: word 1 ('ab\\x00c') contains the control character 0x00");
    fixture_rmtree(dir);
    free(dir);
}

static void binary_errors(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    Embedding e;
    make_embedding(&e, 3, 4, 2);
    snprintf(path, sizeof path, "%s/good.bin", dir);
    assert_int_equal(w2v_write(path, 1, &e), 0);
    size_t len;
    char *good = fixture_read(path, &len);
    /* Every truncation point is an error naming a byte offset. */
    for (size_t cut = 0; cut < len - 1; cut++) {
        char *p = fixture_write(dir, "cut.bin", good, cut);
        Embedding back;
        if (w2v_read(p, 1, &back) == 0)
            fail_msg("accepted a file cut at byte %zu", cut);
        if (cut > 5 && !strstr(el_error(), "byte"))
            fail_msg("cut %zu: no byte offset in '%s'", cut, el_error());
        free(p);
    }
    /* A NaN value. */
    char *bad = malloc(len);
    memcpy(bad, good, len);
    size_t first = strlen("3 4\n") + strlen(emb_word(&e, 0)) + 1;
    const float nan_value = NAN;
    memcpy(bad + first + 4, &nan_value, 4);
    expect_read_error(dir, bad, len, 1, "value 2 of '단어0' is not a finite number");
    /* Trailing garbage, a duplicate word. */
    memcpy(bad, good, len);
    char *more = malloc(len + 8);
    memcpy(more, good, len);
    memcpy(more + len, "garbage", 7);
    expect_read_error(dir, more, len + 7, 1, "data after the 3 words");
    const char dup[] = "2 1\na \0\0\0\0\na \0\0\0\0\n";
    expect_read_error(dir, dup, sizeof dup - 1, 1, "bad.bin: byte 11: duplicate word 'a'");
    const char nul_word[] = "2 1\nab\0c \0\0\0\0\nab \0\0\0\0\n";
    expect_read_error(dir, nul_word, sizeof nul_word - 1, 1,
                      "bad.bin: byte 4: word 1 ('ab\\x00c') contains the control character 0x00");
    free(more);
    free(bad);
    free(good);
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

/* Random corruptions of valid files: never a crash, and either a clean read
 * with the announced word count or an error message. */
static void fuzz_readers(void **state) {
    (void)state;
    char *dir = fixture_dir(), path[4096];
    Embedding e;
    make_embedding(&e, 20, 5, 3);
    Rng r;
    rng_seed(&r, 99);
    for (int binary = 0; binary <= 1; binary++) {
        snprintf(path, sizeof path, "%s/seed.%d", dir, binary);
        assert_int_equal(w2v_write(path, binary, &e), 0);
        size_t len;
        char *good = fixture_read(path, &len);
        char *buf = malloc(len + 64);
        for (int iter = 0; iter < 1500; iter++) {
            memcpy(buf, good, len);
            size_t n = len;
            int edits = 1 + (int)rng_below(&r, 4);
            for (int k = 0; k < edits; k++) {
                size_t at = rng_below(&r, n);
                switch (rng_below(&r, 3)) {
                case 0: buf[at] = (char)rng_below(&r, 256); break;
                case 1: n = at; break;                                /* truncate */
                case 2: buf[at] = " \n0-.e"[rng_below(&r, 6)]; break; /* plausible bytes */
                }
                if (n == 0)
                    break;
            }
            char *p = fixture_write(dir, "fuzz", buf, n);
            Embedding back;
            el_clear_error();
            if (w2v_read(p, binary, &back) == 0) {
                assert_true(back.n > 0);
                for (size_t i = 0; i < (size_t)back.n * back.dim; i++)
                    assert_true(isfinite(back.vec[i]));
                emb_free(&back);
            } else {
                assert_true(strlen(el_error()) > 10);
            }
            free(p);
        }
        free(buf);
        free(good);
    }
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

static void add(Embedding *e, const char *w, float x, float y, float z) {
    float v[3] = {x, y, z};
    assert_int_equal(emb_add(e, w, strlen(w), v, 1), 0);
}

static void analogies(void **state) {
    (void)state;
    Embedding e;
    emb_init(&e, 3);
    /* king - man + woman = queen exactly; "royal" is near king but wrong. */
    add(&e, "man", 1, 0, 0);
    add(&e, "woman", 1, 0, 1);
    add(&e, "king", 1, 1, 0);
    add(&e, "queen", 1, 1, 1);
    add(&e, "royal", 0.9f, 1, 0.1f);
    add(&e, "boy", 2, 0.1f, 0);
    add(&e, "girl", 2, 0.1f, 2);
    emb_finish(&e);
    Scored best[2];
    assert_int_equal(emb_analogy(&e, emb_row(&e, "man"), emb_row(&e, "king"), emb_row(&e, "woman"), 1, 0, best), 1);
    assert_string_equal(emb_word(&e, best[0].index), "queen");
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "q.txt",
                              ": family\nMan King Woman Queen\nman woman king queen\nboy girl man woman\n"
                              ": gram-plural\nman king unknown queen\nboy girl king queen\n");
    AnalogyReport rep;
    assert_int_equal(eval_analogies(&e, path, 0, &rep), 0);
    assert_int_equal(rep.total, 5);
    assert_int_equal(rep.nsections, 2);
    assert_int_equal(rep.sections[0].asked, 3);
    assert_int_equal(rep.sections[1].asked, 1); /* the question with an unknown word is not asked */
    assert_int_equal(rep.sections[1].syntactic, 1);
    /* Semantic: man:king::woman:queen right; man:woman::king:queen right;
     * boy:girl::man:? -> woman (1,0,1)? unit(girl)-unit(boy)+unit(man) points to woman. */
    assert_int_equal(rep.correct[0], 3);
    assert_int_equal(rep.asked[1], 1);
    analogy_report_free(&rep);
    /* --restrict 4 drops questions with words ranked 5th or later (royal, boy, girl). */
    assert_int_equal(eval_analogies(&e, path, 4, &rep), 0);
    assert_int_equal(rep.asked[0] + rep.asked[1], 2);
    analogy_report_free(&rep);
    char *bad = fixture_text(dir, "bad.txt", ": s\na b c\n");
    assert_int_equal(eval_analogies(&e, bad, 0, &rep), -1);
    assert_non_null(strstr(el_error(), "bad.txt:2: expected four words"));
    free(bad);
    free(path);
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

static void similarity_pairs(void **state) {
    (void)state;
    /* Spearman: perfect, reversed, with ties (hand-computed: 0.5 for the last). */
    double x[] = {1, 2, 3, 4}, y[] = {10, 20, 30, 40}, r[] = {4, 3, 2, 1};
    assert_float_equal(spearman(x, y, 4), 1.0, 1e-12);
    assert_float_equal(spearman(x, r, 4), -1.0, 1e-12);
    double a[] = {1, 2, 3}, b[] = {1, 1, 2};
    /* ranks a: 1 2 3; b: 1.5 1.5 3 -> rho = 0.866025... */
    assert_float_equal(spearman(a, b, 3), sqrt(3) / 2, 1e-12);
    Embedding e;
    emb_init(&e, 2);
    add(&e, "a", 1, 0, 0);
    add(&e, "b", 1, 0.1f, 0);
    add(&e, "c", 0, 1, 0);
    emb_finish(&e);
    char *dir = fixture_dir();
    char *path = fixture_text(dir, "pairs.tsv", "# word1 word2 score\nA\tb\t9.0\na c 1.5\nb\tc 2\nzz a 5\n");
    PairsReport rep;
    assert_int_equal(eval_pairs(&e, path, &rep), 0);
    assert_int_equal(rep.total, 4);
    assert_int_equal(rep.used, 3);
    /* cos(a,b) > cos(b,c) > cos(a,c) and scores 9 > 2 > 1.5: rho = 1. */
    assert_float_equal(rep.spearman, 1.0, 1e-12);
    char *bad = fixture_text(dir, "bad.tsv", "a b\n");
    assert_int_equal(eval_pairs(&e, bad, &rep), -1);
    assert_non_null(strstr(el_error(), "bad.tsv:1: expected 'word1 word2 score'"));
    free(bad);
    free(path);
    emb_free(&e);
    fixture_rmtree(dir);
    free(dir);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trips),      cmocka_unit_test(odd_files),    cmocka_unit_test(text_errors),
        cmocka_unit_test(binary_errors),    cmocka_unit_test(fuzz_readers), cmocka_unit_test(analogies),
        cmocka_unit_test(similarity_pairs),
    };
    return cmocka_run_group_tests_name("formats", tests, NULL, NULL);
}
