/* core/smallmat.c: the small matrix products of core/smallmat.h. */
#include "core/smallmat.h"

#ifdef __AVX512F__
#include <immintrin.h>

/* Accumulators combined at once: four dot products share one fold of their
 * sums, eight destination rows one load of each source chunk. */
#define DOT_BLOCK 4
#define DST_BLOCK 8

/* The mask of the chunk of a row at d: all 16 lanes, or the tail's. */
static inline __mmask16 chunk_mask(int d, int dim) {
    return dim - d >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (dim - d)) - 1);
}

/* The lane sums of a, b, c, d in lanes 0..3: two shuffle-and-add rounds
 * within 128-bit blocks, then two across them. */
static inline __m128 fold4(__m512 a, __m512 b, __m512 c, __m512 d) {
    __m512 ab = _mm512_add_ps(_mm512_unpacklo_ps(a, b), _mm512_unpackhi_ps(a, b));
    __m512 cd = _mm512_add_ps(_mm512_unpacklo_ps(c, d), _mm512_unpackhi_ps(c, d));
    __m512 s = _mm512_add_ps(_mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(ab, cd, _MM_SHUFFLE(3, 2, 3, 2)));
    /* Each 128-bit block now holds [a b c d] partial sums (a's lanes 0,1,4,5,
     * ... summed in lane 0 of the blocks, and so on); add the four blocks. */
    s = _mm512_add_ps(s, _mm512_shuffle_f32x4(s, s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm512_add_ps(s, _mm512_shuffle_f32x4(s, s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_castps512_ps128(s);
}

/* x . y_0 .. x . y_3 into f[0..4). */
static inline void dots4(const float *x, const float *const *y, int dim, float *f) {
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    for (int d = 0; d < dim; d += 16) {
        __mmask16 m = chunk_mask(d, dim);
        __m512 v = _mm512_maskz_loadu_ps(m, x + d);
        a0 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, y[0] + d), a0);
        a1 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, y[1] + d), a1);
        a2 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, y[2] + d), a2);
        a3 = _mm512_fmadd_ps(v, _mm512_maskz_loadu_ps(m, y[3] + d), a3);
    }
    _mm_storeu_ps(f, fold4(a0, a1, a2, a3));
}

static inline float dot1(const float *x, const float *y, int dim) {
    __m512 a = _mm512_setzero_ps();
    for (int d = 0; d < dim; d += 16) {
        __mmask16 m = chunk_mask(d, dim);
        a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, x + d), _mm512_maskz_loadu_ps(m, y + d), a);
    }
    return _mm512_reduce_add_ps(a);
}

void rows_dots(const float *const *x, int nx, const float *const *y, int ny, int dim, float *f) {
    for (int i = 0; i < nx; i++) {
        float *fi = f + (long)i * ny;
        int k = 0;
        for (; k + DOT_BLOCK <= ny; k += DOT_BLOCK)
            dots4(x[i], y + k, dim, fi + k);
        for (; k < ny; k++)
            fi[k] = dot1(x[i], y[k], dim);
    }
}

/* dst_i += sum_k g(i, k) src_k for the n <= DST_BLOCK rows dst[0..n), one
 * chunk of 16 lanes at a time: each source chunk is loaded once for all n. */
static void combine_block(float *const *dst, int n, const float *g, int gi, int gk, const float *const *src, int nsrc,
                          int dim) {
    for (int d = 0; d < dim; d += 16) {
        __mmask16 m = chunk_mask(d, dim);
        __m512 acc[DST_BLOCK];
        for (int i = 0; i < DST_BLOCK; i++)
            acc[i] = _mm512_setzero_ps();
        for (int k = 0; k < nsrc; k++) {
            __m512 s = _mm512_maskz_loadu_ps(m, src[k] + d);
            const float *gk_ = g + (long)k * gk;
#pragma GCC unroll 8
            for (int i = 0; i < DST_BLOCK; i++)
                if (i < n)
                    acc[i] = _mm512_fmadd_ps(_mm512_set1_ps(gk_[(long)i * gi]), s, acc[i]);
        }
        /* One row after the other, so that a row listed twice gets both parts. */
#pragma GCC unroll 8
        for (int i = 0; i < DST_BLOCK; i++)
            if (i < n)
                _mm512_mask_storeu_ps(dst[i] + d, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, dst[i] + d), acc[i]));
    }
}

void rows_add_combination(float *const *dst, int ndst, const float *g, int gi, int gk, const float *const *src,
                          int nsrc, int dim) {
    for (int i = 0; i < ndst; i += DST_BLOCK)
        combine_block(dst + i, ndst - i < DST_BLOCK ? ndst - i : DST_BLOCK, g + (long)i * gi, gi, gk, src, nsrc, dim);
}

/* Each chunk of 16 lanes summed over all rows in a register, stored once. */
void rows_sum(float *dst, const float *const *src, int n, int dim) {
    for (int d = 0; d < dim; d += 16) {
        __mmask16 m = chunk_mask(d, dim);
        __m512 acc = _mm512_setzero_ps();
        for (int k = 0; k < n; k++)
            acc = _mm512_add_ps(acc, _mm512_maskz_loadu_ps(m, src[k] + d));
        _mm512_mask_storeu_ps(dst + d, m, acc);
    }
}

/* Each chunk of src loaded once for all n rows. */
void rows_add_to_each(float *const *dst, int n, const float *src, int dim) {
    for (int d = 0; d < dim; d += 16) {
        __mmask16 m = chunk_mask(d, dim);
        __m512 s = _mm512_maskz_loadu_ps(m, src + d);
        for (int i = 0; i < n; i++)
            _mm512_mask_storeu_ps(dst[i] + d, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, dst[i] + d), s));
    }
}

#else

void rows_dots(const float *const *x, int nx, const float *const *y, int ny, int dim, float *f) {
    for (int i = 0; i < nx; i++)
        for (int k = 0; k < ny; k++) {
            float s = 0;
#pragma omp simd reduction(+ : s)
            for (int d = 0; d < dim; d++)
                s += x[i][d] * y[k][d];
            f[(long)i * ny + k] = s;
        }
}

void rows_add_combination(float *const *dst, int ndst, const float *g, int gi, int gk, const float *const *src,
                          int nsrc, int dim) {
    for (int i = 0; i < ndst; i++)
        for (int k = 0; k < nsrc; k++) {
            float c = g[(long)i * gi + (long)k * gk];
            const float *s = src[k];
            float *t = dst[i];
#pragma omp simd
            for (int d = 0; d < dim; d++)
                t[d] += c * s[d];
        }
}

void rows_sum(float *dst, const float *const *src, int n, int dim) {
    for (int d = 0; d < dim; d++)
        dst[d] = 0;
    for (int k = 0; k < n; k++)
#pragma omp simd
        for (int d = 0; d < dim; d++)
            dst[d] += src[k][d];
}

void rows_add_to_each(float *const *dst, int n, const float *src, int dim) {
    for (int i = 0; i < n; i++)
#pragma omp simd
        for (int d = 0; d < dim; d++)
            dst[i][d] += src[d];
}

#endif
