/* tests/test_tok_norm.c: tok_normalize (embed/text/tok_norm.c) stays linear
 * in a run of combining marks (issue 18, item 4: utf8proc orders a run by
 * swapping neighbours, so e and 20,000 pairs U+0301 U+0327 took seconds and
 * 1 MB minutes), and gives utf8proc's own NFKC for runs of ordinary length. */
#include "tests/fixtures.h"

#include <time.h>

#include <utf8proc.h>

#include "embed/text/tok_norm.h"

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec * 1e-9;
}

/* "e" and `count` combining marks (2 bytes each), NUL-terminated: acute,
 * cedilla, grave below, grave, ogonek, acute below and again, so that
 * canonical order (by class: 202, 220, 230) puts no mark next to itself
 * (tok_normalize would cut a long repeat of one, step 3). */
static char *marks(size_t count, size_t *n) {
    static const char *const cycle[] = {"\xcc\x81", "\xcc\xa7", "\xcc\x96", "\xcc\x80", "\xcc\xa8", "\xcc\x97"};
    char *s = malloc(1 + 2 * count + 1);
    assert_non_null(s);
    s[0] = 'e';
    for (size_t i = 0; i < count; i++)
        memcpy(s + 1 + 2 * i, cycle[i % 6], 2);
    *n = 1 + 2 * count;
    s[*n] = 0;
    return s;
}

/* 1 MB of marks on one letter in well under the minutes the quadratic
 * ordering took; the bound is loose so that a loaded machine passes. Every
 * mark stays: the run is ordered in parts, not cut. */
static void long_run_is_linear(void **state) {
    (void)state;
    size_t count = 500000, n;
    char *s = marks(count, &n);
    TokenBuf b;
    memset(&b, 0, sizeof b);
    double t0 = seconds();
    tok_normalize(s, n, &b);
    double dt = seconds() - t0;
    assert_true(dt < 2.0);
    /* The e and the marks, less the few that compose with the e. */
    assert_true(b.cps_len <= 1 + count && b.cps_len + 4 >= 1 + count);
    free(b.cps);
    free(b.bytes);
    free(s);
}

/* The issue's own input, e and U+0301 U+0327 repeated, at 1 MB (250,000
 * pairs): 80 KB took 3.2 s before. (Ordered in parts of 30 marks, each
 * part's 15 cedillas and 15 acutes are cut to 3 each by step 3, where the
 * whole run ordered at once was cut to 3 and 3: a text with runs past 30
 * is the one whose output may differ.) */
static void issue_pairs_are_linear(void **state) {
    (void)state;
    size_t pairs = 250000, n = 1 + 4 * pairs;
    char *s = malloc(n + 1);
    assert_non_null(s);
    s[0] = 'e';
    for (size_t i = 0; i < pairs; i++)
        memcpy(s + 1 + 4 * i, "\xcc\x81\xcc\xa7", 4);
    s[n] = 0;
    TokenBuf b;
    memset(&b, 0, sizeof b);
    double t0 = seconds();
    tok_normalize(s, n, &b);
    assert_true(seconds() - t0 < 2.0);
    assert_true(b.cps_len > 0 && b.cps_len <= 1 + 2 * pairs);
    free(b.cps);
    free(b.bytes);
    free(s);
}

/* Up to TOK_STREAM_SAFE marks in a row: exactly utf8proc's
 * NFKC with case folding, as before runs were cut. */
static void short_runs_unchanged(void **state) {
    (void)state;
    for (size_t count = 0; count <= TOK_STREAM_SAFE; count++) {
        size_t n;
        char *s = marks(count, &n);
        utf8proc_uint8_t *want = NULL;
        utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &want,
                     UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STABLE);
        assert_non_null(want);
        size_t len;
        char *got = tok_query_word(TOK_QUERY_UNICODE, s, n, &len);
        assert_string_equal(got, (const char *)want);
        free(got);
        free(want);
        free(s);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(long_run_is_linear),
        cmocka_unit_test(issue_pairs_are_linear),
        cmocka_unit_test(short_runs_unchanged),
    };
    return cmocka_run_group_tests_name("tok_norm", tests, NULL, NULL);
}
