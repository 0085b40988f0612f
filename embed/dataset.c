/* embed/dataset.c: shaping labeled reviews into index sequences. */
#include "embed/dataset.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/sequence.h"

void dataset_build(Dataset *d, const Corpus *c, const Vocab *v, const SeqOptions *o, int split, const uint8_t *is_val,
                   int want) {
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
        if (doc->len > cap)
            idx = xrealloc(idx, (cap = doc->len) * sizeof *idx);
        for (uint32_t t = 0; t < doc->len; t++)
            idx[t] = vocab_index(v, c->tokens[doc->start + t], o->cap);
        seq_shape(idx, doc->len, o->maxlen, o->pad, o->truncate, d->x + (size_t)d->n * o->maxlen);
        d->y[d->n] = doc->label;
        d->doc[d->n] = (int32_t)i;
        d->n++;
    }
    free(idx);
}

void dataset_free(Dataset *d) {
    free(d->x);
    free(d->y);
    free(d->doc);
    memset(d, 0, sizeof *d);
}
