/* core/vecmath.c: dot products and the top-k scan. */
#include "core/vecmath.h"

#include <float.h>
#include <math.h>

float vec_normalize_f32(float *a, int dim) {
    double s = 0;
    for (int i = 0; i < dim; i++)
        s += (double)a[i] * a[i];
    float norm = (float)sqrt(s);
    if (norm >= FLT_MIN)
        for (int i = 0; i < dim; i++)
            a[i] /= norm;
    else if (norm > 0) {
        /* A subnormal norm keeps few bits (2.4e-43 is 169 units of 2^-149),
         * and dividing by it gave "unit" vectors of length 1.003, so cosines
         * above 1 (fuzz/fuzz_sql.c found it); the double norm is exact enough. */
        double dn = sqrt(s);
        for (int i = 0; i < dim; i++)
            a[i] = (float)(a[i] / dn);
    }
    return norm;
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
