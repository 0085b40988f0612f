/* embed/text/text.c: the tokenizer. One pass over the bytes, no allocation. */
#include "embed/text/text.h"

#include <stdint.h>

/* Byte classes: 1 = part of a token (after lowercasing), 0 = separator. */
static const uint8_t *token_class(void) {
    static uint8_t table[256];
    static int ready;
    if (!ready) {
        for (int c = 0; c < 256; c++)
            table[c] =
                (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
        ready = 1;
    }
    return table;
}

size_t text_line_break_len(const char *p, const char *end) {
    if (end - p < 4 || (p[1] | 0x20) != 'b' || (p[2] | 0x20) != 'r')
        return 0;
    if (p[3] == '>')
        return 4;
    if (p[3] == '/' && end - p >= 5 && p[4] == '>')
        return 5;
    if (p[3] == ' ' && end - p >= 6 && p[4] == '/' && p[5] == '>')
        return 6;
    return 0;
}

size_t text_tokens(const char *in, size_t n, char *out) {
    const uint8_t *cls = token_class();
    const char *p = in, *end = in + n;
    size_t o = 0;
    while (p < end) {
        /* Skip separators, line breaks included. */
        while (p < end && !cls[(uint8_t)*p]) {
            size_t br = *p == '<' ? text_line_break_len(p, end) : 0;
            p += br ? br : 1;
        }
        if (p >= end)
            break;
        /* A run of token bytes; apostrophes at either end do not count. */
        while (p < end && *p == '\'')
            p++;
        size_t start = o + (o > 0);
        size_t last_kept = 0; /* one past the last non-apostrophe byte, relative to start */
        size_t len = 0;
        while (p < end && cls[(uint8_t)*p]) {
            char c = *p++;
            if (c >= 'A' && c <= 'Z')
                c += 32;
            out[start + len++] = c;
            if (c != '\'')
                last_kept = len;
        }
        if (last_kept > 0) {
            if (o > 0)
                out[o] = ' ';
            o = start + last_kept;
        }
    }
    out[o] = 0;
    return o;
}
