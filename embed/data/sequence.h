/* embed/data/sequence.h: shaping token-index sequences to maxlen, and the
 * seeded train/validation split.
 *
 * Truncation keeps the last maxlen tokens (TRIM_PRE, Keras' default) or the
 * first (TRIM_POST); padding puts zeros in front (TRIM_PRE) or behind. */
#ifndef EL_SEQUENCE_H
#define EL_SEQUENCE_H

#include <stddef.h>
#include <stdint.h>

/* Where padding goes and where a long review is cut (named "pre" and "post"
 * in rnn/config.c's table). */
enum { SIDE_PRE = 0, SIDE_POST = 1 };

/* Writes maxlen indices to out from idx[0..n). idx may be NULL when n is 0
 * (an empty review): out is then all padding. */
void seq_shape(const int32_t *idx, size_t n, int maxlen, int pad, int truncate, int32_t *out);

/* Marks round(fraction * n) of n items as validation (1) and the rest as
 * training (0), chosen by a seeded shuffle: same seed, same split. */
void split_validation(size_t n, double fraction, uint64_t seed, uint8_t *is_val);

#endif
