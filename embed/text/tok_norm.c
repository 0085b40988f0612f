/* embed/text/tok_norm.c: UTF-8 checking and the shared normalisation, through
 * utf8proc's Unicode tables (no hand-written ones). Needs nothing from core/
 * (the SQL extension carries it, for tok_query_word). */
#include "embed/text/tok_norm.h"
#include "embed/text/text.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* realloc, or abort when memory is out (core/common.c's xrealloc does the
 * same for the library; this file stays free of core/ for the extension). */
static void *grow(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

size_t utf8_next(const unsigned char *p, size_t n, int32_t *cp) {
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    /* The lead byte fixes the length and the range of the second byte. */
    size_t need;
    unsigned lo = 0x80, hi = 0xbf;
    int32_t v;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
        v = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        v = c & 0x0f;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* no overlong forms */
        hi = c == 0xed ? 0x9f : 0xbf; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        v = c & 0x07;
        lo = c == 0xf0 ? 0x90 : 0x80; /* no overlong forms */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* nothing above U+10FFFF */
    } else {
        *cp = -1; /* a continuation byte, C0, C1 or F5..FF: never a lead */
        return 1;
    }
    size_t i = 1;
    for (; i <= need; i++) {
        if (i >= n || p[i] < lo || p[i] > hi) {
            *cp = -1;
            return i;
        }
        v = v << 6 | (p[i] & 0x3f);
        lo = 0x80;
        hi = 0xbf;
    }
    *cp = v;
    return i;
}

size_t utf8_invalid(const char *in, size_t n) {
    const unsigned char *p = (const unsigned char *)in;
    size_t bad = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        i += utf8_next(p + i, n - i, &cp);
        bad += cp < 0;
    }
    return bad;
}

static const utf8proc_option_t NFKC_CASEFOLD =
    UTF8PROC_COMPAT | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STABLE;

int tok_compat_jamo(int32_t cp) { return cp >= 0x3131 && cp <= 0x318e; }

static void reserve_cps(TokenBuf *b, size_t more) {
    if (b->cps_len + more <= b->cps_cap)
        return;
    size_t cap = b->cps_cap ? b->cps_cap : 256;
    while (cap < b->cps_len + more)
        cap *= 2;
    b->cps = grow(b->cps, cap * sizeof *b->cps);
    b->cps_cap = cap;
}

/* Step 1: b->bytes becomes in[0..n) as well-formed UTF-8; returns its length. */
static size_t clean(const char *in, size_t n, TokenBuf *b) {
    if (n > (SIZE_MAX - 1) / 3)
        abort(); /* cannot be: no such text fits in memory */
    if (3 * n + 1 > b->bytes_cap) {
        b->bytes_cap = 3 * n + 1; /* U+FFFD (3 bytes) for every byte at worst */
        b->bytes = grow(b->bytes, b->bytes_cap);
    }
    const unsigned char *p = (const unsigned char *)in;
    char *o = b->bytes;
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            size_t br = p[i] == '<' ? text_line_break_len(in + i, in + n) : 0;
            o[k++] = p[i] && !br ? (char)p[i] : ' ';
            i += br ? br : 1;
            continue;
        }
        int32_t cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (cp < 0) {
            memcpy(o + k, "\xef\xbf\xbd", 3);
            k += 3;
            b->invalid++;
        } else {
            memcpy(o + k, p + i, len);
            k += len;
        }
        i += len;
    }
    o[k] = 0;
    return k;
}

