/* embed/data/sequence.c: padding, truncation and the validation split. */
#include "embed/data/sequence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/rng.h"

void seq_shape(const int32_t *idx, size_t n, int maxlen, int pad, int truncate, int32_t *out) {
    size_t m = (size_t)maxlen;
    if (n == 0) { /* an empty review: idx may be NULL, and memcpy must not see it even for 0 bytes */
        memset(out, 0, m * sizeof *out);
        return;
    }
    if (n >= m) {
        memcpy(out, truncate == SIDE_PRE ? idx + (n - m) : idx, m * sizeof *out);
        return;
    }
    size_t zeros = m - n;
    if (pad == SIDE_PRE) {
        memset(out, 0, zeros * sizeof *out);
        memcpy(out + zeros, idx, n * sizeof *out);
    } else {
        memcpy(out, idx, n * sizeof *out);
        memset(out + n, 0, zeros * sizeof *out);
    }
}

void split_validation(size_t n, double fraction, uint64_t seed, uint8_t *is_val) {
    int32_t *order = xmalloc(n * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = (int32_t)i;
    Rng rng;
    rng_seed(&rng, seed ^ 0x5EED5B1175ull);
    rng_shuffle(&rng, order, (int64_t)n);
    size_t nval = (size_t)llround(fraction * (double)n);
    memset(is_val, 0, n);
    for (size_t i = 0; i < nval && i < n; i++)
        is_val[order[i]] = 1;
    free(order);
}
