/* tests/test_vecmath.c: unit length from vec_normalize_f32, also for
 * vectors whose norm is subnormal or beyond float's range. */
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
    assert_true(fabs(vec_normalize_f32(a, 3) - 13.0) < 1e-6);
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

/* A norm past FLT_MAX (3e38 in each of three components: 5.2e38): the float
 * norm was infinite and the vector became all zeros; issue 18, item 8. */
static void norm_beyond_float(void **state) {
    (void)state;
    float a[3] = {3e38f, 3e38f, 3e38f};
    double norm = vec_normalize_f32(a, 3);
    assert_true(fabs(norm - sqrt(3.0) * 3e38) < 1e32);
    assert_true(fabs(length(a, 3) - 1) < 1e-6);
    assert_true(fabsf(a[0] - 0.57735027f) < 1e-6f);
    float b[2] = {FLT_MAX, -FLT_MAX};
    vec_normalize_f32(b, 2);
    assert_true(fabs(length(b, 2) - 1) < 1e-6 && b[0] > 0 && b[1] < 0);
}

/* In float's normal range the unit vector is the one dividing by the float
 * norm gives, bit for bit: stored indexes hash unit vectors. */
static void normal_range_unchanged(void **state) {
    (void)state;
    float a[4] = {0.1f, -2.5f, 7e-3f, 1e5f}, b[4];
    memcpy(b, a, sizeof a);
    double s = 0;
    for (int i = 0; i < 4; i++)
        s += (double)b[i] * b[i];
    float norm = (float)sqrt(s);
    for (int i = 0; i < 4; i++)
        b[i] /= norm;
    vec_normalize_f32(a, 4);
    assert_memory_equal(a, b, sizeof a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unit_length),
        cmocka_unit_test(subnormal_norm),
        cmocka_unit_test(norm_beyond_float),
        cmocka_unit_test(normal_range_unchanged),
    };
    return cmocka_run_group_tests_name("vecmath", tests, NULL, NULL);
}
