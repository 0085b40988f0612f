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

/* idx[0..n) = 0..n-1 ordered by key[idx], ascending, ties in index order:
 * an LSD radix sort, 11 bits a pass (three passes cover 32 bits). It
 * replaced a qsort of the keys and a binary search per n-gram, a tenth of a
 * subword-input run's setup (perf) for the 2.4 million n-grams of a
 * 244,000-word vocabulary. */
static void sort_by_key(const uint32_t *key, int64_t n, int32_t *idx) {
    int32_t *tmp = xmalloc(((size_t)n + 1) * sizeof *tmp);
    int64_t *count = xmalloc(2049 * sizeof *count);
    for (int64_t i = 0; i < n; i++)
        idx[i] = (int32_t)i;
    for (int shift = 0; shift < 32; shift += 11) {
        memset(count, 0, 2049 * sizeof *count);
        for (int64_t i = 0; i < n; i++)
            count[((key[idx[i]] >> shift) & 2047) + 1]++;
        for (int d = 1; d <= 2048; d++)
            count[d] += count[d - 1];
        for (int64_t i = 0; i < n; i++)
            tmp[count[(key[idx[i]] >> shift) & 2047]++] = idx[i];
        memcpy(idx, tmp, (size_t)n * sizeof *idx);
    }
    free(tmp);
    free(count);
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
    if (total > INT32_MAX) { /* row[] and the sort's indices are int32 */
        subword_table_free(t);
        return el_fail("the vocabulary has too many n-grams (%lld)", (long long)total);
    }
    /* Pass 2: their buckets; the distinct ones, ascending, become the rows. */
    uint32_t *bucket = xmalloc(((size_t)total + 1) * sizeof *bucket);
    for (int32_t w = 0; w < nwords; w++)
        subword_buckets(words[w], strlen(words[w]), minn, maxn, t->buckets, bucket + t->start[w],
                        (size_t)(t->start[w + 1] - t->start[w]));
    int32_t *order = xmalloc(((size_t)total + 1) * sizeof *order);
    sort_by_key(bucket, total, order);
    t->row_bucket = xmalloc(((size_t)total + 1) * sizeof *t->row_bucket);
    t->row = xmalloc(((size_t)total + 1) * sizeof *t->row);
    int64_t nrows = 0;
    for (int64_t i = 0; i < total; i++) { /* in bucket order: a new bucket is the next row */
        uint32_t b = bucket[order[i]];
        if (nrows == 0 || t->row_bucket[nrows - 1] != b)
            t->row_bucket[nrows++] = b;
        t->row[order[i]] = (int32_t)(nrows - 1);
    }
    t->nrows = nrows;
    t->row_bucket = xrealloc(t->row_bucket, ((size_t)nrows + 1) * sizeof *t->row_bucket);
    free(order);
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
