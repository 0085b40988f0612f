/* embed/text/tok_unicode.c: the `unicode` kind. After the shared normalisation
 * (embed/text/tok_norm.h: UTF-8 checked, NFKC, case folding, runs cut to three):
 *   - a word is a maximal run of letters, marks and numbers (L*, M*, N*);
 *     an apostrophe (' or U+2019, written ') between two such characters
 *     stays inside it: "didn't", "l'amour", "rock'n'roll"; a run of Hangul
 *     compatibility jamo is a word of its own, since ㅋㅋㅋ (laughter), ㅠㅠ
 *     (tears) or ㄷㄷ (trembling) are interjections, often written against
 *     the next word: "ㅋㅋㅋ지금은" is "ㅋㅋㅋ" and "지금은";
 *   - punctuation and symbols (P*, S*), emoji included, are tokens of their
 *     own, since "!!!", "?", "^^" and 😀 carry sentiment; a run of one such
 *     character is one token ("!!!" stays whole, "?!" is "?" and "!");
 *   - a combining mark, an emoji skin tone or a flag's second half stays
 *     with the character it follows (tok_joins);
 *   - everything else (spaces, controls, U+FFFD) separates tokens and is
 *     dropped. */
#include <string.h>

#include "core/common.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"

static int unicode_init(Tokenizer *t, const char *options) {
    if (options)
        return el_fail("tokenizer unicode takes no options (got '%s')", options);
    strcpy(t->spec, "unicode");
    return 0;
}

static int apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019; }

static int unicode_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    (void)t;
    tok_normalize(in, n, out);
    const int32_t *c = out->cps;
    size_t m = out->cps_len;
    enum { NONE, WORD, PUNCT } open = NONE;
    int32_t first = 0; /* the character a punctuation token repeats */
    int ri = 0, jamo = 0;
    for (size_t i = 0; i < m; i++) {
        int32_t cp = c[i];
        if (tok_joins(cp, open != NONE, &ri)) {
            tokbuf_put_cp(out, cp);
            continue;
        }
        if (tok_word_char(cp)) {
            if (open != WORD || tok_compat_jamo(cp) != jamo)
                tokbuf_open(out);
            open = WORD;
            jamo = tok_compat_jamo(cp);
            tokbuf_put_cp(out, cp);
        } else if (tok_punct_char(cp)) {
            /* Inside a word only if the word goes on after it. */
            if (apostrophe(cp) && open == WORD && i + 1 < m && tok_word_char(c[i + 1]) &&
                tok_compat_jamo(c[i + 1]) == jamo) {
                tokbuf_put_cp(out, '\'');
                continue;
            }
            if (open != PUNCT || cp != first)
                tokbuf_open(out);
            open = PUNCT;
            first = cp;
            tokbuf_put_cp(out, cp);
        } else {
            open = NONE;
        }
    }
    return 0;
}

const TokenizerKind tok_unicode = {
    .name = "unicode", .query_form = TOK_QUERY_UNICODE, .init = unicode_init, .tokens = unicode_tokens};
