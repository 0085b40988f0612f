/* tests/test_text.c: the tokenizer against the text spec of DESIGN.md. */
#include "tests/fixtures.h"

#include "core/rng.h"
#include "embed/text.h"

static char *tok(const char *in) {
    static char out[4096];
    size_t n = strlen(in);
    assert_true(n < sizeof out);
    size_t len = text_tokens(in, n, out);
    assert_int_equal(len, strlen(out));
    return out;
}

static void design_example(void **state) {
    (void)state;
    assert_string_equal(tok("I<br />didn't LIKE it... 10/10 '재밌다'"), "i didn't like it 10 10 재밌다");
}

static void line_breaks(void **state) {
    (void)state;
    assert_string_equal(tok("a<br />b"), "a b");
    assert_string_equal(tok("a<br/>b"), "a b");
    assert_string_equal(tok("a<br>b"), "a b");
    assert_string_equal(tok("a<BR />b<Br/>c<bR>d"), "a b c d");
    assert_string_equal(tok("<br /><br />start"), "start");
    assert_string_equal(tok("end<br />"), "end");
    /* Not line breaks: the letters inside become tokens. */
    assert_string_equal(tok("a<b>c"), "a b c");
    assert_string_equal(tok("a<brx>c"), "a brx c");
    assert_string_equal(tok("a<br  />c"), "a br c");
    assert_string_equal(tok("a<br"), "a br");
}

static void apostrophes(void **state) {
    (void)state;
    assert_string_equal(tok("'tis"), "tis");
    assert_string_equal(tok("rock'n'roll"), "rock'n'roll");
    assert_string_equal(tok("''"), "");
    assert_string_equal(tok("a '' b"), "a b");
    assert_string_equal(tok("''quoted''"), "quoted");
    assert_string_equal(tok("don't 'em' dogs'"), "don't em dogs");
    assert_string_equal(tok("'''x'y'''"), "x'y");
}

static void digits_and_case(void **state) {
    (void)state;
    assert_string_equal(tok("Top-10 of 2009, 3.5/5"), "top 10 of 2009 3 5 5");
    assert_string_equal(tok("ABC xYz"), "abc xyz");
    assert_string_equal(tok("  \t\n  "), "");
    assert_string_equal(tok("a_b-c"), "a b c");
}

static void multibyte(void **state) {
    (void)state;
    assert_string_equal(tok("영화가 정말 재밌다!"), "영화가 정말 재밌다");
    assert_string_equal(tok("Café naïve"), "café naïve");
    /* Non-ASCII bytes are never lowercased: É stays É. */
    assert_string_equal(tok("ÉCOLE"), "École");
    assert_string_equal(tok("日本語のテキスト。次"), "日本語のテキスト。次");
}

static void invalid_utf8(void **state) {
    (void)state;
    /* Stray continuation bytes and truncated sequences are kept as token bytes,
     * deterministically, with no crash. */
    const char in[] = "ab\xff\xfe cd\xc3 \x80\x80";
    char out[64];
    size_t n = text_tokens(in, sizeof in - 1, out);
    assert_int_equal(n, 11);
    assert_memory_equal(out, "ab\xff\xfe cd\xc3 \x80\x80", 11);
    /* A NUL byte separates tokens. */
    const char with_nul[] = {'a', 0, 'b'};
    n = text_tokens(with_nul, 3, out);
    assert_string_equal(out, "a b");
}

static void empty(void **state) {
    (void)state;
    char out[1];
    assert_int_equal(text_tokens("", 0, out), 0);
    assert_int_equal(out[0], 0);
}

static void ten_megabyte_line(void **state) {
    (void)state;
    size_t n = 10 << 20;
    char *in = malloc(n), *out = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        in[i] = "Good film! "[i % 11];
    size_t len = text_tokens(in, n, out);
    /* n / 11 copies of "good film", joined by spaces; the remainder
     * (10485760 % 11 = 10 bytes, "Good film!") adds one more. */
    size_t copies = n / 11 + 1;
    assert_int_equal(len, copies * 10 - 1);
    assert_memory_equal(out, "good film good film", 19);
    /* One 10 MB token. */
    memset(in, 'x', n);
    assert_int_equal(text_tokens(in, n, out), n);
    free(in);
    free(out);
}

/* Random bytes: the output never exceeds the input, is NUL-terminated, holds
 * no separators but single spaces, and tokenizing it again changes nothing. */
static void fuzz(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 7);
    static const char alphabet[] = "aZ9' <br/>\t\n.,\x80\xc3\xbf\xff";
    char in[512], out[513], again[514];
    for (int iter = 0; iter < 20000; iter++) {
        size_t n = rng_below(&r, sizeof in);
        for (size_t i = 0; i < n; i++)
            in[i] = (iter & 1) ? (char)rng_below(&r, 256) : alphabet[rng_below(&r, sizeof alphabet - 1)];
        size_t len = text_tokens(in, n, out);
        assert_true(len <= n);
        assert_int_equal(out[len], 0);
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)out[i];
            assert_true(c == ' ' || c == '\'' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80);
            if (c == ' ')
                assert_true(i > 0 && i + 1 < len && out[i + 1] != ' ' && out[i - 1] != '\'');
        }
        if (len)
            assert_true(out[0] != '\'' && out[len - 1] != '\'');
        size_t len2 = text_tokens(out, len, again);
        assert_int_equal(len2, len);
        assert_memory_equal(again, out, len);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(design_example),  cmocka_unit_test(line_breaks),       cmocka_unit_test(apostrophes),
        cmocka_unit_test(digits_and_case), cmocka_unit_test(multibyte),         cmocka_unit_test(invalid_utf8),
        cmocka_unit_test(empty),           cmocka_unit_test(ten_megabyte_line), cmocka_unit_test(fuzz),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
