/* web/json.c: JSON text into a growing buffer (web/json.h). */
#include "web/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* Room for n more bytes and the NUL. */
static void reserve(JsonBuf *b, size_t n) {
    if (b->len + n + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
}

void jb_rawn(JsonBuf *b, const char *s, size_t n) {
    reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void jb_raw(JsonBuf *b, const char *s) { jb_rawn(b, s, strlen(s)); }

void jb_strn(JsonBuf *b, const char *s, size_t n) {
    reserve(b, n * 6 + 2);
    char *o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        } else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&') {
            o += sprintf(o, "\\u%04x", c);
        } else {
            *o++ = (char)c;
        }
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->data);
}

void jb_str(JsonBuf *b, const char *s) {
    if (!s)
        jb_raw(b, "null");
    else
        jb_strn(b, s, strlen(s));
}

void jb_num(JsonBuf *b, double v) {
    char t[40];
    if (!isfinite(v))
        jb_raw(b, "null");
    else {
        snprintf(t, sizeof t, "%.7g", v);
        jb_raw(b, t);
    }
}

void jb_int(JsonBuf *b, int64_t v) {
    char t[32];
    snprintf(t, sizeof t, "%lld", (long long)v);
    jb_raw(b, t);
}

void jb_key(JsonBuf *b, const char *key, int first) {
    if (!first)
        jb_raw(b, ",");
    jb_str(b, key);
    jb_raw(b, ":");
}

void jb_free(JsonBuf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
