/* fuzz/fuzz_spm_model.c: arbitrary bytes as a stored SentencePiece model
 * (a tokenizers row of a lab.db from someone else). Each input is checked
 * (embed/text/spm_model.h) and loaded under both model types; a model that
 * loads tokenizes a few texts. Checks, beyond the sanitizers and
 * libFuzzer's time and memory limits:
 *   - a model spm_model_check refuses is refused by tokenizer_load too, so
 *     SentencePiece never parses it;
 *   - a loaded model's tokens hold no space (each piece one token) and are
 *     well-formed UTF-8, or tokenizing fails with a message.
 * Seeds (fuzz/corpus/spm_model/): a unigram and a bpe model embedlab
 * trained on a few synthetic lines, and one with a crafted normalizer rule
 * (tests/spm_craft.h) that crashed libsentencepiece before the check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embed/text/spm_model.h"
#include "embed/text/tok_norm.h"
#include "embed/text/tokenizer.h"

static TokenBuf buf;

static void must(int ok) {
    if (!ok)
        abort();
}

static const char *const texts[] = {"영화가 정말 최고다!!!! ㅋㅋㅋㅋㅋ 10점 만점에 10점", "didn't like it... 3/10",
                                    "ＡＢＣ１２３ Straße ﬁn 🇰🇷 👍🏽", "\xff\xfe broken \xe2\x82"};

static void try_load(const char *spec, const char *type, const uint8_t *data, size_t size) {
    Tokenizer *t;
    must(tokenizer_new(spec, &t) == 0);
    char why[256];
    int valid = spm_model_check(data, size, type, 1000000, why, sizeof why) == 0;
    int loaded = tokenizer_load(t, data, size) == 0;
    must(valid || !loaded);
    for (size_t i = 0; loaded && i < sizeof texts / sizeof *texts; i++) {
        /* An error is an answer (SentencePiece may find a model it loaded
         * cannot cut a text: "all normalized characters are not consumed"). */
        if (tokenizer_tokens(t, texts[i], strlen(texts[i]), &buf) != 0)
            continue;
        must(strlen(buf.text) == buf.len && utf8_invalid(buf.text, buf.len) == 0);
        size_t spaces = 0;
        for (size_t k = 0; k < buf.len; k++)
            spaces += buf.text[k] == ' ';
        must(buf.len == 0 || spaces + 1 == buf.ntokens);
    }
    tokenizer_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try_load("spm:unigram:1000000", "unigram", data, size);
    try_load("spm:bpe:1000000", "bpe", data, size);
    return 0;
}
