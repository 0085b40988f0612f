/* core/smallmat.h: products of a few rows with a few rows, the inner loops of
 * word2vec's updates (embed/w2v_update.c).
 *
 * A set of rows is an array of pointers to rows of dim floats, wherever they
 * live (a weight matrix's rows, scratch), so the rows are read in place and
 * never gathered. For skip-gram a window's k input rows meet n output rows:
 * the k x n dot products are one small matrix product X Y^T, and the two
 * gradients G Y and G^T X two more. Done a pair at a time, each dot product
 * waits on the one before it (its sum, the sigmoid, then the update); done as
 * matrix products, the dot products are independent and their sums are
 * folded four at a time. With AVX-512 the loops hold 16 lanes, the last
 * chunk of a row masked; without it they are plain loops. */
#ifndef EL_SMALLMAT_H
#define EL_SMALLMAT_H

/* f[i * ny + k] = x_i . y_k for i < nx, k < ny. */
void rows_dots(const float *const *x, int nx, const float *const *y, int ny, int dim, float *f);

/* dst_i += sum_k g[i * gi + k * gk] src_k for i < ndst, k < nsrc: G's row i
 * (gi, gk the strides of G's two indices) combines the source rows. A row may
 * appear more than once in dst (each adds its part in turn); no dst row may be
 * a src row. */
void rows_add_combination(float *const *dst, int ndst, const float *g, int gi, int gk, const float *const *src,
                          int nsrc, int dim);

/* dst = src_0 + src_1 + ... + src_{n-1}, added from 0 in that order. */
void rows_sum(float *dst, const float *const *src, int n, int dim);

/* dst_i += src for i < n, one row after the other (a row listed twice gets
 * it twice); src is no dst row. */
void rows_add_to_each(float *const *dst, int n, const float *src, int dim);

#endif
