/* core/vecmath.c: dot products and the top-k scan. */
#include "core/vecmath.h"

#include <float.h>
#include <math.h>

double vec_normalize_f32(float *a, int dim) {
    /* The squares summed in double cannot overflow or underflow: each is at
     * most 1.2e77 and 2^24 of them stay far below 1.8e308. */
    double s = 0;
    for (int i = 0; i < dim; i++)
        s += (double)a[i] * a[i];
    double dn = sqrt(s);
    float norm = (float)dn;
    if (norm >= FLT_MIN && norm <= FLT_MAX)
        /* Dividing by the float norm as always: the unit vectors stay bit
         * for bit what a stored index hashed (db/index/ann.c, vec_hash). */
        for (int i = 0; i < dim; i++)
            a[i] /= norm;
    else if (dn > 0) {
        /* Outside float's normal range the float norm is wrong: a subnormal
         * one keeps few bits (2.4e-43 is 169 units of 2^-149; "unit" vectors
         * of length 1.003, cosines above 1, fuzz/fuzz_sql.c found it), and
         * one past 3.4e38 (`alpha 3e38 3e38 3e38`) is infinite, which made
         * every component 0. The double norm is exact enough for both. */
        for (int i = 0; i < dim; i++)
            a[i] = (float)(a[i] / dn);
    }
    return dn;
}

void scored_insert(Scored *best, int *count, int k, int32_t index, float score) {
    int n = *count;
    if (n == k && !(score > best[k - 1].score))
        return;
    int i = n < k ? n : k - 1;
    /* Shift worse entries down; equal scores keep the earlier (lower) index first. */
    while (i > 0 && best[i - 1].score < score) {
        best[i] = best[i - 1];
        i--;
    }
    best[i] = (Scored){index, score};
    if (n < k)
        *count = n + 1;
}

int vec_topk(const float *unit, int64_t n, int dim, const float *q, int k, const int32_t *exclude, int nexclude,
             Scored *out) {
    int count = 0;
    if (k <= 0)
        return 0;
    for (int64_t r = 0; r < n; r++) {
        float s = vec_dot_f32(unit + r * dim, q, dim);
        if (count == k && !(s > out[k - 1].score))
            continue;
        int skip = 0;
        for (int e = 0; e < nexclude; e++)
            skip |= exclude[e] == r;
        if (!skip)
            scored_insert(out, &count, k, (int32_t)r, s);
    }
    return count;
}
