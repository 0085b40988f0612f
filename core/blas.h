/* core/blas.h: the matrix products of the neural-network code.
 *
 * mm() computes C = alpha * op(A) op(B) + beta * C for row-major matrices,
 * op() transposing when asked. Large products go to OpenBLAS (sgemm or dgemm
 * by the real type); tiny ones (the 8-unit cells of the textbook) run as
 * plain loops, where a BLAS call would cost more than the arithmetic.
 * Called inside an OpenMP parallel region, OpenBLAS's OpenMP build runs on
 * the calling thread, so the thread budget holds. */
#ifndef EL_BLAS_H
#define EL_BLAS_H

#include "core/real.h"

void mm(int trans_a, int trans_b, int m, int n, int k, real alpha, const real *a, int lda, const real *b, int ldb,
        real beta, real *c, int ldc);

#endif
