/* experiments/run/subword_run.c: a subword-input run's stored model
 * (experiments/run/subword_run.h). */
#include "experiments/run/subword_run.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "embed/subword.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "a run's parameters are stored little-endian; this build assumes a little-endian machine"
#endif

enum { HEADER = 5 * sizeof(uint64_t) };

uint64_t subword_run_base_hash(const Embedding *base) {
    uint64_t h = hash_bytes(base->ngram_bucket, (size_t)base->nngrams * sizeof *base->ngram_bucket);
    h = h * 1099511628211ULL ^ hash_bytes(base->ngram_vec, (size_t)base->nngrams * base->dim * sizeof(float));
    return h * 1099511628211ULL ^ ((uint64_t)base->nngrams << 16 ^ (uint64_t)base->dim);
}

/* The start of the n-gram row of bucket b, as subword_input_init makes it:
 * base's row of b, or zero. */
static void row_start(const Embedding *base, uint32_t b, real *out) {
    int64_t er = subword_row_of(base->ngram_bucket, base->nngrams, b);
    for (int d = 0; d < base->dim; d++)
        out[d] = er >= 0 ? (real)base->ngram_vec[er * base->dim + d] : 0;
}

void subword_run_pack(const SubwordInput *s, const Model *m, const Embedding *base, void **blob, size_t *bytes) {
    int D = m->cfg.dim;
    const real *table = m->params + m->embed;
    int64_t ndense = m->nparams - m->dense_from;
    /* Which n-gram rows moved: the others are their start again on loading. */
    uint8_t *moved = xcalloc((size_t)s->nngrams + 1, 1);
    real *start = xmalloc((size_t)D * sizeof *start);
    int64_t k = 0;
    for (int64_t r = 0; r < s->nngrams; r++) {
        row_start(base, s->bucket[r], start);
        moved[r] = memcmp(start, table + (s->cap + r) * D, (size_t)D * sizeof(real)) != 0;
        k += moved[r];
    }
    free(start);
    size_t n = HEADER + ((size_t)s->cap * D + (size_t)ndense + (size_t)k * D) * sizeof(real) + (size_t)k * 4;
    uint8_t *out = xmalloc(n), *p = out;
    uint64_t head[5] = {(uint64_t)s->cap, (uint64_t)D, (uint64_t)ndense, (uint64_t)k, subword_run_base_hash(base)};
    memcpy(p, head, HEADER), p += HEADER;
    memcpy(p, table, (size_t)s->cap * D * sizeof(real)), p += (size_t)s->cap * D * sizeof(real);
    memcpy(p, m->params + m->dense_from, (size_t)ndense * sizeof(real)), p += (size_t)ndense * sizeof(real);
    for (int64_t r = 0; r < s->nngrams; r++)
        if (moved[r])
            memcpy(p, &s->bucket[r], 4), p += 4;
    for (int64_t r = 0; r < s->nngrams; r++)
        if (moved[r])
            memcpy(p, table + (s->cap + r) * D, (size_t)D * sizeof(real)), p += (size_t)D * sizeof(real);
    free(moved);
    *blob = out;
    *bytes = n;
}

