/* embed/text/tok_chars.c: the `chars` kind, one token per character after the
 * shared normalisation (embed/text/tok_norm.h), for character-level models: a
 * Hangul syllable, a letter, a digit, a punctuation mark or an emoji each
 * makes a token, with any combining mark or skin tone that follows it, and a
 * flag (two regional indicators) is one token (tok_joins).
 * Spaces, controls and U+FFFD are dropped. */
#include <string.h>

#include "core/common.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"

static int chars_init(Tokenizer *t, const char *options) {
    if (options)
        return el_fail("tokenizer chars takes no options (got '%s')", options);
    strcpy(t->spec, "chars");
    return 0;
}

static int chars_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    (void)t;
    tok_normalize(in, n, out);
    int open = 0, ri = 0;
    for (size_t i = 0; i < out->cps_len; i++) {
        int32_t cp = out->cps[i];
        if (tok_joins(cp, open, &ri)) {
            tokbuf_put_cp(out, cp);
            continue;
        }
        open = tok_word_char(cp) || tok_punct_char(cp);
        if (open) {
            tokbuf_open(out);
            tokbuf_put_cp(out, cp);
        }
    }
    return 0;
}

const TokenizerKind tok_chars = {
    .name = "chars", .query_form = TOK_QUERY_UNICODE, .init = chars_init, .tokens = chars_tokens};
