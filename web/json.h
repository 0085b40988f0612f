/* web/json.h: JSON text built in C for the answers SQL cannot give alone
 * (nearest words, projections, predictions), into a growing buffer.
 *
 *   jb_raw/jb_str/jb_num/jb_int  append text, a string literal, a number
 *   jb_key                        a "key": inside an object
 *
 * Strings are escaped for JSON and for any page they reach: quotes,
 * backslashes and control characters, and also < > & as \u escapes, so a
 * word from lab.db can never close a script or start markup. */
#ifndef EL_WEB_JSON_H
#define EL_WEB_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *data; /* NUL-terminated; NULL while empty */
    size_t len, cap;
} JsonBuf;

void jb_raw(JsonBuf *b, const char *s);
void jb_rawn(JsonBuf *b, const char *s, size_t n);
void jb_str(JsonBuf *b, const char *s);
void jb_strn(JsonBuf *b, const char *s, size_t n);
/* A finite number with 7 significant digits (float32 data), null otherwise. */
void jb_num(JsonBuf *b, double v);
void jb_int(JsonBuf *b, int64_t v);
/* "key": (a comma first unless first). */
void jb_key(JsonBuf *b, const char *key, int first);
void jb_free(JsonBuf *b);

#endif
