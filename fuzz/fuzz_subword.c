/* fuzz/fuzz_subword.c: fastText's n-grams (embed/subword.c) on arbitrary
 * bytes, invalid UTF-8 and NUL bytes included, with any minn/maxn and bucket
 * count. Input: byte 0 minn, byte 1 maxn (each as a signed byte mod 40, so
 * zero, negative and minn > maxn occur), bytes 2-5 the bucket count (0 read
 * as 1), the rest the word. Checks, beyond the sanitizers:
 *   subword_next  spans of "<word>" in order, inside it, starting and ending
 *                 on character boundaries, minn..maxn characters, never a
 *                 lone "<" or ">"; at most (len + 2) * maxn of them
 *   hashes        the span hash equals the hash of the span's bytes copied
 *                 out; subword_buckets gives the same count and buckets
 *   table         for a valid setting: the table of {word, its first half}
 *                 lists each word's buckets through ascending unique rows
 *                 (subword_vectors_check agrees),
 *                 and the vector of the word from rows filled with their
 *                 index is the mean of its n-grams' row indices */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/subword.h"

static void must(int ok) {
    if (!ok)
        abort();
}

static int continuation(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

static void check_walk(const char *word, size_t len, int minn, int maxn, uint32_t buckets) {
    size_t total = len + 2, count = 0, a, b, last_a = 0, last_b = 0;
    size_t most = total * (size_t)(maxn > 0 ? maxn : 0);
    uint32_t *bucket = malloc((most + 1) * sizeof *bucket);
    SubwordIter it;
    subword_begin(&it, word, len, minn, maxn);
    while (subword_next(&it, &a, &b)) {
        must(a < b && b <= total);
        must(count == 0 || a > last_a || (a == last_a && b > last_b));
        must(!continuation(subword_byte(word, len, a)));
        must(b == total || !continuation(subword_byte(word, len, b)));
        char *copy = malloc(b - a);
        int chars = 0;
        for (size_t k = a; k < b; k++) {
            copy[k - a] = subword_byte(word, len, k);
            chars += !continuation(copy[k - a]);
        }
        must(chars >= minn && chars >= 1 && chars <= maxn);
        must(!(chars == 1 && (a == 0 || b == total)));
        uint32_t h = subword_hash(copy, b - a);
        must(h == subword_hash_span(word, len, a, b));
        free(copy);
        must(count < most);
        bucket[count++] = h % buckets;
        last_a = a, last_b = b;
    }
    uint32_t *again = malloc((count + 1) * sizeof *again);
    must(subword_buckets(word, len, minn, maxn, buckets, again, count) == count);
    must(count == 0 || memcmp(again, bucket, count * sizeof *again) == 0);
    must(subword_buckets(word, len, minn, maxn, buckets, NULL, 0) == count);
    free(again);
    free(bucket);
}

static void check_table(const char *word, int minn, int maxn, uint32_t buckets) {
    size_t len = strlen(word); /* the table takes C strings: up to the first NUL */
    char *half = xstrndup(word, len / 2);
    char *words[2] = {(char *)word, half};
    SubwordTable t;
    if (subword_table_build(&t, words, 2, minn, maxn, buckets) != 0) {
        free(half);
        return;
    }
    for (int64_t r = 1; r < t.nrows; r++)
        must(t.row_bucket[r - 1] < t.row_bucket[r]);
    for (int w = 0; w < 2; w++) {
        int64_t n = t.start[w + 1] - t.start[w];
        uint32_t *b = malloc(((size_t)n + 1) * sizeof *b);
        must((int64_t)subword_buckets(words[w], strlen(words[w]), minn, maxn, buckets, b, (size_t)n) == n);
        for (int64_t k = 0; k < n; k++) {
            int32_t row = t.row[t.start[w] + k];
            must(row >= 0 && row < t.nrows && t.row_bucket[row] == b[k]);
        }
        free(b);
    }
    enum { DIM = 3 };
    float *rows = malloc(((size_t)t.nrows * DIM + 1) * sizeof *rows), out[DIM];
    for (int64_t r = 0; r < t.nrows * DIM; r++)
        rows[r] = (float)(r / DIM);
    SubwordVectors s = {DIM, minn, maxn, buckets, t.nrows, t.row_bucket, rows};
    must(subword_vectors_check(&s) == 0);
    int64_t n = t.start[1] - t.start[0], ngrams;
    int64_t found = subword_oov_vector(&s, word, len, out, &ngrams);
    must(ngrams == n && found == n); /* the word is in the table: every n-gram has a row */
    if (found > 0) {
        double want = 0;
        for (int64_t k = 0; k < n; k++)
            want += t.row[t.start[0] + k];
        want /= (double)n;
        for (int d = 0; d < DIM; d++)
            must(fabs(out[d] - want) <= 1e-3 * (1 + want));
    }
    free(rows);
    subword_table_free(&t);
    free(half);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 6)
        return 0;
    int minn = (int8_t)data[0] % 40, maxn = (int8_t)data[1] % 40;
    uint32_t buckets = (uint32_t)data[2] | (uint32_t)data[3] << 8 | (uint32_t)data[4] << 16 | (uint32_t)data[5] << 24;
    if (buckets == 0)
        buckets = 1;
    size_t len = size - 6;
    char *exact = malloc(len ? len : 1); /* exactly the word's bytes: a read past them is caught */
    memcpy(exact, data + 6, len);
    check_walk(exact, len, minn, maxn, buckets);
    free(exact);
    char *word = xstrndup((const char *)data + 6, len);
    if (buckets <= INT32_MAX && subword_check(minn, maxn, buckets) == 0)
        check_table(word, minn, maxn, buckets);
    free(word);
    el_clear_error();
    return 0;
}
