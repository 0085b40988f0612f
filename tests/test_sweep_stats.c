/* tests/test_sweep_stats.c: the natural_order collation is a total order. */
#include "tests/fixtures.h"

#include "experiments/report/sweep_stats.h"

static int cmp(const char *a, const char *b) { return natural_compare(a, strlen(a), b, strlen(b)); }

static int sign(int x) { return (x > 0) - (x < 0); }

static void reads_numbers(void **state) {
    (void)state;
    assert_true(cmp("units=4", "units=16") < 0);
    assert_true(cmp("units=16", "units=4") > 0);
    assert_true(cmp("units=8 lr=1e-3", "units=8 lr=1e-4") > 0);
    assert_true(cmp("lr=1e-4", "lr=0.001") < 0);
    assert_true(cmp("lr=0.5", "lr=0.25") > 0);
    assert_true(cmp("units=9", "units=10") < 0);
    assert_int_equal(cmp("units=8", "units=8"), 0);
    /* Equal as numbers, different as strings: never equal, the bytes decide. */
    assert_true(cmp("units=08", "units=8") < 0);
    assert_true(cmp("x=1000", "x=1e3") < 0);
    /* Digit runs far beyond 64 bits, and past any fixed buffer. */
    assert_true(cmp("n=99999999999999999999999", "n=100000000000000000000000") < 0);
}

/* Every pair is antisymmetric, 0 only for identical strings, and every
 * triple transitive, over strings made to trip a natural sort: leading zeros,
 * numbers equal as doubles, decimals and exponents cut short, digits next to
 * letters and punctuation, and a long tail beyond a 256-byte buffer. */
static void total_order(void **state) {
    (void)state;
    static const char *base[] = {"",
                                 "0",
                                 "00",
                                 "000",
                                 "1",
                                 "01",
                                 "001",
                                 "1.0",
                                 "1.",
                                 "1e",
                                 "1e3",
                                 "1000",
                                 "1e+3",
                                 "1e-3",
                                 "0.001",
                                 ".5",
                                 "0.5",
                                 "5",
                                 "a",
                                 "a0",
                                 "a00",
                                 "a1",
                                 "a01",
                                 "a1b",
                                 "a01b",
                                 "a1a",
                                 "a10",
                                 "a9",
                                 "a9.9",
                                 "a9.90",
                                 "9/10",
                                 "9-10",
                                 "9 10",
                                 "-1",
                                 "+1",
                                 "1-",
                                 "x=4",
                                 "x=16",
                                 "x=04",
                                 "x=4.0",
                                 "x=4e0",
                                 "x=0x10",
                                 "x=inf",
                                 "x=nan",
                                 "1.5e",
                                 "1.5e+",
                                 "1.5e+1",
                                 "15",
                                 "15.0",
                                 "0.15e2",
                                 "~",
                                 "\x7f",
                                 "\xc3\xa9",
                                 "9e999",
                                 "1e999",
                                 "18446744073709551616",
                                 "18446744073709551617",
                                 "18446744073709551615",
                                 "000000000000000000000000000001",
                                 "99999999999999999999999999999999999",
                                 "12345678901234567890123456789012345678901234567890a",
                                 "12345678901234567890123456789012345678901234567890b"};
    enum { NB = sizeof base / sizeof *base };
    /* Two strings that differ only after byte 300. */
    char *s[NB + 2];
    for (int i = 0; i < NB; i++)
        s[i] = strdup(base[i]);
    s[NB] = malloc(320), s[NB + 1] = malloc(320);
    memset(s[NB], 'a', 319), memset(s[NB + 1], 'a', 319);
    s[NB][319] = s[NB + 1][319] = 0;
    s[NB][310] = 'b';
    int n = NB + 2;
    int c[NB + 2][NB + 2];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            c[i][j] = sign(cmp(s[i], s[j]));
            if (strcmp(s[i], s[j]) == 0)
                assert_int_equal(c[i][j], 0);
            else if (c[i][j] == 0)
                fail_msg("'%s' and '%s' differ but compare equal", s[i], s[j]);
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (c[i][j] != -c[j][i])
                fail_msg("not antisymmetric: '%s' vs '%s'", s[i], s[j]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            for (int k = 0; k < n; k++)
                if (c[i][j] < 0 && c[j][k] < 0 && c[i][k] >= 0)
                    fail_msg("not transitive: '%s' < '%s' < '%s' but not '%s' < '%s'", s[i], s[j], s[k], s[i], s[k]);
    for (int i = 0; i < n; i++)
        free(s[i]);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(reads_numbers), cmocka_unit_test(total_order)};
    return cmocka_run_group_tests_name("sweep_stats", tests, NULL, NULL);
}
