/* tests/test_vecmath.c: unit length from vec_normalize_f32, also for
 * vectors whose norm is subnormal. */
#include "tests/fixtures.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "core/vecmath.h"

static double length(const float *a, int dim) {
    double s = 0;
    for (int i = 0; i < dim; i++)
        s += (double)a[i] * a[i];
    return sqrt(s);
}

/* Ordinary vectors: length 1 within float rounding, the norm returned. */
static void unit_length(void **state) {
    (void)state;
    float a[3] = {3, 4, 12};
    assert_true(fabsf(vec_normalize_f32(a, 3) - 13.0f) < 1e-6f);
    assert_true(fabs(length(a, 3) - 1) < 1e-6);
    float zero[2] = {0, 0};
    assert_true(vec_normalize_f32(zero, 2) == 0 && zero[0] == 0 && zero[1] == 0);
}

/* Subnormal components (152 and 75 units of 2^-149, a query blob fuzz_sql
 * made): the float norm holds 169 units where the true one is 169.5, and
 * dividing by it gave length 1.003, so cosines above 1. */
static void subnormal_norm(void **state) {
    (void)state;
    float a[2];
    uint32_t bits[2] = {152, 75};
    memcpy(a, bits, sizeof a);
    assert_true(vec_normalize_f32(a, 2) > 0);
    assert_true(fabs(length(a, 2) - 1) < 1e-6);
    float tiny[4] = {FLT_TRUE_MIN, 0, 0, 0};
    assert_true(vec_normalize_f32(tiny, 4) > 0);
    assert_true(tiny[0] == 1.0f);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_length),
        cmocka_unit_test(subnormal_norm),
    };
    return cmocka_run_group_tests_name("vecmath", tests, NULL, NULL);
}
