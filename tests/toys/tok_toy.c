/* tests/toys/tok_toy.c: a tokenizer kind that exists only in the test build
 * (ARCHITECTURE.md, "How to add"): `toy`, the shared normalisation
 * (tok_normalize: NFKC, case folding) and then runs of letters and marks,
 * every other code point (digits included) a separator. Its query form is
 * tok_normalize's, declared in its entry: an embedding made with it records
 * that, so SQL nearest() looks `ＧＲＥＡＴ` up as `great` with no code of
 * this file in the extension (tests/cli_toys.sh). */
#include <string.h>

#include "core/common.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"
#include "tests/toys/toys.h"

static int toy_init(Tokenizer *t, const char *options) {
    if (options)
        return el_fail("tokenizer toy takes no options (got '%s')", options);
    strcpy(t->spec, "toy");
    return 0;
}

/* A letter or a mark after normalisation: a decimal digit is not one. */
static int toy_char(int32_t cp) { return tok_word_char(cp) && !(cp >= '0' && cp <= '9'); }

static int toy_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    (void)t;
    tok_normalize(in, n, out);
    int open = 0;
    for (size_t i = 0; i < out->cps_len; i++) {
        int32_t cp = out->cps[i];
        if (!toy_char(cp)) {
            open = 0;
            continue;
        }
        if (!open)
            tokbuf_open(out);
        open = 1;
        tokbuf_put_cp(out, cp);
    }
    return 0;
}

const TokenizerKind tok_toy = {.name = "toy", .query_form = TOK_QUERY_UNICODE, .init = toy_init, .tokens = toy_tokens};
