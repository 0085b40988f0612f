/* fuzz/fuzz_escape.c: the escapers of core/escape.c and the name check of
 * core/names.c on arbitrary bytes. Checks, beyond the sanitizers:
 *   esc_gnuplot  one single-quoted literal: quotes only in pairs inside, no
 *                control character; undoubling gives the input back, with
 *                control characters as '?'
 *   esc_html     no < > " ' left, every & starts one of the five references
 *   esc_markdown as esc_html, and no |
 *   esc_line     no control character, same length
 *   name_check   accepts only 1-64 bytes of [A-Za-z0-9._+-], first alphanumeric;
 *                name_fix always yields an accepted name */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/escape.h"
#include "core/names.h"

static int control(unsigned char c) { return c < 0x20 || c == 0x7f; }

static void must(int ok) {
    if (!ok)
        abort();
}

static void check_gnuplot(const char *in) {
    char *q = esc_gnuplot(in);
    size_t n = strlen(q), k = 0;
    must(n >= 2 && q[0] == '\'' && q[n - 1] == '\'');
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)q[i], want = (unsigned char)in[k];
        must(!control(c));
        if (c == '\'') {
            must(q[i + 1] == '\'' && i + 2 < n); /* a pair, never the closing quote */
            i++;
        }
        must(c == (control(want) ? '?' : want));
        k++;
    }
    must(in[k] == 0);
    free(q);
}

static void check_html(const char *in, int markdown) {
    char *h = markdown ? esc_markdown(in) : esc_html(in);
    static const char *refs[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;", "&#124;"};
    for (const char *p = h; *p; p++) {
        must(!control((unsigned char)*p) && !strchr("<>\"'", *p) && !(markdown && *p == '|'));
        if (*p == '&') {
            int known = 0;
            for (int r = 0; r < 6; r++)
                known |= strncmp(p, refs[r], strlen(refs[r])) == 0;
            must(known);
        }
    }
    free(h);
}

static int in_alphabet(const char *s) {
    size_t n = strlen(s);
    if (n < 1 || n > NAME_MAX_LEN)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !strchr("._+-", c)))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = xstrndup((const char *)data, size); /* stops at the first NUL, as any C string does */
    check_gnuplot(s);
    check_html(s, 0);
    check_html(s, 1);
    char *line = esc_line(s);
    must(strlen(line) == strlen(s));
    for (const char *p = line; *p; p++)
        must(!control((unsigned char)*p));
    free(line);
    must((name_check("embedding", s) == 0) == in_alphabet(s));
    char *fixed = xmalloc(strlen(s) + 2);
    strcpy(fixed, s);
    name_fix(fixed);
    must(name_check("embedding", fixed) == 0);
    free(fixed);
    free(s);
    return 0;
}
