/* embed/subword.c: n-grams, their hash and the vector of an unseen word.
 * The n-gram walk follows fastText's Dictionary::computeSubwords
 * (src/dictionary.cc) step for step, so a word gets the same n-grams, in the
 * same order, into the same buckets. This file allocates nothing and reports
 * no errors itself (no core/ dependency), so that the SQL extension, which
 * carries no OpenMP or BLAS, can compile it in; the vocabulary's table is in
 * embed/subword_table.c. */
#include "embed/subword.h"

#include <string.h>

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

int subword_setting_ok(int64_t minn, int64_t maxn, int64_t buckets) {
    return minn >= 1 && maxn >= minn && maxn <= SUBWORD_MAX_N && buckets >= 1 && buckets <= INT32_MAX;
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

int64_t subword_oov_vector(const SubwordVectors *s, const char *word, size_t len, float *out, int64_t *ngrams) {
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
    if (ngrams)
        *ngrams = count;
    if (found == 0)
        return 0;
    float inv = 1.0f / (float)count;
    for (int d = 0; d < s->dim; d++)
        out[d] *= inv;
    return found;
}
