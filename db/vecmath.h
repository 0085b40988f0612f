/* db/vecmath.h: float32 vector arithmetic and top-k cosine search, free of
 * OpenMP and BLAS so that the SQL extension can carry it alone.
 *
 * A VecSet keeps vectors in one row-major float matrix, every row scaled to
 * unit length, so cosine similarity is one dot product; the search streams
 * the matrix once and keeps the best k in a small sorted list. */
#ifndef EL_VECMATH_H
#define EL_VECMATH_H

#include <stddef.h>
#include <stdint.h>

float vec_dot_f32(const float *a, const float *b, int dim);
/* Scales a to unit length; returns its original norm (0 leaves a as it is). */
float vec_normalize_f32(float *a, int dim);

typedef struct {
    int32_t index;
    float score;
} Scored;

/* The k rows of unit[n x dim] most similar to the unit query q, best first,
 * skipping rows whose index is in exclude[0..nexclude). Returns how many
 * were found (<= k). Ties go to the lower row index. */
int vec_topk(const float *unit, int64_t n, int dim, const float *q, int k, const int32_t *exclude, int nexclude,
             Scored *out);

/* Inserts (index, score) into best[0..*count) (sorted, best first, capacity k). */
void scored_insert(Scored *best, int *count, int k, int32_t index, float score);

#endif
