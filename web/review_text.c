/* web/review_text.c: test reviews by their index in the test split
 * (web/review_text.h). */
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

/* The words of doc d, at most 80, space-separated. */
static char *words_of(const Corpus *c, const Doc *d) {
    JsonBuf b = {0};
    uint32_t n = d->len < 80 ? d->len : 80;
    for (uint32_t k = 0; k < n; k++) {
        if (k)
            jb_raw(&b, " ");
        jb_raw(&b, dict_word(&c->dict, c->tokens[d->start + k]));
    }
    if (d->len > n)
        jb_raw(&b, " ...");
    return b.data ? b.data : xstrdup("");
}

int web_review_texts(sqlite3 *db, int64_t run, int64_t n, const uint8_t *labels, const int64_t *want, int nwant,
                     char **out) {
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
    for (int i = 0; rc == 0 && i < nwant; i++)
        out[i] = want[i] >= 0 && want[i] < n ? words_of(&c, docs[want[i]]) : xstrdup("");
    free(docs);
    corpus_free(&c);
    free(data);
    free(test);
    return rc;
}
