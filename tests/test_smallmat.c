/* tests/test_smallmat.c: core/smallmat.h's products against plain double
 * loops, for every size word2vec meets: row lengths with and without a
 * partial last chunk of 16, fewer and more rows than the blocks of 4 dot
 * products and 8 destination rows, rows that repeat. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/rng.h"
#include "core/smallmat.h"

enum { MAXR = 21, MAXD = 140 };

static float rows[2 * MAXR][MAXD];

static void fill(Rng *r) {
    for (int i = 0; i < 2 * MAXR; i++)
        for (int d = 0; d < MAXD; d++)
            rows[i][d] = rng_float(r) - 0.5f;
}

static void dots_match_loops(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 7);
    fill(&r);
    const int dims[] = {1, 15, 16, 17, 100, 128, 133};
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++)
        for (int nx = 1; nx <= 3; nx++)
            for (int ny = 1; ny <= 11; ny++) {
                int dim = dims[di];
                const float *x[MAXR], *y[MAXR];
                for (int i = 0; i < nx; i++)
                    x[i] = rows[i];
                for (int k = 0; k < ny; k++)
                    y[k] = rows[MAXR + k];
                float f[MAXR * MAXR];
                rows_dots(x, nx, y, ny, dim, f);
                for (int i = 0; i < nx; i++)
                    for (int k = 0; k < ny; k++) {
                        double want = 0;
                        for (int d = 0; d < dim; d++)
                            want += (double)x[i][d] * y[k][d];
                        if (fabs(f[i * ny + k] - want) > 1e-5)
                            fail_msg("dim %d, %d x %d: dot (%d, %d) is %g, not %g", dim, nx, ny, i, k, f[i * ny + k],
                                     want);
                    }
            }
}

/* dst rows (some listed twice) += G src, G read through both stride orders. */
static void combination_matches_loops(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 8);
    const int dims[] = {3, 16, 100, 133};
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++)
        for (int ndst = 1; ndst <= 19; ndst += 3)
            for (int nsrc = 1; nsrc <= 7; nsrc += 2)
                for (int trans = 0; trans < 2; trans++) {
                    int dim = dims[di];
                    fill(&r);
                    float g[MAXR * MAXR];
                    for (int i = 0; i < MAXR * MAXR; i++)
                        g[i] = rng_float(&r) - 0.5f;
                    int gi = trans ? 1 : nsrc, gk = trans ? ndst : 1;
                    /* dst i is row i % 5: rows repeat once ndst > 5. */
                    float *dst[MAXR];
                    const float *src[MAXR];
                    double want[5][MAXD];
                    for (int i = 0; i < 5; i++)
                        for (int d = 0; d < dim; d++)
                            want[i][d] = rows[i][d];
                    for (int i = 0; i < ndst; i++)
                        dst[i] = rows[i % 5];
                    for (int k = 0; k < nsrc; k++)
                        src[k] = rows[MAXR + k];
                    for (int i = 0; i < ndst; i++)
                        for (int k = 0; k < nsrc; k++)
                            for (int d = 0; d < dim; d++)
                                want[i % 5][d] += (double)g[i * gi + k * gk] * src[k][d];
                    float after_pad[5];
                    for (int i = 0; i < 5; i++)
                        after_pad[i] = rows[i][dim]; /* the float past the row */
                    rows_add_combination(dst, ndst, g, gi, gk, src, nsrc, dim);
                    for (int i = 0; i < 5; i++) {
                        for (int d = 0; d < dim; d++)
                            if (fabs(rows[i][d] - want[i][d]) > 1e-5)
                                fail_msg("dim %d, %d dst, %d src, trans %d: row %d [%d] is %g, not %g", dim, ndst, nsrc,
                                         trans, i, d, rows[i][d], want[i][d]);
                        assert_true(rows[i][dim] == after_pad[i]); /* nothing written past dim */
                    }
                }
}

/* rows_sum and rows_add_to_each against float loops in the same order, to
 * the bit (CBOW's hidden vector must not depend on the kernel), rows
 * repeating, nothing written past dim. */
static void sums_match_ordered_loops(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 9);
    const int dims[] = {3, 16, 100, 112, 133};
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++)
        for (int n = 1; n <= 11; n += 2) {
            int dim = dims[di];
            fill(&r);
            const float *src[MAXR];
            float *dst[MAXR];
            for (int k = 0; k < n; k++)
                src[k] = rows[MAXR + k % 4]; /* rows repeat once n > 4 */
            float sum[MAXD + 1], want[MAXD];
            sum[dim] = 7;
            rows_sum(sum, src, n, dim);
            for (int d = 0; d < dim; d++) {
                float w = 0;
                for (int k = 0; k < n; k++)
                    w += src[k][d];
                want[d] = w;
            }
            assert_memory_equal(sum, want, dim * sizeof(float));
            assert_true(sum[dim] == 7);
            /* Each dst (row i % 3, so some twice) += sum, in turn. */
            float expect[3][MAXD + 1];
            for (int i = 0; i < 3; i++)
                for (int d = 0; d <= dim; d++)
                    expect[i][d] = rows[i][d];
            for (int i = 0; i < n; i++) {
                dst[i] = rows[i % 3];
                for (int d = 0; d < dim; d++)
                    expect[i % 3][d] += sum[d];
            }
            rows_add_to_each(dst, n, sum, dim);
            for (int i = 0; i < 3 && i < n; i++)
                assert_memory_equal(rows[i], expect[i], (dim + 1) * sizeof(float));
        }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dots_match_loops),
        cmocka_unit_test(combination_matches_loops),
        cmocka_unit_test(sums_match_ordered_loops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
