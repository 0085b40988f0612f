/* embed/subword.c: n-grams, their hash, the vocabulary's n-gram table and
 * the vector of an unseen word. The n-gram walk follows fastText's
 * Dictionary::computeSubwords (src/dictionary.cc) step for step, so a word
 * gets the same n-grams, in the same order, into the same buckets. */
#include "embed/subword.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

uint32_t subword_hash(const char *s, size_t len) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++) {
        h ^= (uint32_t)(int8_t)s[i]; /* sign-extended, as fastText */
        h *= 16777619u;
    }
    return h;
}

uint32_t subword_hash_span(const char *word, size_t len, size_t start, size_t end) {
    uint32_t h = 2166136261u;
    for (size_t k = start; k < end; k++) {
        h ^= (uint32_t)(int8_t)subword_byte(word, len, k);
        h *= 16777619u;
    }
    return h;
}

int subword_check(int minn, int maxn, int64_t buckets) {
    if (minn < 1 || maxn < minn || maxn > SUBWORD_MAX_N)
        return el_fail("subword n-gram lengths must satisfy 1 <= MIN <= MAX <= %d (got %d-%d)", SUBWORD_MAX_N, minn,
                       maxn);
    if (buckets < 1 || buckets > INT32_MAX)
        return el_fail("subword buckets must be 1 to %d (got %lld)", INT32_MAX, (long long)buckets);
    return 0;
}

static int continuation(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

void subword_begin(SubwordIter *it, const char *word, size_t len, int minn, int maxn) {
    it->word = word;
    it->len = len;
    it->minn = minn;
    it->maxn = maxn;
    it->i = 0;
    it->j = 0;
    it->n = 0; /* no character taken yet from start i */
}

/* fastText's double loop as a resumable walk: i is the start of an n-gram
 * (never a continuation byte), j its end, n its characters; each step takes
 * one more character (a byte and its continuation bytes) until maxn
 * characters or the end of "<word>", then moves i to the next start. */
int subword_next(SubwordIter *it, size_t *start, size_t *end) {
    size_t total = it->len + 2;
    while (it->i < total) {
        if (it->n == 0) {
            if (continuation(subword_byte(it->word, it->len, it->i))) {
                it->i++;
                continue;
            }
            it->j = it->i;
        }
        if (it->j < total && it->n < it->maxn) {
            it->j++;
            while (it->j < total && continuation(subword_byte(it->word, it->len, it->j)))
                it->j++;
            it->n++;
            /* The lone "<" and ">" are no n-grams. */
            if (it->n >= it->minn && !(it->n == 1 && (it->i == 0 || it->j == total))) {
                *start = it->i;
                *end = it->j;
                return 1;
            }
            continue;
        }
        it->i++;
        it->n = 0;
    }
    return 0;
}

size_t subword_buckets(const char *word, size_t len, int minn, int maxn, uint32_t buckets, uint32_t *out, size_t cap) {
    SubwordIter it;
    subword_begin(&it, word, len, minn, maxn);
    size_t n = 0, a, b;
    while (subword_next(&it, &a, &b)) {
        if (n < cap)
            out[n] = subword_hash_span(word, len, a, b) % buckets;
        n++;
    }
    return n;
}

static int by_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int64_t subword_row_of(const uint32_t *row_bucket, int64_t nrows, uint32_t bucket) {
    int64_t lo = 0, hi = nrows;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (row_bucket[mid] < bucket)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nrows && row_bucket[lo] == bucket ? lo : -1;
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

int subword_oov_vector(const SubwordVectors *s, const char *word, size_t len, float *out) {
    SubwordIter it;
    subword_begin(&it, word, len, s->minn, s->maxn);
    int64_t count = 0, found = 0;
    size_t a, b;
    for (int d = 0; d < s->dim; d++)
        out[d] = 0;
    while (subword_next(&it, &a, &b)) {
        count++;
        int64_t r = subword_row_of(s->row_bucket, s->nrows, subword_hash_span(word, len, a, b) % s->buckets);
        if (r < 0)
            continue; /* a bucket no vocabulary word uses: a zero row */
        found++;
        const float *v = s->rows + r * s->dim;
        for (int d = 0; d < s->dim; d++)
            out[d] += v[d];
    }
    if (count == 0)
        return el_fail("'%.*s' has no n-grams of %d to %d characters", (int)(len > 64 ? 64 : len), word, s->minn,
                       s->maxn);
    if (found == 0)
        return el_fail("no n-gram of '%.*s' was seen in training", (int)(len > 64 ? 64 : len), word);
    float inv = 1.0f / (float)count;
    for (int d = 0; d < s->dim; d++)
        out[d] *= inv;
    return 0;
}
