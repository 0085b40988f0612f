/* embed/subword_table.c: the n-gram setting's check and the vocabulary's
 * n-gram table (embed/subword.h): each word's n-grams hashed once, the
 * buckets in use numbered as rows. */
#include "embed/subword.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

int subword_check(int minn, int maxn, int64_t buckets) {
    if (subword_setting_ok(minn, maxn, buckets))
        return 0;
    if (!subword_setting_ok(minn, maxn, 1))
        return el_fail("subword n-gram lengths must satisfy 1 <= MIN <= MAX <= %d (got %d-%d)", SUBWORD_MAX_N, minn,
                       maxn);
    return el_fail("subword buckets must be 1 to %d (got %lld)", INT32_MAX, (long long)buckets);
}

static int by_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int subword_table_build(SubwordTable *t, char *const *words, int32_t nwords, int minn, int maxn, int64_t buckets) {
    memset(t, 0, sizeof *t);
    if (subword_check(minn, maxn, buckets) != 0)
        return -1;
    t->minn = minn;
    t->maxn = maxn;
    t->buckets = (uint32_t)buckets;
    t->nwords = nwords;
    /* Pass 1: how many n-grams each word has. */
    t->start = xmalloc(((size_t)nwords + 1) * sizeof *t->start);
    int64_t total = 0;
    for (int32_t w = 0; w < nwords; w++) {
        t->start[w] = total;
        total += (int64_t)subword_buckets(words[w], strlen(words[w]), minn, maxn, t->buckets, NULL, 0);
    }
    t->start[nwords] = total;
    if ((uint64_t)total > SIZE_MAX / 2 / sizeof(uint32_t)) {
        subword_table_free(t);
        return el_fail("the vocabulary has too many n-grams (%lld)", (long long)total);
    }
    /* Pass 2: their buckets; the distinct ones, ascending, become the rows. */
    uint32_t *bucket = xmalloc(((size_t)total + 1) * sizeof *bucket);
    for (int32_t w = 0; w < nwords; w++)
        subword_buckets(words[w], strlen(words[w]), minn, maxn, t->buckets, bucket + t->start[w],
                        (size_t)(t->start[w + 1] - t->start[w]));
    t->row_bucket = xmalloc(((size_t)total + 1) * sizeof *t->row_bucket);
    memcpy(t->row_bucket, bucket, (size_t)total * sizeof *bucket);
    qsort(t->row_bucket, (size_t)total, sizeof *t->row_bucket, by_u32);
    int64_t nrows = 0;
    for (int64_t k = 0; k < total; k++)
        if (k == 0 || t->row_bucket[k] != t->row_bucket[k - 1])
            t->row_bucket[nrows++] = t->row_bucket[k];
    t->nrows = nrows;
    t->row_bucket = xrealloc(t->row_bucket, ((size_t)nrows + 1) * sizeof *t->row_bucket);
    t->row = xmalloc(((size_t)total + 1) * sizeof *t->row);
    for (int64_t k = 0; k < total; k++)
        t->row[k] = (int32_t)subword_row_of(t->row_bucket, nrows, bucket[k]);
    free(bucket);
    return 0;
}

void subword_table_free(SubwordTable *t) {
    free(t->row_bucket);
    free(t->start);
    free(t->row);
    memset(t, 0, sizeof *t);
}

int subword_vectors_check(const SubwordVectors *s) {
    if (s->dim <= 0)
        return el_fail("subword vectors have %d dimensions", s->dim);
    if (subword_check(s->minn, s->maxn, s->buckets) != 0)
        return -1;
    if (s->nrows < 0 || s->nrows > (int64_t)s->buckets)
        return el_fail("%lld n-gram rows for %u buckets", (long long)s->nrows, s->buckets);
    for (int64_t r = 0; r < s->nrows; r++)
        if (s->row_bucket[r] >= s->buckets || (r > 0 && s->row_bucket[r] <= s->row_bucket[r - 1]))
            return el_fail("n-gram row %lld has bucket %u: buckets must be ascending, distinct and below %u",
                           (long long)r, s->row_bucket[r], s->buckets);
    return 0;
}