int subword_run_unpack(const void *blob, size_t bytes, int64_t cap, const Embedding *base, SubwordRun *r) {
    memset(r, 0, sizeof *r);
    if (sizeof(real) != 4)
        return el_fail("a subword-input run's parameters are float32; this build's are not");
    uint64_t head[5];
    if (bytes < HEADER)
        return el_fail("its stored parameters have %zu bytes, fewer than their header", bytes);
    memcpy(head, blob, HEADER);
    uint64_t D = (uint64_t)base->dim;
    /* Each count from the file is bounded before any product is formed. */
    if (head[0] != (uint64_t)cap || head[1] != D)
        return el_fail("its stored parameters are %llu word rows x %llu dims; the run has %lld x %llu",
                       (unsigned long long)head[0], (unsigned long long)head[1], (long long)cap, (unsigned long long)D);
    uint64_t rest = (bytes - HEADER) / 4;
    if (head[2] > rest || head[3] > base->buckets)
        return el_fail("its stored parameters give %llu parameters after the table and %llu n-gram rows in %zu bytes",
                       (unsigned long long)head[2], (unsigned long long)head[3], bytes);
    /* cap and D are the run's and the embedding's, checked when read; head[3]
     * is at most INT32_MAX: the sum stays far below 2^64. */
    uint64_t want = head[0] * D + head[2] + head[3] * (D + 1);
    if ((bytes - HEADER) % 4 || want != rest)
        return el_fail("its stored parameters have %zu bytes; their header needs %llu", bytes,
                       (unsigned long long)(HEADER + 4 * want));
    if (head[4] != subword_run_base_hash(base))
        return el_fail("its embedding's n-gram rows are not the ones it was trained from (replaced or merged from "
                       "another lab)");
    const uint8_t *p = (const uint8_t *)blob + HEADER;
    r->cap = cap, r->dim = (int)D, r->ndense = (int64_t)head[2], r->nrows = (int64_t)head[3];
    r->base_hash = head[4];
    r->words = xmalloc(((size_t)cap * D + 1) * sizeof(real));
    r->dense = xmalloc(((size_t)r->ndense + 1) * sizeof(real));
    r->bucket = xmalloc(((size_t)r->nrows + 1) * 4);
    r->rows = xmalloc(((size_t)r->nrows * D + 1) * sizeof(real));
    memcpy(r->words, p, (size_t)cap * D * 4), p += (size_t)cap * D * 4;
    memcpy(r->dense, p, (size_t)r->ndense * 4), p += (size_t)r->ndense * 4;
    memcpy(r->bucket, p, (size_t)r->nrows * 4), p += (size_t)r->nrows * 4;
    memcpy(r->rows, p, (size_t)r->nrows * D * 4);
    for (int64_t k = 0; k < r->nrows; k++)
        if (r->bucket[k] >= base->buckets || (k > 0 && r->bucket[k] <= r->bucket[k - 1])) {
            uint32_t bad = r->bucket[k]; /* read before r is freed */
            subword_run_free(r);
            return el_fail("its stored n-gram row %lld has bucket %u, not ascending below %u", (long long)k, bad,
                           base->buckets);
        }
    return 0;
}

void subword_run_free(SubwordRun *r) {
    free(r->words);
    free(r->dense);
    free(r->bucket);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

int subword_run_model(const SubwordRun *r, const Embedding *base, const SubwordInput *s, ModelConfig *mc, Model *m) {
    mc->rows = &s->rows;
    if (s->cap != r->cap || mc->dim != r->dim)
        return el_fail("a subword run of %lld word rows x %d dims rebuilt as %d x %d", (long long)r->cap, r->dim,
                       s->cap, mc->dim);
    /* The layout first, checked against what is stored; then zeros, every
     * one overwritten below (no random init: its cost grows with units cubed). */
    if (model_layout(m, mc) != 0)
        return -1;
    if (m->nparams - m->dense_from != r->ndense) {
        int64_t got = m->nparams - m->dense_from;
        model_free(m);
        return el_fail("its stored parameters after the table are %lld; its configuration makes %lld",
                       (long long)r->ndense, (long long)got);
    }
    m->params = xcalloc((size_t)m->nparams, sizeof(real));
    int D = r->dim;
    real *table = m->params + m->embed;
    memcpy(table, r->words, (size_t)r->cap * D * sizeof(real));
    memcpy(m->params + m->dense_from, r->dense, (size_t)r->ndense * sizeof(real));
    for (int64_t k = 0; k < s->nngrams; k++) {
        real *dst = table + (s->cap + k) * D;
        int64_t own = subword_row_of(r->bucket, r->nrows, s->bucket[k]);
        if (own >= 0)
            memcpy(dst, r->rows + own * D, (size_t)D * sizeof(real));
        else
            row_start(base, s->bucket[k], dst);
    }
    return 0;
}
