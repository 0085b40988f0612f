/* embed/data/dataset.c: shaping labeled reviews into index sequences. */
#include "embed/data/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/data/sequence.h"

void dataset_doc(const Corpus *c, const Doc *doc, const Vocab *v, const int32_t *map, const SeqOptions *o,
                 int32_t **scratch, size_t *n, int32_t *out) {
    if (doc->len > *n)
        *scratch = xrealloc(*scratch, (*n = doc->len) * sizeof **scratch);
    int32_t *idx = *scratch;
    for (uint32_t t = 0; t < doc->len; t++) {
        int32_t id = c->tokens[doc->start + t];
        idx[t] = map ? map[id] : vocab_index(v, id, o->cap);
    }
    seq_shape(idx, doc->len, o->maxlen, o->pad, o->truncate, out);
}

/* dataset_build and dataset_build_mapped: by v or by map. */
static void build(Dataset *d, const Corpus *c, const Vocab *v, const int32_t *map, const SeqOptions *o, int split,
                  const uint8_t *is_val, int want) {
    memset(d, 0, sizeof *d);
    d->maxlen = o->maxlen;
    size_t cap = 0, k = 0, total = 0;
    for (size_t i = 0; i < c->ndocs; i++)
        total += c->docs[i].split == split && c->docs[i].label >= 0;
    d->x = xmalloc((total + 1) * o->maxlen * sizeof *d->x);
    d->y = xmalloc((total + 1) * sizeof *d->y);
    d->doc = xmalloc((total + 1) * sizeof *d->doc);
    int32_t *idx = NULL;
    for (size_t i = 0; i < c->ndocs; i++) {
        const Doc *doc = &c->docs[i];
        if (doc->split != split || doc->label < 0)
            continue;
        int take = !is_val || is_val[k] == want;
        k++;
        if (!take)
            continue;
        dataset_doc(c, doc, v, map, o, &idx, &cap, d->x + (size_t)d->n * o->maxlen);
        d->y[d->n] = doc->label;
        d->doc[d->n] = (int32_t)i;
        d->n++;
    }
    free(idx);
}

void dataset_build(Dataset *d, const Corpus *c, const Vocab *v, const SeqOptions *o, int split, const uint8_t *is_val,
                   int want) {
    build(d, c, v, NULL, o, split, is_val, want);
}

void dataset_build_mapped(Dataset *d, const Corpus *c, const int32_t *map, const SeqOptions *o, int split) {
    build(d, c, NULL, map, o, split, NULL, 0);
}

void dataset_free(Dataset *d) {
    free(d->x);
    free(d->y);
    free(d->doc);
    memset(d, 0, sizeof *d);
}
