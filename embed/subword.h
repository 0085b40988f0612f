/* embed/subword.h: fastText's character n-grams (Bojanowski et al. 2017,
 * "Enriching Word Vectors with Subword Information").
 *
 * A word w is wrapped as "<w>" and cut into every run of n characters,
 * minn <= n <= maxn. Characters are UTF-8 characters, not bytes: a lead byte
 * takes the continuation bytes (10xxxxxx) that follow it, and an n-gram
 * never starts on a continuation byte. The lone "<" and ">" are no n-grams;
 * "<w>" itself is one when it has at most maxn characters (as in fastText and
 * gensim: "<a>" is a 3-gram of "a"). Duplicates are kept, in order. Each
 * n-gram is hashed with fastText's FNV-1a variant into one of `buckets`
 * buckets. Invalid UTF-8 is cut the same way, byte by byte, without reading
 * outside the word.
 *
 *   "where", 3..3    <wh whe her ere re>
 *   "영화가", 1..3    <영 <영화 영 영화 영화가 화 화가 화가> 가 가>
 *
 * Training reads a SubwordTable (embed/subword_table.c): the vocabulary's
 * n-grams as rows, hashed once before training (never in the hot loop). Only buckets that some
 * vocabulary word uses get a row; any other bucket is a zero vector (in
 * fastText it keeps its small random start). So memory follows the
 * vocabulary, not the bucket count, and fastText's 2,000,000 buckets are the
 * default. A SubwordVectors view gives the vector of a word never seen in
 * training from those rows. ARCHITECTURE.md, "Subword vectors", has the
 * whole model. Everything but the table and subword_check is in
 * embed/subword.c, which needs nothing from core/ (the SQL extension can
 * carry it). */
#ifndef EL_SUBWORD_H
#define EL_SUBWORD_H

#include <stddef.h>
#include <stdint.h>

#define SUBWORD_BUCKETS 2000000 /* fastText's -bucket default */
#define SUBWORD_MAX_N 32        /* bounds the n-grams of one word to 32 per character */

/* fastText's hash (src/dictionary.cc, Dictionary::hash): 32-bit FNV-1a
 * except that each byte is sign-extended first, h ^= (uint32_t)(int8_t)b, so
 * bytes >= 0x80 flip the high 24 bits too. fastText keeps it so for its
 * released models; we keep it so for the same buckets. */
uint32_t subword_hash(const char *s, size_t len);

/* Checks an n-gram setting: 1 <= minn <= maxn <= SUBWORD_MAX_N and
 * 1 <= buckets <= INT32_MAX. Returns 0, or -1 with a message. */
int subword_check(int minn, int maxn, int64_t buckets);
/* The same test without a message, on any 64-bit values (as read from a
 * database): 1 if the setting is one, else 0. In embed/subword.c, for the SQL
 * extension. */
int subword_setting_ok(int64_t minn, int64_t maxn, int64_t buckets);

/* Walks the n-grams of one word, in fastText's order (by start, then by
 * length). Any minn/maxn are accepted: none fall in range, none come out. */
typedef struct {
    const char *word;
    size_t len; /* of the bare word; "<word>" has len + 2 bytes */
    int minn, maxn;
    size_t i, j; /* current n-gram: bytes [i, j) of "<word>" */
    int n;       /* its characters */
} SubwordIter;

void subword_begin(SubwordIter *it, const char *word, size_t len, int minn, int maxn);
/* The next n-gram as bytes [*start, *end) of "<word>" (offset 0 is '<',
 * offset len + 1 is '>'). Returns 1, or 0 when there are no more. */
int subword_next(SubwordIter *it, size_t *start, size_t *end);
/* Byte k (k < len + 2) of "<word>". */
static inline char subword_byte(const char *word, size_t len, size_t k) {
    return k == 0 ? '<' : (k == len + 1 ? '>' : word[k - 1]);
}
/* subword_hash of bytes [start, end) of "<word>" (end <= len + 2). */
uint32_t subword_hash_span(const char *word, size_t len, size_t start, size_t end);

/* Buckets (hash % buckets) of word's n-grams: writes the first `cap` into
 * out and returns how many there are (may exceed cap). */
size_t subword_buckets(const char *word, size_t len, int minn, int maxn, uint32_t buckets, uint32_t *out, size_t cap);

/* The n-grams of a vocabulary, as rows of an n-gram matrix. */
typedef struct {
    int minn, maxn;
    uint32_t buckets;
    int32_t nwords;
    int64_t nrows;        /* buckets used by some word: the rows of the n-gram matrix */
    uint32_t *row_bucket; /* [nrows] ascending: the bucket of each row */
    int64_t *start;       /* [nwords + 1]: word w's n-grams are row[start[w] .. start[w + 1]) */
    int32_t *row;         /* [start[nwords]] rows, fastText's order, duplicates kept */
} SubwordTable;

/* Hashes every word's n-grams once. Returns 0, or -1 with a message (a bad
 * setting; sizes that overflow). The table owns its arrays. */
int subword_table_build(SubwordTable *t, char *const *words, int32_t nwords, int minn, int maxn, int64_t buckets);
void subword_table_free(SubwordTable *t);

/* The row of a bucket in ascending row_bucket[0..nrows), or -1. */
int64_t subword_row_of(const uint32_t *row_bucket, int64_t nrows, uint32_t bucket);

/* out[0..dim) = (own + sum of rows[ids[k]]) / (1 + n); own NULL: the sum over
 * n, and n must be > 0. fastText's input vector: a plain sum, then one
 * multiplication by the reciprocal, in this order. */
static inline void subword_mean(float *out, const float *own, const float *rows, const int32_t *ids, int64_t n,
                                int dim) {
    int64_t count = n;
    if (own) {
        for (int d = 0; d < dim; d++)
            out[d] = own[d];
        count++;
    } else {
        for (int d = 0; d < dim; d++)
            out[d] = 0;
    }
    for (int64_t k = 0; k < n; k++) {
        const float *r = rows + (int64_t)ids[k] * dim;
#pragma omp simd
        for (int d = 0; d < dim; d++)
            out[d] += r[d];
    }
    float inv = 1.0f / (float)count;
#pragma omp simd
    for (int d = 0; d < dim; d++)
        out[d] *= inv;
}

/* What a trained subword model keeps to build the vector of any word: the
 * setting and the n-gram rows (what lab.db stores; see ARCHITECTURE.md). */
typedef struct {
    int dim, minn, maxn;
    uint32_t buckets;
    int64_t nrows;
    const uint32_t *row_bucket; /* [nrows] ascending */
    const float *rows;          /* [nrows x dim] */
} SubwordVectors;

/* Checks a SubwordVectors read back from storage before use: dim > 0, the
 * setting (subword_check), nrows >= 0, and row_bucket strictly ascending and
 * below buckets (what subword_row_of's search relies on). Returns 0, or -1
 * with a message. In embed/subword_table.c. */
int subword_vectors_check(const SubwordVectors *s);

/* The vector of a word seen in no training sentence: the mean over its
 * n-grams of their rows, a bucket without a row counting as zero. Returns
 * how many of its n-grams have a row; 0 means the word has no vector (no
 * n-gram, or none seen in training: *ngrams, when not NULL, gets how many
 * n-grams it has, to tell which) and out is zero. Sets no error message:
 * the caller words it (w2v_word_vector, an SQL function). A vocabulary
 * word's vector is its stored one (W2vModel.vectors), not this. */
int64_t subword_oov_vector(const SubwordVectors *s, const char *word, size_t len, float *out, int64_t *ngrams);

#endif
