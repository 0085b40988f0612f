/* web/review_text.h: the test reviews behind a run's stored predictions,
 * as their words, for the compare view's disagreements. */
#ifndef EL_WEB_REVIEW_TEXT_H
#define EL_WEB_REVIEW_TEXT_H

#include <sqlite3.h>
#include <stdint.h>

/* out[i] (malloc'ed; free each) = the words of test review want[i] of the
 * data run was trained on ($.data and $.test_data of its config, read as
 * `train` reads them, tokenized by the words spec), at most 80 of them.
 * The reviews are checked against the stored predictions first: n of them,
 * with labels[0..n) as their labels, else it is another file now. 0, or -1
 * with a message (out untouched). */
int web_review_texts(sqlite3 *db, int64_t run, int64_t n, const uint8_t *labels, const int64_t *want, int nwant,
                     char **out);

#endif
