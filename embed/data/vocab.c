/* embed/data/vocab.c: counting and ranking. */
#include "embed/data/vocab.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* qsort has no context argument; the ranking is built on one thread. */
static const Vocab *sort_vocab;
static const Dict *sort_dict;

static int by_count_then_bytes(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    int64_t cx = sort_vocab->count[x], cy = sort_vocab->count[y];
    if (cx != cy)
        return cx > cy ? -1 : 1;
    /* Tokens hold no NUL bytes, so strcmp is byte-wise order. */
    return strcmp(dict_word(sort_dict, x), dict_word(sort_dict, y));
}

void vocab_build(Vocab *v, const Corpus *c, unsigned split_mask) {
    memset(v, 0, sizeof *v);
    v->ndict = c->dict.size;
    v->count = xcalloc(v->ndict, sizeof *v->count);
    v->index = xmalloc((size_t)v->ndict * sizeof *v->index);
    for (size_t d = 0; d < c->ndocs; d++) {
        const Doc *doc = &c->docs[d];
        if (!(split_mask & SPLIT_MASK(doc->split)))
            continue;
        for (uint32_t i = 0; i < doc->len; i++)
            v->count[c->tokens[doc->start + i]]++;
    }
    v->by_rank = xmalloc((size_t)v->ndict * sizeof *v->by_rank);
    for (int32_t id = 0; id < v->ndict; id++) {
        v->index[id] = INDEX_OOV;
        if (v->count[id] > 0)
            v->by_rank[v->size++] = id;
    }
    sort_vocab = v;
    sort_dict = &c->dict;
    qsort(v->by_rank, v->size, sizeof *v->by_rank, by_count_then_bytes);
    for (int32_t r = 0; r < v->size; r++)
        v->index[v->by_rank[r]] = r + 2;
}

void vocab_free(Vocab *v) {
    free(v->by_rank);
    free(v->index);
    free(v->count);
    memset(v, 0, sizeof *v);
}

int32_t vocab_count_at_least(const Vocab *v, int64_t min_count) {
    int32_t lo = 0, hi = v->size; /* counts descend along the ranking */
    while (lo < hi) {
        int32_t mid = (lo + hi) / 2;
        if (v->count[v->by_rank[mid]] >= min_count)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
