/* core/vecmath.h: float32 vector arithmetic and top-k cosine search, free of
 * OpenMP and BLAS so that the SQL extension can carry it alone.
 *
 * A VecSet keeps vectors in one row-major float matrix, every row scaled to
 * unit length, so cosine similarity is one dot product; the search streams
 * the matrix once and keeps the best k in a small sorted list. */
#ifndef EL_VECMATH_H
#define EL_VECMATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __AVX512F__
#include <immintrin.h>
#endif

/* The dot product every hot loop uses (word2vec, nearest search). With
 * `omp simd reduction` gcc folds the 16 lanes through the stack one add at
 * a time (about 64 cycles of latency per call, measured as a quarter of
 * skip-gram's time); the AVX-512 version adds them as a tree. */
static inline float vec_dot_f32(const float *a, const float *b, int dim) {
#ifdef __AVX512F__
    __m512 acc = _mm512_setzero_ps();
    int i = 0;
    for (; i + 16 <= dim; i += 16)
        acc = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc);
    if (i < dim) {
        __mmask16 m = (__mmask16)((1u << (dim - i)) - 1);
        acc = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i), acc);
    }
    return _mm512_reduce_add_ps(acc);
#else
    float s = 0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < dim; i++)
        s += a[i] * b[i];
    return s;
#endif
}
/* Scales a to unit length, also when its norm is beyond float's range
 * (3e38 in every component) or subnormal; returns its original norm, in
 * double since it may exceed FLT_MAX (0 leaves a as it is). */
double vec_normalize_f32(float *a, int dim);

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
