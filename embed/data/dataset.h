/* embed/data/dataset.h: reviews as fixed-length index sequences for a classifier.
 *
 * From a Corpus and the train-split Vocab: every review becomes maxlen
 * indices (cap, padding and truncation as ARCHITECTURE.md states them), with its label.
 * The validation part is drawn from train by the seed. */
#ifndef EL_DATASET_H
#define EL_DATASET_H

#include <stdint.h>

#include "embed/data/vocab.h"

typedef struct {
    int64_t n;
    int maxlen;
    int32_t *x;   /* [n x maxlen] */
    float *y;     /* [n] 0 or 1 */
    int32_t *doc; /* [n] index of the review in its Corpus */
} Dataset;

typedef struct {
    int cap, maxlen, pad, truncate;
} SeqOptions;

/* The labeled reviews of one split (is_val == NULL) or of the training
 * reviews with is_val[i] == want (i counts training reviews in order). */
void dataset_build(Dataset *d, const Corpus *c, const Vocab *v, const SeqOptions *o, int split, const uint8_t *is_val,
                   int want);
/* The labeled reviews of one split, each token's index map[its dict id]
 * (an index under another vocabulary, as a stored run's), shaped by o
 * (o->cap unused: map has applied its cap). */
void dataset_build_mapped(Dataset *d, const Corpus *c, const int32_t *map, const SeqOptions *o, int split);
/* Review doc of c as o->maxlen indices in out: its tokens' indices in v under
 * o->cap, or map[dict id] when map is given; *scratch (of *n entries) is a
 * buffer that grows as needed, for the caller to free. The one place a
 * review becomes an index sequence. */
void dataset_doc(const Corpus *c, const Doc *doc, const Vocab *v, const int32_t *map, const SeqOptions *o,
                 int32_t **scratch, size_t *n, int32_t *out);
void dataset_free(Dataset *d);

#endif
