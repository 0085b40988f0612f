/* web/review_text.h: the test reviews behind a run's stored predictions,
 * as written (else as their words), for the compare view's disagreements. */
#ifndef EL_WEB_REVIEW_TEXT_H
#define EL_WEB_REVIEW_TEXT_H

#include <sqlite3.h>
#include <stdint.h>

/* out[i] (malloc'ed; free each) = test review want[i] of the data run was
 * trained on ($.data and $.test_data of its config, read as `train` reads
 * them): its text as written (at most 4,000 bytes), raw[i] 1, when that text
 * still gives the review's tokens under the words spec; else its words, at
 * most 80, raw[i] 0. The reviews are checked against the stored predictions
 * first: n of them, with labels[0..n) as their labels, else it is another
 * file now. 0, or -1 with a message (out untouched). */
int web_review_texts(sqlite3 *db, int64_t run, int64_t n, const uint8_t *labels, const int64_t *want, int nwant,
                     char **out, int *raw);

/* out[i] = the raw text of test review want[i] of data (test: its test
 * file, for kinds that take one), as web/review_raw.c reads it, NULL for
 * one it cannot read; 0, or -1 with a message (a kind it cannot read). */
int web_review_raw(const char *data, const char *test, const int64_t *want, int nwant, char **out);

#endif
