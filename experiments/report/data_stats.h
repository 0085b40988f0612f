/* experiments/report/data_stats.h: what the reviews look like before a model sees
 * them (`embedlab data stats`): per split and label, review counts and
 * lengths, vocabulary sizes, and what maxlen and a vocabulary cap would cut.
 *
 *   data_group_stats  the figures of one group of reviews
 *   data_lengths      the lengths of one split's reviews (for a histogram) */
#ifndef EL_DATA_STATS_H
#define EL_DATA_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "embed/data/vocab.h"

typedef struct {
    size_t reviews, tokens;
    uint32_t min, max;             /* review length in tokens */
    double mean, median, p90, p99; /* percentiles as numpy's default (linear) */
    size_t words, words5;          /* distinct words, and those seen at least 5 times */
    size_t longer;                 /* reviews longer than maxlen */
    size_t oov;                    /* tokens a vocabulary cap of cap makes index 1 */
} GroupStats;

/* The reviews of split with label (-1: both) in c, with v the train split's
 * ranking: 0 with *s filled, or 1 when the group has no review. */
int data_group_stats(const Corpus *c, const Vocab *v, int split, int label, int maxlen, int cap, GroupStats *s);

/* The lengths of the reviews of split, in corpus order: an array of *n the
 * caller frees. */
uint32_t *data_lengths(const Corpus *c, int split, size_t *n);

#endif
