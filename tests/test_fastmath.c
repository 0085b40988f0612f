/* tests/test_fastmath.c: the cells' exp, tanh and sigmoid against libm. */
#include "tests/fixtures.h"

#include <math.h>

#include "core/fastmath.h"

static double relerr(double got, double want) { return fabs(got - want) / fmax(fabs(want), 1e-30); }

static void exp_accuracy(void **state) {
    (void)state;
    double worst = 0;
    for (float x = -87.0f; x <= 88.0f; x += 0.0137f) {
        double e = relerr(fast_exp(x), exp((double)x));
        if (e > worst)
            worst = e;
    }
    /* float has 2^-24 = 6e-8 relative resolution: under 2 ulp. */
    if (worst > 2.4e-7)
        fail_msg("fast_exp: worst relative error %g", worst);
    assert_true(fast_exp(-1000.0f) >= 0 && fast_exp(-1000.0f) < 1e-37);
    assert_true(isfinite(fast_exp(1000.0f)));
}

/* A NaN (a diverged run, or a damaged stored model) goes through as NaN,
 * without the undefined float-to-int conversion UBSan reports (fuzz_subword_run
 * found it through a stored blob holding a NaN). */
static void nan_stays_nan(void **state) {
    (void)state;
    volatile float nan = NAN;
    assert_true(isnan(fast_exp(nan)));
    assert_true(isnan(fast_tanh(nan)));
    assert_true(fast_exp(-INFINITY) >= 0.0f && fast_exp(-INFINITY) < 1e-37f);
    assert_true(fast_exp(INFINITY) > 1e38f);
}

static void tanh_and_sigmoid_accuracy(void **state) {
    (void)state;
    double worst_t = 0, worst_s = 0;
    for (float x = -20.0f; x <= 20.0f; x += 0.00731f) {
        double t = tanh((double)x), s = 1 / (1 + exp(-(double)x));
        /* Near 0 tanh is compared relatively; the cells need absolute accuracy anyway. */
        double et = fabs(x) < 1e-3 ? fabs(fast_tanh(x) - t) / fabs(x) : relerr(fast_tanh(x), t);
        if (et > worst_t)
            worst_t = et;
        double es = fabs(fast_sigmoid(x) - s);
        if (es > worst_s)
            worst_s = es;
    }
    if (worst_t > 2.4e-7)
        fail_msg("fast_tanh: worst relative error %g", worst_t);
    if (worst_s > 2e-7)
        fail_msg("fast_sigmoid: worst absolute error %g", worst_s);
    assert_true(fast_tanh(0.0f) == 0.0f);
    assert_true(fast_tanh(100.0f) == 1.0f && fast_tanh(-100.0f) == -1.0f);
    assert_true(fast_tanh(-0.5f) == -fast_tanh(0.5f));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp_accuracy),
        cmocka_unit_test(tanh_and_sigmoid_accuracy),
        cmocka_unit_test(nan_stays_nan),
    };
    return cmocka_run_group_tests_name("fastmath", tests, NULL, NULL);
}
