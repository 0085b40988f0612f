/* embed/text/textio.c: BOM, line ends and quoting for the text readers. */
#include "embed/text/textio.h"

#include <stdio.h>
#include <string.h>

size_t textio_skip_bom(const char *data, size_t len) {
    return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

const char *textio_line(const char *p, const char *end, size_t *len) {
    const char *q = p;
    while (q < end && *q != '\n' && *q != '\r')
        q++;
    *len = (size_t)(q - p);
    if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n')
        return q + 2; /* CRLF */
    return q < end ? q + 1 : end;
}

/* Length of the valid UTF-8 sequence at s[0..n) (lead byte >= 0x80) and its
 * code point, or 0 when the bytes are not UTF-8 (overlong, surrogate, cut). */
static size_t utf8_sequence(const unsigned char *s, size_t n, unsigned *cp) {
    size_t k = s[0] >= 0xF0 && s[0] <= 0xF4   ? 4
               : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
               : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
                                              : 0;
    if (k == 0 || k > n)
        return 0;
    unsigned c = s[0] & (0x7F >> k);
    for (size_t i = 1; i < k; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3F);
    }
    static const unsigned least[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < least[k] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return k;
}

/* Characters a terminal draws as nothing: C1 controls, zero-width and
 * direction marks, separators, the BOM. */
static int invisible(unsigned c) {
    return c < 0xA0 || c == 0xAD || (c >= 0x200B && c <= 0x200F) || (c >= 0x2028 && c <= 0x202E) ||
           (c >= 0x2060 && c <= 0x2064) || c == 0xFEFF;
}

const char *textio_quote(const char *s, size_t n, char *buf, size_t size) {
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        char piece[20];
        size_t used = 1;
        unsigned cp;
        if (u[i] == '\\') {
            snprintf(piece, sizeof piece, "\\\\");
        } else if (u[i] >= 0x20 && u[i] < 0x7f) {
            snprintf(piece, sizeof piece, "%c", u[i]);
        } else if (u[i] >= 0x80 && (used = utf8_sequence(u + i, n - i, &cp)) > 0 && !invisible(cp)) {
            memcpy(piece, s + i, used); /* a visible character: as it is */
            piece[used] = 0;
        } else {
            if (used == 0)
                used = 1; /* not UTF-8: this byte alone */
            size_t k = 0;
            for (size_t j = 0; j < used; j++)
                k += (size_t)snprintf(piece + k, sizeof piece - k, "\\x%02X", u[i + j]);
        }
        size_t k = strlen(piece);
        if (o + k + 4 > size) { /* keep room for "..." and the NUL */
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, piece, k);
        o += k;
        i += used;
    }
    buf[o] = 0;
    return buf;
}

long textio_control(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] == 0x7f)
            return (long)i;
    return -1;
}
