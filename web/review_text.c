/* web/review_text.c: test reviews by their index in the test split
 * (web/review_text.h): the corpus read again and checked against the
 * stored predictions, then each wanted review's raw text (web/review_raw.c)
 * kept only when it tokenizes to that review's words: should web/review_raw.c
 * ever read out of step with embed/data/corpus.c's order, the page shows a
 * review's words, never another review's text. */
#include "web/review_text.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/data/source.h"
#include "web/json.h"

/* The data paths of run's config (free both); 0, or -1 with a message. */
static int data_paths(sqlite3 *db, int64_t run, char **data, char **test) {
    sqlite3_stmt *st;
    *data = *test = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT json_extract(config, '$.data'), json_extract(config, '$.test_data') FROM runs "
                           "WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return el_fail("database: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
        *data = xstrdup((const char *)sqlite3_column_text(st, 0));
        if (sqlite3_column_type(st, 1) == SQLITE_TEXT)
            *test = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    return *data ? 0 : el_fail("run %lld records no data path", (long long)run);
}

/* The words of doc d, at most max, space-separated ("..." after when cut). */
static char *words_of(const Corpus *c, const Doc *d, uint32_t max) {
    JsonBuf b = {0};
    uint32_t n = d->len < max ? d->len : max;
    for (uint32_t k = 0; k < n; k++) {
        if (k)
            jb_raw(&b, " ");
        jb_raw(&b, dict_word(&c->dict, c->tokens[d->start + k]));
    }
    if (d->len > n)
        jb_raw(&b, " ...");
    return b.data ? b.data : xstrdup("");
}

enum { RAW_MAX = 4000 }; /* bytes of a review shown; a longer one ends in "..." */

/* text, when it tokenizes (the words spec) to doc d's words: cut to RAW_MAX
 * bytes at a character start; else NULL. Frees text. */
static char *checked_raw(const Corpus *c, const Doc *d, char *text, TokenBuf *buf) {
    if (!text)
        return NULL;
    char *words = words_of(c, d, UINT32_MAX);
    int same = tokenizer_tokens(tokenizer_words(), text, strlen(text), buf) == 0 && strcmp(buf->text, words) == 0;
    free(words);
    if (!same) {
        free(text);
        return NULL;
    }
    size_t m = strlen(text);
    if (m > RAW_MAX) {
        m = RAW_MAX;
        while (m > 0 && ((unsigned char)text[m] & 0xC0) == 0x80)
            m--;
        memcpy(text + m, "...", 4);
    }
    return text;
}

/* out[i], raw[i] of web_review_texts for the checked corpus c of n test docs. */
static void texts_of(const Corpus *c, const Doc **docs, int64_t n, const char *data, const char *test,
                     const int64_t *want, int nwant, char **out, int *raw) {
    char **text = xcalloc((size_t)nwant + 1, sizeof *text);
    web_review_raw(data, test, want, nwant, text); /* a failure leaves NULLs: the words then */
    TokenBuf buf;
    tokbuf_init(&buf);
    for (int i = 0; i < nwant; i++) {
        int ok = want[i] >= 0 && want[i] < n;
        out[i] = ok ? checked_raw(c, docs[want[i]], text[i], &buf) : (free(text[i]), NULL);
        raw[i] = out[i] != NULL;
        if (!out[i])
            out[i] = ok ? words_of(c, docs[want[i]], 80) : xstrdup("");
    }
    tokbuf_free(&buf);
    free(text);
}

int web_review_texts(sqlite3 *db, int64_t run, int64_t n, const uint8_t *labels, const int64_t *want, int nwant,
                     char **out, int *raw) {
    char *data, *test;
    if (data_paths(db, run, &data, &test) != 0)
        return -1;
    Corpus c;
    corpus_init(&c);
    int rc = source_read(&c, data, test, SPLIT_MASK(SPLIT_TEST));
    const Doc **docs = xmalloc((c.ndocs + 1) * sizeof *docs);
    int64_t m = 0;
    for (size_t i = 0; rc == 0 && i < c.ndocs; i++)
        if (c.docs[i].split == SPLIT_TEST && m <= n)
            docs[m++] = &c.docs[i];
    if (rc == 0 && m != n)
        rc = el_fail("the test data of run %lld (%.200s) now holds %lld reviews, not the %lld it was tested on",
                     (long long)run, test ? test : data, (long long)m, (long long)n);
    for (int64_t i = 0; rc == 0 && i < n; i++)
        if (docs[i]->label != labels[i])
            rc = el_fail("the test data of run %lld (%.200s) has changed since it was tested (review %lld's label)",
                         (long long)run, test ? test : data, (long long)i);
    if (rc == 0)
        texts_of(&c, docs, n, data, test, want, nwant, out, raw);
    free(docs);
    corpus_free(&c);
    free(data);
    free(test);
    return rc;
}
