/* embed/text/textio.h: the small rules every reader of user text files shares.
 *
 *   textio_skip_bom  a UTF-8 byte order mark at the start of a file is not text
 *   textio_line      one line at a time, ending at LF, CRLF or a lone CR (old
 *                    Mac files), so every platform's files read the same
 *   textio_quote     input bytes made safe to show in an error message:
 *                    visible characters as they are, everything else as \xHH
 *   textio_control   the first control byte of a word, for readers that refuse
 *                    them (a NUL or newline cannot survive being written back) */
#ifndef EL_TEXTIO_H
#define EL_TEXTIO_H

#include <stddef.h>

/* Bytes of a UTF-8 BOM at data[0..len): 3 or 0. */
size_t textio_skip_bom(const char *data, size_t len);

/* The line starting at p (p < end): *len gets its length without the line
 * end; returns where the next line starts (end for the last one). */
const char *textio_line(const char *p, const char *end, size_t *len);

/* Writes s[0..n) into buf (size >= 8): printable ASCII and visible UTF-8
 * characters as they are, a backslash as \\, and every other byte (controls,
 * NUL, invalid UTF-8, invisible characters such as a BOM) as \xHH; cut with
 * "..." to fit. Returns buf. */
const char *textio_quote(const char *s, size_t n, char *buf, size_t size);

/* Offset of the first byte below 0x20 or equal to 0x7f in s[0..n), or -1. */
long textio_control(const char *s, size_t n);

#endif
