/* embed/vectors.c: word-vector sets and neighbour search. */
#include "embed/vectors.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/memory.h"
#include "embed/text/textio.h"

void emb_init(Embedding *e, int dim) {
    memset(e, 0, sizeof *e);
    e->dim = dim;
    dict_init(&e->words);
}

size_t emb_memory(int64_t n, int64_t dim) {
    if (n < 0 || dim < 0)
        return SIZE_MAX;
    size_t floats = mem_mul(mem_mul((size_t)n, (size_t)dim), 2 * sizeof(float)); /* vec and unit */
    return mem_add(floats, mem_mul((size_t)n, 64)); /* its count and its word in the Dict: about 64 bytes */
}

size_t emb_subword_memory(int64_t nngrams, int64_t dim) {
    if (nngrams < 0 || dim < 0)
        return SIZE_MAX;
    return mem_mul((size_t)nngrams, mem_add(mem_mul((size_t)dim, sizeof(float)), sizeof(uint32_t)));
}

void emb_free(Embedding *e) {
    dict_free(&e->words);
    free(e->count);
    free(e->vec);
    free(e->unit);
    free(e->ngram_bucket);
    free(e->ngram_vec);
    memset(e, 0, sizeof *e);
}

int emb_add(Embedding *e, const char *word, size_t len, const float *v, int64_t count) {
    if (len == 0)
        return el_fail("empty word");
    int32_t before = e->words.size;
    int32_t row = dict_add(&e->words, word, len);
    if (row < before) {
        char shown[96];
        return el_fail("duplicate word '%s'", textio_quote(word, len, shown, sizeof shown));
    }
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 1024;
        e->count = xrealloc(e->count, (size_t)e->cap * sizeof *e->count);
        e->vec = xrealloc(e->vec, (size_t)e->cap * e->dim * sizeof *e->vec);
    }
    memcpy(e->vec + (size_t)row * e->dim, v, e->dim * sizeof *e->vec);
    e->count[row] = count;
    e->n++;
    return 0;
}

void emb_finish(Embedding *e) {
    free(e->unit);
    e->unit = xmalloc(((size_t)e->n * e->dim + 1) * sizeof *e->unit);
    if (e->n > 0) /* no vectors: e->vec is NULL, which memcpy may not be given */
        memcpy(e->unit, e->vec, (size_t)e->n * e->dim * sizeof *e->unit);
    for (int32_t r = 0; r < e->n; r++)
        vec_normalize_f32(e->unit + (size_t)r * e->dim, e->dim);
}

int emb_set_subwords(Embedding *e, int minn, int maxn, int64_t buckets, int64_t nngrams, uint32_t *ngram_bucket,
                     float *ngram_vec) {
    /* subword_vectors_check takes buckets as uint32_t: the range first. */
    SubwordVectors s = {.dim = e->dim,
                        .minn = minn,
                        .maxn = maxn,
                        .buckets = buckets >= 1 && buckets <= INT32_MAX ? (uint32_t)buckets : 0,
                        .nrows = nngrams,
                        .row_bucket = ngram_bucket,
                        .rows = ngram_vec};
    if (subword_check(minn, maxn, buckets) != 0 || subword_vectors_check(&s) != 0) {
        free(ngram_bucket);
        free(ngram_vec);
        return -1;
    }
    free(e->ngram_bucket);
    free(e->ngram_vec);
    e->minn = minn;
    e->maxn = maxn;
    e->buckets = (uint32_t)buckets;
    e->nngrams = nngrams;
    e->ngram_bucket = ngram_bucket;
    e->ngram_vec = ngram_vec;
    return 0;
}

int emb_subwords(const Embedding *e, SubwordVectors *s) {
    if (e->minn <= 0)
        return 0;
    *s = (SubwordVectors){.dim = e->dim,
                          .minn = e->minn,
                          .maxn = e->maxn,
                          .buckets = e->buckets,
                          .nrows = e->nngrams,
                          .row_bucket = e->ngram_bucket,
                          .rows = e->ngram_vec};
    return 1;
}

int32_t emb_row(const Embedding *e, const char *word) { return dict_find(&e->words, word, strlen(word)); }

int32_t emb_query(const Embedding *e, const char *word, size_t len, float *unit, int64_t *found, int64_t *ngrams) {
    *found = *ngrams = 0;
    int32_t row = dict_find(&e->words, word, len);
    if (row >= 0) {
        memcpy(unit, e->unit + (size_t)row * e->dim, (size_t)e->dim * sizeof *unit);
        return row;
    }
    SubwordVectors s;
    if (!emb_subwords(e, &s))
        return EMB_NO_VECTOR;
    *found = subword_oov_vector(&s, word, len, unit, ngrams);
    /* A mean of rows can still be zero (rows that cancel out): no direction. */
    if (*found == 0 || vec_normalize_f32(unit, e->dim) == 0)
        return EMB_NO_VECTOR;
    return EMB_FROM_NGRAMS;
}

int emb_nearest(const Embedding *e, const float *q, int k, const int32_t *exclude, int nexclude, Scored *out) {
    return vec_topk(e->unit, e->n, e->dim, q, k, exclude, nexclude, out);
}

int emb_analogy(const Embedding *e, int32_t a, int32_t b, int32_t c, int k, int32_t restrict_rows, Scored *out) {
    int32_t ex[3] = {a, b, c};
    return emb_analogy_unit(e, e->unit + (size_t)a * e->dim, e->unit + (size_t)b * e->dim, e->unit + (size_t)c * e->dim,
                            ex, 3, k, restrict_rows, out);
}

void emb_analogy_query(const float *ua, const float *ub, const float *uc, int dim, float *q) {
    for (int d = 0; d < dim; d++)
        q[d] = ub[d] - ua[d] + uc[d];
    vec_normalize_f32(q, dim);
}

int emb_analogy_unit(const Embedding *e, const float *ua, const float *ub, const float *uc, const int32_t *exclude,
                     int nexclude, int k, int32_t restrict_rows, Scored *out) {
    int dim = e->dim;
    float *q = xmalloc(dim * sizeof *q);
    emb_analogy_query(ua, ub, uc, dim, q);
    int32_t n = restrict_rows > 0 && restrict_rows < e->n ? restrict_rows : e->n;
    int found = vec_topk(e->unit, n, dim, q, k, exclude, nexclude, out);
    free(q);
    return found;
}
