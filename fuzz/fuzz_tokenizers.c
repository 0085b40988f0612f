/* fuzz/fuzz_tokenizers.c: every tokenizer kind (embed/text/tokenizer.h) on
 * arbitrary bytes, and arbitrary bytes as a SentencePiece model. Checks,
 * beyond the sanitizers:
 *   all kinds   the tokens are text's length, NUL-terminated, single spaces
 *               between non-empty tokens, ntokens of them
 *   words       exactly text_tokens()
 *   unicode,    well-formed UTF-8 out, whatever came in; tokenizing the
 *   chars       output again gives it back with nothing invalid
 *   spm         (a tiny model trained once, in LLVMFuzzerInitialize)
 *               well-formed UTF-8 out, the invalid count the unicode kind's
 *   load        bytes that start with '#': the rest as a model; refused or
 *               loaded, and a loaded one tokenizes */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/text/text.h"
#include "embed/text/tok_norm.h"
#include "embed/text/tokenizer.h"

static Tokenizer *words, *unicode, *chars, *spm;
static TokenBuf buf, again;

static void must(int ok) {
    if (!ok)
        abort();
}

static const char *const training[] = {"영화가 정말 최고다!!!! ㅋㅋㅋㅋㅋ 10점 만점에 10점",
                                       "배우의 연기는 너무 지루하다 ㅠㅠ", "Netflix에서 본 movie 😀👍 I<br />LOVED it",
                                       "didn't like it... 3/10", "ＡＢＣ１２３ Straße ﬁn 🇰🇷 👍🏽"};

static int next_text(void *ctx, const char **text, size_t *n) {
    size_t *i = ctx;
    if (*i == sizeof training / sizeof *training)
        return 0;
    *text = training[*i];
    *n = strlen(training[(*i)++]);
    return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    size_t i = 0;
    TextIter it = {next_text, &i};
    must(tokenizer_new("words", &words) == 0 && tokenizer_new("unicode", &unicode) == 0 &&
         tokenizer_new("chars", &chars) == 0 && tokenizer_new("spm:bpe:60", &spm) == 0 &&
         tokenizer_train(spm, &it) == 0);
    return 0;
}

static void check_shape(const TokenBuf *b) {
    must(strlen(b->text) == b->len);
    size_t count = b->len > 0;
    for (size_t i = 0; i < b->len; i++)
        if (b->text[i] == ' ') {
            must(i > 0 && i + 1 < b->len && b->text[i + 1] != ' ');
            count++;
        }
    must(count == b->ntokens);
}

static void check_idempotent(const Tokenizer *t, const TokenBuf *b) {
    must(utf8_invalid(b->text, b->len) == 0);
    must(tokenizer_tokens(t, b->text, b->len, &again) == 0);
    must(again.invalid == 0 && again.len == b->len && memcmp(again.text, b->text, b->len) == 0);
}

static void load_model(const uint8_t *data, size_t size) {
    Tokenizer *t;
    must(tokenizer_new("spm", &t) == 0);
    if (tokenizer_load(t, data, size) == 0) {
        must(tokenizer_tokens(t, training[0], strlen(training[0]), &buf) == 0);
        check_shape(&buf);
    }
    tokenizer_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = (const char *)data;
    if (size > 0 && data[0] == '#') {
        load_model(data + 1, size - 1);
        return 0;
    }
    char *old = xmalloc(size + 1);
    size_t old_len = text_tokens(in, size, old);
    must(tokenizer_tokens(words, in, size, &buf) == 0);
    check_shape(&buf);
    must(buf.len == old_len && memcmp(buf.text, old, old_len) == 0);
    size_t invalid = buf.invalid;
    free(old);

    must(tokenizer_tokens(unicode, in, size, &buf) == 0);
    check_shape(&buf);
    must(buf.invalid == invalid);
    check_idempotent(unicode, &buf);

    must(tokenizer_tokens(chars, in, size, &buf) == 0);
    check_shape(&buf);
    must(buf.invalid == invalid);
    check_idempotent(chars, &buf);

    must(tokenizer_tokens(spm, in, size, &buf) == 0);
    check_shape(&buf);
    must(buf.invalid == invalid && utf8_invalid(buf.text, buf.len) == 0);
    return 0;
}
