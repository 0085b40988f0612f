/* core/blas.c: mm(): with AVX-512, its own kernel for every product that
 * reads B along its rows; otherwise OpenBLAS for big products and loops for
 * tiny ones. */
#include "core/blas.h"

#include <cblas.h>
#include <string.h>

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

#if defined(__AVX512F__) && !defined(EL_DOUBLE)
#include <immintrin.h>

/* The products with B read along its rows (tb = 0), in AVX-512 registers.
 * The networks' products are small and thin (16 sequences by a few hundred
 * gates per step), where OpenBLAS spends much of its time packing, and this
 * machine's OpenBLAS is told to use its AVX2 kernels (OPENBLAS_CORETYPE):
 * an 8 x 48 block of C in 24 registers, as p runs over k, takes one
 * broadcast of A and three rows of 16 of B per step.
 *
 *   for each 48 columns j0 of C, each 256 steps p0 of k (B's block stays in
 *   cache), each 8 rows i0:  acc (8,48) = sum over p of A[i][p] B[p][j]
 *                            C = (p0 ? C : beta C0) + alpha acc
 *   where C0 is C itself, or under mm_bias the bias row (row stride 0)
 *
 * Every sum runs in p order, the same for any thread or split, so results
 * are deterministic (they differ from OpenBLAS's in the last bits). */
enum { BLOCK_ROWS = 8, BLOCK_VECS = 3, BLOCK_K = 256 };

static __mmask16 lanes(int cols) {
    return cols >= 16 ? (__mmask16)0xFFFF : cols <= 0 ? (__mmask16)0 : (__mmask16)((1u << cols) - 1);
}

/* One block: rows i0 .. i0 + 7 of C (rows past m repeat row m - 1, whose
 * sums are not stored), columns j0 .. j0 + 16 nv - 1 (the last lanes masked
 * past n), steps p0 .. p1 - 1. nv is a constant where it is called, so each
 * width compiles to its own loop of 8 nv accumulators. */
static inline __attribute__((always_inline)) void mm_block(int nv, int ta, int m, int n, int i0, int j0, int p0, int p1,
                                                           real alpha, const real *a, int lda, const real *b, int ldb,
                                                           real beta, const real *c0, long ldc0, real *c, int ldc) {
    __mmask16 mask[BLOCK_VECS];
    for (int v = 0; v < nv; v++)
        mask[v] = lanes(n - j0 - 16 * v);
    const real *ar[BLOCK_ROWS];
    long step = ta ? lda : 1;
    for (int r = 0; r < BLOCK_ROWS; r++) {
        int i = i0 + r < m ? i0 + r : m - 1;
        ar[r] = ta ? a + i : a + (long)i * lda;
    }
    __m512 acc[BLOCK_ROWS][BLOCK_VECS];
    for (int r = 0; r < BLOCK_ROWS; r++)
        for (int v = 0; v < nv; v++)
            acc[r][v] = _mm512_setzero_ps();
    for (int p = p0; p < p1; p++) {
        const real *bp = b + (long)p * ldb + j0;
        __m512 bv[BLOCK_VECS];
        for (int v = 0; v < nv; v++)
            bv[v] = _mm512_maskz_loadu_ps(mask[v], bp + 16 * v);
        for (int r = 0; r < BLOCK_ROWS; r++) {
            __m512 av = _mm512_set1_ps(ar[r][(long)p * step]);
            for (int v = 0; v < nv; v++)
                acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(p0 ? 1 : beta);
    /* A fixed count, unrolled whole, so that acc stays in registers (a
     * loop left rolled indexes acc, which then lives on the stack). */
#pragma GCC unroll 8
    for (int r = 0; r < BLOCK_ROWS; r++)
        for (int v = 0; v < nv && i0 + r < m; v++) {
            real *cp = c + (long)(i0 + r) * ldc + j0 + 16 * v;
            __m512 out = _mm512_mul_ps(va, acc[r][v]);
            /* What the sum adds to: C, or for the first block of k under
             * mm_bias the bias row (row stride 0) in C's place. */
            const real *cin = p0 ? cp : c0 + (long)(i0 + r) * ldc0 + j0 + 16 * v;
            if (p0 || beta != 0) /* beta 0: C is not read (it may hold anything) */
                out = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(mask[v], cin), out);
            _mm512_mask_storeu_ps(cp, mask[v], out);
        }
}

static void mm_avx512(int ta, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb,
                      real beta, const real *c0, long ldc0, real *c, int ldc) {
    for (int j0 = 0; j0 < n; j0 += 16 * BLOCK_VECS) {
        int nv = (n - j0 + 15) / 16;
        for (int p0 = 0; p0 < k; p0 += BLOCK_K) {
            int p1 = k - p0 < BLOCK_K ? k : p0 + BLOCK_K;
            for (int i0 = 0; i0 < m; i0 += BLOCK_ROWS) {
                if (nv >= 3)
                    mm_block(3, ta, m, n, i0, j0, p0, p1, alpha, a, lda, b, ldb, beta, c0, ldc0, c, ldc);
                else if (nv == 2)
                    mm_block(2, ta, m, n, i0, j0, p0, p1, alpha, a, lda, b, ldb, beta, c0, ldc0, c, ldc);
                else
                    mm_block(1, ta, m, n, i0, j0, p0, p1, alpha, a, lda, b, ldb, beta, c0, ldc0, c, ldc);
            }
        }
    }
}
#endif

void mm(int ta, int tb, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb, real beta,
        real *c, int ldc) {
    if (m <= 0 || n <= 0)
        return;
#if defined(__AVX512F__) && !defined(EL_DOUBLE)
    if (!tb && k > 0) {
        mm_avx512(ta, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, c, ldc);
        return;
    }
#endif
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

void mm_bias(int m, int n, int k, const real *a, int lda, const real *b, int ldb, const real *bias, real *c, int ldc) {
    if (m <= 0 || n <= 0)
        return;
#if defined(__AVX512F__) && !defined(EL_DOUBLE)
    if (k > 0) {
        mm_avx512(0, m, n, k, 1, a, lda, b, ldb, 1, bias, 0, c, ldc);
        return;
    }
#endif
    for (int i = 0; i < m; i++)
        memcpy(c + (long)i * ldc, bias, n * sizeof(real));
    mm(0, 0, m, n, k, 1, a, lda, b, ldb, 1, c, ldc);
}

#define TILE 16

void transpose(int rows, int cols, const real *a, int lda, real *t, int ldt) {
    for (int i0 = 0; i0 < rows; i0 += TILE)
        for (int j0 = 0; j0 < cols; j0 += TILE) {
            int i1 = i0 + TILE < rows ? i0 + TILE : rows, j1 = j0 + TILE < cols ? j0 + TILE : cols;
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++)
                    t[(size_t)j * ldt + i] = a[(size_t)i * lda + j];
        }
}
