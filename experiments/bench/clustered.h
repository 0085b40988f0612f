/* experiments/bench/clustered.h: synthetic clustered unit vectors for the
 * nearest-word index (db/index/ann.c): its tests (tests/test_ann.c) and its
 * benchmark (experiments/bench/ann_bench.c) draw from the same model.
 *
 * `clusters` centres uniform on the sphere; a vector picks a centre
 * uniformly, adds Gaussian noise of total length `noise` (relative to the
 * centre's 1) and is scaled to unit length. noise 1 puts a vector at cosine
 * ~0.7 from its centre and ~0.5 from its cluster's other members: a cluster
 * is a cloud, not a point, as the neighbourhoods of word vectors are. */
#ifndef EL_BENCH_CLUSTERED_H
#define EL_BENCH_CLUSTERED_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/rng.h"
#include "core/vecmath.h"

static inline float clustered_gauss(Rng *r) {
    double u = rng_double(r), v = rng_double(r);
    return (float)(sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v));
}

/* Fills out[n x d] with unit vectors around `clusters` centres drawn from
 * centre_seed; `seed` draws the members (so queries can come from another
 * seed around the same centres). Returns 0, or -1 when out of memory. */
static inline int clustered_vectors(float *out, int64_t n, int d, int clusters, float noise, uint64_t centre_seed,
                                    uint64_t seed) {
    float *centre = malloc((size_t)clusters * d * sizeof *centre);
    if (!centre)
        return -1;
    Rng r;
    rng_seed(&r, centre_seed);
    for (int64_t i = 0; i < (int64_t)clusters * d; i++)
        centre[i] = clustered_gauss(&r);
    for (int c = 0; c < clusters; c++)
        vec_normalize_f32(centre + (size_t)c * d, d);
    rng_seed(&r, seed);
    float sd = noise / sqrtf((float)d);
    for (int64_t i = 0; i < n; i++) {
        const float *c = centre + (size_t)rng_below(&r, (uint64_t)clusters) * d;
        float *x = out + (size_t)i * d;
        for (int j = 0; j < d; j++)
            x[j] = c[j] + sd * clustered_gauss(&r);
        vec_normalize_f32(x, d);
    }
    free(centre);
    return 0;
}

#endif
