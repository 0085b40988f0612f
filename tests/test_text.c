/* tests/test_text.c: the tokenizer against the `words` text spec (ARCHITECTURE.md). */
#include "tests/fixtures.h"

#include "core/rng.h"
#include "embed/text/text.h"
#include "embed/text/textio.h"

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

/* What error messages show of input: nothing invisible, nothing raw that a
 * terminal would act on, visible UTF-8 as it is. */
static void quoting(void **state) {
    (void)state;
    char buf[64];
    assert_string_equal(textio_quote("label", 5, buf, sizeof buf), "label");
    assert_string_equal(textio_quote("\xEF\xBB\xBF"
                                     "1",
                                     4, buf, sizeof buf),
                        "\\xEF\\xBB\\xBF1");
    assert_string_equal(textio_quote("a\0b\t\x1b[2J", 8, buf, sizeof buf), "a\\x00b\\x09\\x1B[2J");
    assert_string_equal(textio_quote("caf\xC3\xA9 \xEC\x98\x81", 9, buf, sizeof buf), "caf\xC3\xA9 \xEC\x98\x81");
    assert_string_equal(textio_quote("\xC3(\xFF\xC0\xAF\xED\xA0\x80", 8, buf, sizeof buf),
                        "\\xC3(\\xFF\\xC0\\xAF\\xED\\xA0\\x80"); /* cut, invalid, overlong, surrogate */
    assert_string_equal(textio_quote("a\\b", 3, buf, sizeof buf), "a\\\\b");
    assert_string_equal(textio_quote("\xE2\x80\x8B\xC2\x85", 5, buf, sizeof buf), "\\xE2\\x80\\x8B\\xC2\\x85");
    /* Long input is cut with "..." and never overflows, at any buffer size. */
    char big[300];
    memset(big, 0, sizeof big);
    for (size_t size = 8; size < 80; size++) {
        char small[80];
        memset(small, 'Z', sizeof small);
        textio_quote(big, sizeof big, small, size);
        assert_true(strlen(small) < size);
        assert_non_null(strstr(small, "..."));
        assert_int_equal(small[size - 1 < 79 ? size : 79], size < 79 ? 'Z' : small[79]);
    }
}

static void line_ends(void **state) {
    (void)state;
    const char text[] = "a\nbb\r\nccc\rdddd\r\r\nlast";
    const char *p = text, *end = text + strlen(text);
    const char *want[] = {"a", "bb", "ccc", "dddd", "", "last"};
    size_t k = 0;
    while (p < end) {
        size_t n;
        const char *next = textio_line(p, end, &n);
        assert_true(k < 6);
        assert_int_equal(n, strlen(want[k]));
        assert_memory_equal(p, want[k], n);
        p = next, k++;
    }
    assert_int_equal(k, 6);
    assert_int_equal(textio_skip_bom("\xEF\xBB\xBFx", 4), 3);
    assert_int_equal(textio_skip_bom("\xEF\xBB", 2), 0);
    assert_int_equal(textio_skip_bom("x\xEF\xBB\xBF", 4), 0);
    assert_int_equal(textio_control("word", 4), -1);
    assert_int_equal(textio_control("wo\0rd", 5), 2);
    assert_int_equal(textio_control("w\x7f", 2), 1);
    assert_int_equal(textio_control("caf\xC3\xA9", 5), -1);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(design_example),  cmocka_unit_test(line_breaks),       cmocka_unit_test(apostrophes),
        cmocka_unit_test(digits_and_case), cmocka_unit_test(multibyte),         cmocka_unit_test(invalid_utf8),
        cmocka_unit_test(empty),           cmocka_unit_test(ten_megabyte_line), cmocka_unit_test(fuzz),
        cmocka_unit_test(quoting),         cmocka_unit_test(line_ends),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
