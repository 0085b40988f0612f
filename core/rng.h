/* core/rng.h: a small, fast, seedable random generator (splitmix64).
 * Every random choice in embedlab draws from one of these, seeded from the
 * user's --seed, so a seed fixes a run. */
#ifndef EL_RNG_H
#define EL_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
} Rng;

static inline void rng_seed(Rng *r, uint64_t seed) { r->state = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull; }

static inline uint64_t rng_next(Rng *r) {
    uint64_t z = (r->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1) with 24 random bits: exact in float. */
static inline float rng_float(Rng *r) { return (rng_next(r) >> 40) * (1.0f / 16777216.0f); }

static inline double rng_double(Rng *r) { return (rng_next(r) >> 11) * (1.0 / 9007199254740992.0); }

/* Uniform integer in [0, n) (n > 0); the bias for n << 2^64 is negligible. */
static inline uint64_t rng_below(Rng *r, uint64_t n) { return (uint64_t)(((unsigned __int128)rng_next(r) * n) >> 64); }

/* Fisher-Yates shuffle of an int array. */
static inline void rng_shuffle(Rng *r, int32_t *a, int64_t n) {
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)rng_below(r, (uint64_t)i + 1);
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

#endif
