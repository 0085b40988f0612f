/* fuzz/fuzz_tokenize.c: the tokenizer and the text-reading helpers on any bytes.
 * Checks the contracts: output no longer than input, only token bytes and
 * single spaces, tokenizing twice changes nothing; line splitting covers the
 * input exactly; quoting never overflows its buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embed/text/text.h"
#include "embed/text/textio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = (const char *)data;
    char *out = malloc(size + 1), *again = malloc(size + 1);
    size_t len = text_tokens(in, size, out);
    if (len > size || out[len] != 0)
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)out[i];
        int token = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
        if (!token && !(c == ' ' && i > 0 && i + 1 < len && out[i + 1] != ' '))
            abort();
    }
    if (len && (out[0] == '\'' || out[len - 1] == '\''))
        abort();
    if (text_tokens(out, len, again) != len || memcmp(out, again, len) != 0)
        abort();

    /* Lines: every byte is in exactly one line or one line end. */
    size_t covered = 0, lines = 0;
    for (const char *p = in + textio_skip_bom(in, size), *end = in + size; p < end; lines++) {
        size_t n;
        const char *next = textio_line(p, end, &n);
        if (next <= p || next > end || p + n > next || memchr(p, '\n', n) || memchr(p, '\r', n))
            abort();
        covered += (size_t)(next - p);
        p = next;
    }
    if (covered + textio_skip_bom(in, size) != size || lines > size)
        abort();

    /* Quoting into every small buffer size stays inside it. */
    char quoted[72];
    for (size_t cap = 8; cap <= 64; cap += 7) {
        memset(quoted, 'Z', sizeof quoted);
        textio_quote(in, size, quoted, cap);
        if (strlen(quoted) >= cap || quoted[cap] != 'Z')
            abort();
        for (const char *q = quoted; *q; q++)
            if ((unsigned char)*q < 0x20 || *q == 0x7f)
                abort(); /* nothing a terminal would act on */
    }
    free(out);
    free(again);
    return 0;
}
