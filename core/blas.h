/* core/blas.h: the matrix products of the neural-network code.
 *
 * mm() computes C = alpha * op(A) op(B) + beta * C for row-major matrices,
 * op() transposing when asked. Built for AVX-512 (-march=native on such a
 * CPU), a product with B untransposed runs in core/blas.c's own register
 * blocked kernel: the networks' products are thin (16 sequences a chunk),
 * where it is 2-3 times OpenBLAS's speed, and it sums in a fixed order. The
 * rest go to OpenBLAS (sgemm or dgemm by the real type), the tiny ones (the
 * 8-unit cells of the textbook) to plain loops, where a BLAS call would cost
 * more than the arithmetic. Called inside an OpenMP parallel region,
 * OpenBLAS's OpenMP build runs on the calling thread, so the thread budget
 * holds. With beta 0, C is only written (it may hold anything before). */
#ifndef EL_BLAS_H
#define EL_BLAS_H

#include "core/real.h"

void mm(int trans_a, int trans_b, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb,
        real beta, real *c, int ldc);

/* c (m x n) = a (m x k) b (k x n) + bias, the row bias (n) added to every
 * row: a layer's x W + b. The same values as copying the bias into every
 * row of c and calling mm with beta 1, without writing c twice and reading
 * it back: the kernel adds the bias where it would have added C. */
void mm_bias(int m, int n, int k, const real *a, int lda, const real *b, int ldb, const real *bias, real *c, int ldc);

/* t (cols x rows, leading dimension ldt) = a^T for a (rows x cols, lda):
 * how a product gets its B along rows, for the kernel above. Done in
 * square tiles, so that both the strided reads and the writes stay in a
 * few cache lines (a plain double loop misses on every write). */
void transpose(int rows, int cols, const real *a, int lda, real *t, int ldt);

#endif
