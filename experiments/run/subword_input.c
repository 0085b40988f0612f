/* experiments/run/subword_input.c: token types, their rows and the model's
 * input table for subword input (experiments/run/subword_input.h). */
#include "experiments/run/subword_input.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/subword.h"

int subword_input_build(SubwordInput *s, const Corpus *c, const Vocab *v, int cap, int minn, int maxn,
                        int64_t buckets) {
    int32_t *index = xmalloc(((size_t)c->dict.size + 1) * sizeof *index);
    for (int32_t d = 0; d < c->dict.size; d++)
        index[d] = vocab_index(v, d, cap);
    int rc = subword_input_build_mapped(s, &c->dict, index, cap, minn, maxn, buckets);
    free(index);
    return rc;
}

int subword_input_build_mapped(SubwordInput *s, const Dict *dict, const int32_t *index, int cap, int minn, int maxn,
                               int64_t buckets) {
    memset(s, 0, sizeof *s);
    int32_t nd = dict->size;
    if (nd > INT32_MAX - 3)
        return el_fail("subword input: too many distinct tokens (%d)", nd);
    /* Every type's n-grams hashed once: the buckets in use become rows. */
    char **words = xmalloc(((size_t)nd + 1) * sizeof *words);
    for (int32_t d = 0; d < nd; d++)
        words[d] = (char *)dict_word(dict, d);
    SubwordTable t;
    int rc = subword_table_build(&t, words, nd, minn, maxn, buckets);
    free(words);
    if (rc != 0)
        return -1;
    if (t.nrows > (int64_t)INT32_MAX - cap) {
        subword_table_free(&t);
        return el_fail("subword input: too many n-gram rows (%lld)", (long long)t.nrows);
    }
    int32_t ntypes = nd + 2;
    s->start = xmalloc(((size_t)ntypes + 1) * sizeof *s->start);
    s->row = xmalloc(((size_t)t.start[nd] + (size_t)nd + 2) * sizeof *s->row); /* n-grams, a word row or row 1 each */
    s->type_of = xmalloc(((size_t)nd + 1) * sizeof *s->type_of);
    int64_t n = 0;
    s->start[0] = n;
    s->row[n++] = 0; /* padding */
    s->start[1] = n;
    s->row[n++] = 1; /* the unknown token */
    for (int32_t d = 0; d < nd; d++) {
        s->start[d + 2] = n;
        s->type_of[d] = d + 2;
        int32_t i = index[d];
        if (i >= 2 && i < cap)
            s->row[n++] = i;
        for (int64_t k = t.start[d]; k < t.start[d + 1]; k++)
            s->row[n++] = cap + t.row[k];
        if (n == s->start[d + 2])
            s->row[n++] = 1; /* neither a word row nor an n-gram: unknown */
    }
    s->start[ntypes] = n;
    s->cap = cap;
    s->nngrams = t.nrows;
    s->bucket = t.row_bucket;
    t.row_bucket = NULL;
    subword_table_free(&t);
    s->rows = (TokenRows){.ntypes = ntypes, .nrows = cap + s->nngrams, .start = s->start, .row = s->row};
    return 0;
}

void subword_input_free(SubwordInput *s) {
    free(s->bucket);
    free(s->start);
    free(s->row);
    free(s->type_of);
    memset(s, 0, sizeof *s);
}

void subword_input_dataset(const SubwordInput *s, const Corpus *c, const SeqOptions *o, Dataset *d) {
    int32_t *scratch = NULL;
    size_t n = 0;
    for (int64_t i = 0; i < d->n; i++)
        dataset_doc(c, &c->docs[d->doc[i]], NULL, s->type_of, o, &scratch, &n, d->x + (size_t)i * o->maxlen);
    free(scratch);
}

void subword_input_init(const SubwordInput *s, Model *m, const Embedding *emb, const Corpus *c, const Vocab *v,
                        int *found, int *wanted) {
    int D = m->cfg.dim;
    real *table = m->params + m->embed; // (cap + nngrams, D)
    /* N-gram rows: the embedding's row of the bucket, or zero. */
    uint8_t *from_emb = xcalloc((size_t)s->nngrams + 1, 1);
    for (int64_t r = 0; r < s->nngrams; r++) {
        real *dst = table + (s->cap + r) * D;
        int64_t er = subword_row_of(emb->ngram_bucket, emb->nngrams, s->bucket[r]);
        from_emb[r] = er >= 0;
        for (int d = 0; d < D; d++)
            dst[d] = er >= 0 ? (real)emb->ngram_vec[er * D + d] : 0;
    }
    /* Word rows: the mean of own and n-gram rows starts as the embedding's vector. */
    double *sum = xmalloc((size_t)D * sizeof *sum);
    int nfound = 0, nwanted = 0;
    for (int32_t r = 0; r < v->size && r + 2 < s->cap; r++) {
        int32_t id = v->by_rank[r], type = s->type_of[id];
        const int32_t *list = s->row + s->start[type] + 1; /* after the word's own row, r + 2 */
        int64_t g = s->start[type + 1] - s->start[type] - 1, from = 0;
        for (int d = 0; d < D; d++)
            sum[d] = 0;
        for (int64_t k = 0; k < g; k++) {
            from += from_emb[list[k] - s->cap];
            for (int d = 0; d < D; d++)
                sum[d] += table[(int64_t)list[k] * D + d];
        }
        nwanted++;
        real *own = table + (int64_t)(r + 2) * D;
        int32_t er = emb_row(emb, dict_word(&c->dict, id));
        if (er >= 0) {
            for (int d = 0; d < D; d++)
                own[d] = (real)((double)(1 + g) * emb->vec[(size_t)er * D + d] - sum[d]);
        } else if (from > 0) {
            for (int d = 0; d < D; d++)
                own[d] = (real)(sum[d] / (double)g);
        } else {
            continue;
        }
        nfound++;
    }
    free(sum);
    free(from_emb);
    if (found)
        *found = nfound;
    if (wanted)
        *wanted = nwanted;
}
