/* core/blas.c: mm(), BLAS for big products and loops for tiny ones. */
#include "core/blas.h"

#include <cblas.h>

/* Below this many multiply-adds a plain loop beats the BLAS call overhead. */
#define SMALL_PRODUCT 4096

static void mm_loops(int ta, int tb, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb,
                     real beta, real *c, int ldc) {
    for (int i = 0; i < m; i++) {
        real *ci = c + (long)i * ldc;
        if (beta == 0)
            for (int j = 0; j < n; j++)
                ci[j] = 0;
        else if (beta != 1)
            for (int j = 0; j < n; j++)
                ci[j] *= beta;
    }
    if (k <= 0)
        return;
    /* Loop orders chosen so the innermost loop runs along contiguous memory. */
    if (!tb) {
        for (int i = 0; i < m; i++) {
            real *ci = c + (long)i * ldc;
            for (int p = 0; p < k; p++) {
                real aip = alpha * (ta ? a[(long)p * lda + i] : a[(long)i * lda + p]);
                const real *bp = b + (long)p * ldb;
#pragma omp simd
                for (int j = 0; j < n; j++)
                    ci[j] += aip * bp[j];
            }
        }
    } else if (!ta) {
        for (int i = 0; i < m; i++) {
            const real *ai = a + (long)i * lda;
            real *ci = c + (long)i * ldc;
            for (int j = 0; j < n; j++) {
                const real *bj = b + (long)j * ldb;
                real s = 0;
#pragma omp simd reduction(+ : s)
                for (int p = 0; p < k; p++)
                    s += ai[p] * bj[p];
                ci[j] += alpha * s;
            }
        }
    } else {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                real s = 0;
                for (int p = 0; p < k; p++)
                    s += a[(long)p * lda + i] * b[(long)j * ldb + p];
                c[(long)i * ldc + j] += alpha * s;
            }
    }
}

void mm(int ta, int tb, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb, real beta,
        real *c, int ldc) {
    if (m <= 0 || n <= 0)
        return;
    if (k <= 0 || (long)m * n * k < SMALL_PRODUCT) {
        mm_loops(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
#ifdef EL_DOUBLE
    cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
#else
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda,
                b, ldb, beta, c, ldc);
#endif
}
