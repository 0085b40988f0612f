/* embed/text/tok_words.c: the `words` kind, embed/text/text.c's text spec as it is
 * (ARCHITECTURE.md "The words text spec"). Invalid UTF-8 stays as bytes, as
 * the spec says; it is only counted. */
#include <string.h>

#include "core/common.h"
#include "embed/text/text.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"

static int words_init(Tokenizer *t, const char *options) {
    if (options)
        return el_fail("tokenizer words takes no options (got '%s')", options);
    strcpy(t->spec, "words");
    return 0;
}

static int words_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    (void)t;
    tokbuf_reserve(out, n + 1); /* text_tokens() never writes more than n + 1 bytes */
    out->len = text_tokens(in, n, out->text);
    out->ntokens = 0;
    if (out->len > 0) {
        out->ntokens = 1;
        for (const char *p = out->text; (p = memchr(p, ' ', out->text + out->len - p)); p++)
            out->ntokens++;
    }
    out->invalid = utf8_invalid(in, n);
    return 0;
}

const TokenizerKind tok_words = {
    .name = "words", .query_form = TOK_QUERY_WORDS, .init = words_init, .tokens = words_tokens};
