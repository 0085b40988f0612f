/* core/escape.c: escaping for gnuplot scripts, plain lines, HTML and Markdown. */
#include "core/escape.h"

#include <string.h>

#include "core/common.h"

static int is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/* The one escaping loop: each byte of s goes out as itself, as '?' when it is
 * a control character, or as the replacement that table() gives it. The
 * worst case is 6 output bytes per input byte ("&#124;", "&quot;"). A NULL
 * s (a NULL column of a lab.db from elsewhere) is the empty string. */
static char *escape(const char *s, const char *quote, const char *(*table)(unsigned char)) {
    if (!s)
        s = "";
    size_t n = strlen(s), q = strlen(quote);
    char *out = xmalloc(6 * n + 2 * q + 1), *p = out;
    memcpy(p, quote, q);
    p += q;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        const char *r = table ? table(c) : NULL;
        if (r) {
            size_t k = strlen(r);
            memcpy(p, r, k);
            p += k;
        } else {
            *p++ = is_control(c) ? '?' : (char)c;
        }
    }
    memcpy(p, quote, q);
    p[q] = 0;
    return out;
}

static const char *gnuplot_table(unsigned char c) { return c == '\'' ? "''" : NULL; }

static const char *html_table(unsigned char c) {
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    }
    return NULL;
}

static const char *markdown_table(unsigned char c) { return c == '|' ? "&#124;" : html_table(c); }

char *esc_gnuplot(const char *s) { return escape(s, "'", gnuplot_table); }
char *esc_line(const char *s) { return escape(s, "", NULL); }
char *esc_html(const char *s) { return escape(s, "", html_table); }
char *esc_markdown(const char *s) { return escape(s, "", markdown_table); }
