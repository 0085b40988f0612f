/* tests/test_blas.c: core/blas.h's mm() against plain double loops, for
 * every path it takes (its own AVX-512 kernel when built for it, OpenBLAS,
 * the tiny loops): both transpositions, rows and columns that are not whole
 * blocks (8 rows, 48 columns), sums longer than a block of 256 steps,
 * leading dimensions wider than the matrices, alpha and beta, and beta 0
 * over a C that holds NaN (it must not be read). */
#include "tests/fixtures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/rng.h"

/* C (m x n, ldc) as mm() should leave it, in double. */
static void reference(int ta, int tb, int m, int n, int k, double alpha, const real *a, int lda, const real *b, int ldb,
                      double beta, const real *c0, int ldc, double *want) {
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++)
                s += (double)(ta ? a[(long)p * lda + i] : a[(long)i * lda + p]) *
                     (tb ? b[(long)j * ldb + p] : b[(long)p * ldb + j]);
            double old = beta != 0 ? beta * c0[(long)i * ldc + j] : 0;
            want[(long)i * n + j] = alpha * s + old;
        }
}

static void check(int ta, int tb, int m, int n, int k, real alpha, real beta, Rng *r) {
    int pad = 3, lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
    long arows = ta ? k : m, brows = tb ? n : k;
    real *a = malloc(sizeof(real) * (arows * lda + 1)), *b = malloc(sizeof(real) * (brows * ldb + 1));
    real *c = malloc(sizeof(real) * ((long)m * ldc + 1)), *c0 = malloc(sizeof(real) * ((long)m * ldc + 1));
    double *want = malloc(sizeof(double) * ((long)m * n + 1));
    for (long i = 0; i < arows * lda; i++)
        a[i] = rng_float(r) - 0.5f;
    for (long i = 0; i < brows * ldb; i++)
        b[i] = rng_float(r) - 0.5f;
    for (long i = 0; i < (long)m * ldc; i++)
        c0[i] = beta == 0 ? NAN : rng_float(r) - 0.5f;
    for (long i = 0; i < (long)m * ldc; i++)
        c[i] = c0[i];
    reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc, want);
    mm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
            double got = c[(long)i * ldc + j], w = want[(long)i * n + j];
            if (!(fabs(got - w) <= 1e-5 * (1 + sqrt((double)k)))) /* float rounding; one term more or less is ~1e-2 */
                fail_msg("ta %d tb %d, %d x %d x %d, alpha %g beta %g: C[%d][%d] = %g, not %g", ta, tb, m, n, k,
                         (double)alpha, (double)beta, i, j, got, w);
        }
        for (int j = n; j < ldc; j++) /* the padding past n is not written */
            if (!(c[(long)i * ldc + j] == c0[(long)i * ldc + j] || (isnan(c[(long)i * ldc + j]) && beta == 0)))
                fail_msg("ta %d tb %d, %d x %d x %d: C[%d][%d] past n was written", ta, tb, m, n, k, i, j);
    }
    free(a), free(b), free(c), free(c0), free(want);
}

static void products_match_loops(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 11);
    const int ms[] = {1, 7, 8, 16, 17}, ns[] = {1, 8, 16, 33, 48, 50, 97, 192}, ks[] = {1, 5, 64, 257, 600};
    const real betas[] = {0, 1, 0.5f};
    for (int ta = 0; ta < 2; ta++)
        for (int tb = 0; tb < 2; tb++)
            for (size_t mi = 0; mi < sizeof ms / sizeof *ms; mi++)
                for (size_t ni = 0; ni < sizeof ns / sizeof *ns; ni++)
                    for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++)
                        check(ta, tb, ms[mi], ns[ni], ks[ki], ki % 2 ? 1 : 0.75f, betas[(mi + ni + ki) % 3], &r);
    /* The networks' shapes: a step of 16 sequences, all steps at once, weight gradients. */
    check(0, 0, 16, 192, 64, 1, 1, &r);
    check(0, 0, 1600, 192, 64, 1, 1, &r);
    check(1, 0, 64, 192, 1600, 1, 1, &r);
    check(0, 1, 1600, 64, 192, 1, 0, &r);
}

/* k 0: C = beta C (alpha times an empty sum). */
static void empty_sum_scales(void **state) {
    (void)state;
    real c[6] = {1, 2, 3, 4, 5, 6}, a[1] = {0}, b[1] = {0};
    mm(0, 0, 2, 3, 0, 1, a, 1, b, 3, 0.5f, c, 3);
    for (int i = 0; i < 6; i++)
        assert_float_equal(c[i], 0.5 * (i + 1), 1e-7);
}

/* transpose() against the definition, on shapes across its tile edges and
 * with leading dimensions wider than the rows. */
static void transposes_match_definition(void **state) {
    (void)state;
    const int shapes[][2] = {{1, 1}, {3, 40}, {16, 16}, {17, 33}, {128, 512}, {50, 7}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int rows = shapes[s][0], cols = shapes[s][1], lda = cols + 3, ldt = rows + 5;
        real *a = malloc(sizeof(real) * rows * lda), *t = malloc(sizeof(real) * cols * ldt);
        for (int i = 0; i < rows * lda; i++)
            a[i] = (real)i;
        for (int i = 0; i < cols * ldt; i++)
            t[i] = -1;
        transpose(rows, cols, a, lda, t, ldt);
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < ldt; i++)
                assert_true(t[j * ldt + i] == (i < rows ? a[i * lda + j] : -1)); /* padding untouched */
        free(a), free(t);
    }
}

/* mm_bias() gives the bits of the bias copied into every row and mm() with
 * beta 1 (what it replaces), C's old contents (NaN) unread: one block and
 * several of k (sums past 256 steps add onto the first block's C), rows and
 * columns that are not whole blocks, wider leading dimensions. */
static void bias_rows_match_copy_then_product(void **state) {
    (void)state;
    const int shapes[][3] = {{1, 1, 1}, {16, 512, 128}, {9, 50, 7}, {33, 100, 300}, {5, 17, 0}};
    Rng r;
    rng_seed(&r, 5);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2], lda = k + 2, ldb = n + 1, ldc = n + 3;
        real *a = malloc(sizeof(real) * ((long)m * lda + 1)), *b = malloc(sizeof(real) * ((long)k * ldb + 1));
        real *bias = malloc(sizeof(real) * n), *got = malloc(sizeof(real) * m * ldc),
             *want = malloc(sizeof(real) * m * ldc);
        for (long i = 0; i < (long)m * lda; i++)
            a[i] = rng_float(&r) - 0.5f;
        for (long i = 0; i < (long)k * ldb; i++)
            b[i] = rng_float(&r) - 0.5f;
        for (int j = 0; j < n; j++)
            bias[j] = rng_float(&r) - 0.5f;
        for (int i = 0; i < m * ldc; i++)
            got[i] = want[i] = (i % ldc) < n ? NAN : -7;
        for (int i = 0; i < m; i++)
            memcpy(want + (long)i * ldc, bias, sizeof(real) * n);
        mm(0, 0, m, n, k, 1, a, lda, b, ldb, 1, want, ldc);
        mm_bias(m, n, k, a, lda, b, ldb, bias, got, ldc);
        assert_memory_equal(got, want, sizeof(real) * m * ldc); /* the padding past n untouched too */
        free(a), free(b), free(bias), free(got), free(want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(products_match_loops),
        cmocka_unit_test(empty_sum_scales),
        cmocka_unit_test(transposes_match_definition),
        cmocka_unit_test(bias_rows_match_copy_then_product),
    };
    return cmocka_run_group_tests_name("blas", tests, NULL, NULL);
}
