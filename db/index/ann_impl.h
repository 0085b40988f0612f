/* db/index/ann_impl.h: what db/index/ann.c (the image, open, search) and
 * db/index/ann_build.c (the build) share about the index's image: its layout,
 * the centroid panels and the int8 query. Only those two files include it;
 * everyone else goes through db/index/ann.h. */
#ifndef EL_ANN_IMPL_H
#define EL_ANN_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "db/index/ann.h"

/* The most candidates a search re-ranks by default or as stored. */
#define ANN_MAX_RERANK (1 << 20)

/* Byte offsets of an image's sections (after the header), and its size. */
typedef struct {
    uint64_t scale, cpanels, starts, ids, codes, total;
} AnnLayout;

/* x rounded up to a multiple of 64. */
uint64_t ann_align64(uint64_t x);

/* The layout of an index of n x d in k lists (n <= ANN_MAX_ROWS,
 * d <= ANN_MAX_DIM, k <= n: nothing overflows 64 bits). */
AnnLayout ann_layout(uint64_t n, uint64_t d, uint64_t k);

/* Points ix's section pointers into image (laid out as l). */
void ann_point_into(AnnIndex *ix, const uint8_t *image, const AnnLayout *l);

/* Where centroid c's code of dimension j lives in the centroid panels: 16
 * centroids a panel (16 dpad bytes), 4 dimensions x 16 centroids a 64-byte
 * group. */
size_t ann_panel_at(int c, int j, int dpad);

/* q8[0..dpad) = the int8 query of the unit vector x against codes of the
 * per-dimension scales; returns its factor t: sum_j code_j q8_j is about
 * t x.v + 128 sum(q8) for a row or centroid v. 0 for a zero x. */
float ann_encode_query(const float *x, int d, int dpad, const float *scale, int8_t *q8);

/* s[c] = sum_j code(c, j) q8[j] for the 16 centroids of one panel. */
void ann_panel_dot1(const uint8_t *panel, int dpad, const int8_t *q8, int32_t s[16]);

/* Sum over i < dpad of c[i] q8[i] (c: codes + 128; q16: q8 widened, for
 * the AVX2 path): a row's (or centroid's) score against an int8 query. */
int32_t ann_dot_codes(const uint8_t *c, const int8_t *q8, const int16_t *q16, int dpad);

/* Writes ix's header into its image (total bytes) and seals it. */
void ann_write_header(const AnnIndex *ix, uint8_t *image, uint64_t total);

/* qsort's comparison of int32_t. */
int ann_cmp_int32(const void *a, const void *b);

#endif
