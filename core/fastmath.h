/* core/fastmath.h: exp, tanh and sigmoid for the cells' inner loops.
 *
 * glibc's expf and tanhf are accurate but are calls gcc cannot vectorise; in
 * the recurrent cells they were a quarter of the training time. This exp
 * reduces x = n ln2 + r (|r| <= ln2/2, ln2 split in two parts so r stays
 * exact) and evaluates a degree-6 Taylor polynomial of e^r, then scales by 2^n
 * through the exponent bits: under 2 ulp of relative error over the whole
 * range (tests/test_fastmath.c checks it against libm). It is inline and
 * branch-free, so `#pragma omp simd` loops vectorise. tanh and sigmoid built on
 * it stay within 2 ulp (tanh, relative) and 2e-7 (sigmoid, absolute). In the double build
 * (gradient checks) the libm functions are used instead. */
#ifndef EL_FASTMATH_H
#define EL_FASTMATH_H

#include <stdint.h>
#include <string.h>

#include "core/real.h"

#ifdef EL_DOUBLE
static inline real fast_exp(real x) { return exp(x); }
static inline real fast_tanh(real x) { return tanh(x); }
#else
static inline float fast_exp(float x) {
    /* Clamped so that the int conversion below is defined: a NaN clamps to
     * -87 here (both tests fail) and comes back as NaN at the end, so that
     * a diverged run still shows as NaN. */
    float x0 = x;
    x = x > -87.0f ? x : -87.0f;
    x = x < 88.0f ? x : 88.0f;
    /* Round to nearest by the 1.5 * 2^23 trick: vectorises, unlike roundf. */
    float n = (x * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    float r = x - n * 0.693145751953125f;  /* ln2, high part: n * this is exact */
    r = r - n * 1.428606765330187045e-06f; /* ln2, low part */
    float p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720))))));
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return x0 == x0 ? p * scale : x0;
}

/* tanh(x) = sign(x) (1 - e^{-2|x|}) / (1 + e^{-2|x|}): no cancellation for
 * large |x|; near 0 the odd Taylor series keeps full relative precision. */
static inline float fast_tanh(float x) {
    float ax = __builtin_fabsf(x);
    float e = fast_exp(-2.0f * ax);
    float t = (1.0f - e) / (1.0f + e);
    float x2 = x * x;
    float small =
        ax * (1.0f -
              x2 * (1.0f / 3 - x2 * (2.0f / 15 - x2 * (17.0f / 315 - x2 * (62.0f / 2835 - x2 * (1382.0f / 155925))))));
    t = ax < 0.25f ? small : t;
    return __builtin_copysignf(t, x);
}
#endif

static inline real fast_sigmoid(real x) { return 1 / (1 + fast_exp(-x)); }

#endif