/* Appends the NFKC-casefold decomposition of s[0..n) (well-formed) to b->cps. */
static void decompose(const char *s, size_t n, TokenBuf *b) {
    if (n == 0)
        return;
    reserve_cps(b, n + 16);
    for (;;) {
        size_t room = b->cps_cap - b->cps_len;
        utf8proc_ssize_t r =
            utf8proc_decompose_custom((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, b->cps + b->cps_len,
                                      (utf8proc_ssize_t)room, NFKC_CASEFOLD, NULL, NULL);
        if (r < 0)
            return; /* cannot be: clean() made s well-formed; drop it rather than crash */
        if ((size_t)r <= room) {
            b->cps_len += (size_t)r;
            return;
        }
        reserve_cps(b, (size_t)r); /* r is what it needs: grow and decompose again */
    }
}

/* Step 3, in place. */
static void cut_repeats(TokenBuf *b) {
    size_t k = 0, run = 0;
    for (size_t i = 0; i < b->cps_len; i++) {
        int32_t cp = b->cps[i];
        run = k > 0 && b->cps[k - 1] == cp ? run + 1 : 1;
        if (run > TOK_MAX_REPEAT && utf8proc_category(cp) != UTF8PROC_CATEGORY_ND)
            continue;
        b->cps[k++] = cp;
    }
    b->cps_len = k;
}

/* The non-starters (canonical combining class not 0) at the start and at
 * the end of cp's NFKC-casefold decomposition, in *lead and *trail; returns
 * 1 when it holds no starter (then *lead is its length and *trail 0: the
 * run it is part of goes on). */
static int nonstarters(int32_t cp, size_t *lead, size_t *trail) {
    utf8proc_int32_t d[32];
    int boundclass = 0;
    utf8proc_ssize_t r = utf8proc_decompose_char(cp, d, 32, NFKC_CASEFOLD, &boundclass);
    if (r < 0 || r > 32) { /* cannot be: no character decomposes to more than 18 */
        *lead = TOK_STREAM_SAFE + 1;
        *trail = 0;
        return 0;
    }
    size_t m = (size_t)r, i = 0, j = m;
    while (i < m && utf8proc_get_property(d[i])->combining_class != 0)
        i++;
    while (j > i && utf8proc_get_property(d[j - 1])->combining_class != 0)
        j--;
    *lead = i;
    *trail = m - j;
    return i == m;
}

void tok_normalize(const char *in, size_t n, TokenBuf *b) {
    b->invalid = 0;
    b->cps_len = 0;
    size_t len = clean(in, n, b);
    /* Step 2: decompose each stretch between compatibility jamo, which pass
     * through as they are; then compose the whole. Composition leaves the
     * jamo alone: they are not conjoining jamo. A run of more than
     * TOK_STREAM_SAFE non-starters is decomposed in stretches too: utf8proc
     * puts a run in canonical order by swapping neighbours, which is
     * quadratic in its length (e and 20,000 pairs U+0301 U+0327 took 3 s).
     * Cutting the run where Unicode's Stream-Safe Text Format (UAX #15)
     * puts a U+034F COMBINING GRAPHEME JOINER (which the normalisation
     * drops as ignorable) keeps it linear and changes no text with shorter
     * runs, that is all text in any language. */
    const char *s = b->bytes, *seg = s;
    size_t run = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t l = utf8_next((const unsigned char *)s + i, len - i, &cp);
        if (tok_compat_jamo(cp)) {
            decompose(seg, (size_t)(s + i - seg), b);
            reserve_cps(b, 1);
            b->cps[b->cps_len++] = cp;
            seg = s + i + l;
            run = 0;
        } else if (cp < 0x80)
            run = 0; /* a starter that decomposes to itself */
        else {
            size_t lead, trail;
            int all = nonstarters(cp, &lead, &trail);
            if (run + lead > TOK_STREAM_SAFE) {
                decompose(seg, (size_t)(s + i - seg), b);
                seg = s + i;
                run = 0;
            }
            run = all ? run + lead : trail;
        }
        i += l;
    }
    decompose(seg, (size_t)(s + len - seg), b);
    if (b->cps_len > 0) {
        utf8proc_ssize_t r = utf8proc_normalize_utf32(b->cps, (utf8proc_ssize_t)b->cps_len, NFKC_CASEFOLD);
        b->cps_len = r > 0 ? (size_t)r : 0;
    }
    cut_repeats(b);
}

int tok_joins(int32_t cp, int open, int *ri) {
    int bc = utf8proc_get_property(cp)->boundclass;
    int regional = bc == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR;
    int joins = open && (bc == UTF8PROC_BOUNDCLASS_EXTEND || bc == UTF8PROC_BOUNDCLASS_SPACINGMARK ||
                         bc == UTF8PROC_BOUNDCLASS_E_MODIFIER || (regional && *ri % 2 == 1));
    /* Only the parity matters: a flag is an odd indicator and the next one. */
    *ri = regional ? *ri + 1 : 0;
    return joins;
}

int tok_word_char(int32_t cp) {
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO;
}

int tok_punct_char(int32_t cp) {
    utf8proc_category_t c = utf8proc_category(cp);
    return c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_SO && cp != 0xfffd;
}

size_t utf8_columns(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), cols = 0;
    while (n > 0) {
        int32_t cp;
        size_t len = utf8_next(p, n, &cp);
        int w = cp < 0 ? 1 : utf8proc_charwidth(cp);
        cols += w > 0 ? (size_t)w : 0;
        p += len;
        n -= len;
    }
    return cols;
}

static const char *const form_names[TOK_QUERY_FORMS] = {"given", "words", "unicode"};

const char *tok_query_form_name(TokQueryForm form) {
    return (unsigned)form < TOK_QUERY_FORMS ? form_names[form] : NULL;
}

int tok_query_form_parse(const char *s, size_t n, TokQueryForm *form) {
    for (int f = 0; s && f < TOK_QUERY_FORMS; f++)
        if (strlen(form_names[f]) == n && memcmp(s, form_names[f], n) == 0) {
            *form = (TokQueryForm)f;
            return 0;
        }
    return -1;
}

char *tok_query_word(TokQueryForm form, const char *word, size_t n, size_t *len) {
    TokenBuf b;
    memset(&b, 0, sizeof b);
    char *out = NULL;
    size_t k = 0;
    TokQueryForm how = form;
    if (how == TOK_QUERY_WORDS) {
        out = grow(NULL, n + 1); /* text_tokens() writes at most n + 1 bytes */
        k = text_tokens(word, n, out);
        if (k == 0 || memchr(out, ' ', k)) /* not one token: the word as given */
            how = TOK_QUERY_AS_GIVEN;
    } else if (how == TOK_QUERY_UNICODE) {
        tok_normalize(word, n, &b);
        out = grow(NULL, 4 * b.cps_len + 1);
        for (size_t i = 0; i < b.cps_len; i++)
            k += (size_t)utf8proc_encode_char(b.cps[i], (utf8proc_uint8_t *)out + k);
        if (k == 0)
            how = TOK_QUERY_AS_GIVEN;
    }
    if (how != TOK_QUERY_WORDS && how != TOK_QUERY_UNICODE) {
        out = grow(out, n + 1);
        memcpy(out, word, n);
        k = n;
    }
    out[k] = 0;
    free(b.cps);
    free(b.bytes);
    *len = k;
    return out;
}
