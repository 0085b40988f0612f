/* fuzz/fuzz_tsv.c: the LABEL<TAB>TEXT reader and the plain-lines reader on
 * any file, through the words, unicode and chars tokenizers. Either a clean
 * load (every document labeled 0 or 1, tokens accounted for) or an error
 * that leaves the corpus exactly as it was, its invalid UTF-8 count too. */
#include "fuzz/scratch.h" /* first: it defines _GNU_SOURCE for memfd_create and nftw */

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/common.h"
#include "embed/data/corpus.h"

static void check(const Corpus *c, size_t docs_before, int labeled) {
    size_t expect = 0;
    for (size_t d = 0; d < c->ndocs; d++) {
        if (c->docs[d].start != expect)
            abort();
        expect += c->docs[d].len;
        for (uint32_t i = 0; i < c->docs[d].len; i++)
            if (c->tokens[c->docs[d].start + i] < 0 || c->tokens[c->docs[d].start + i] >= c->dict.size)
                abort();
        if (d >= docs_before && labeled && c->docs[d].label != 0 && c->docs[d].label != 1)
            abort();
    }
    if (expect != c->ntokens)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static Tokenizer *toks[3]; /* words (NULL), unicode, chars: made once, read-only after */
    if (!toks[1] && (tokenizer_new("unicode", &toks[1]) != 0 || tokenizer_new("chars", &toks[2]) != 0))
        abort();
    char path[64];
    int fd = scratch_memfile(data, size, path, sizeof path);
    for (int run = 0; run < 4; run++) {
        int labeled = run > 0;
        Corpus c;
        corpus_init(&c);
        c.tok = labeled ? toks[run - 1] : NULL;
        corpus_add_text(&c, "kept", 4, 1, 0, SPLIT_TRAIN);
        size_t kept = c.ntokens; /* 1 token, or 4 characters */
        int rc = labeled ? corpus_load_tsv(&c, path, SPLIT_TEST) : corpus_load_lines(&c, path, SPLIT_TEST);
        if (rc != 0 && (c.ndocs != 1 || c.ntokens != kept || c.invalid != 0 || el_error()[0] == 0))
            abort(); /* a failed load must leave the corpus as it was */
        if (rc == 0 && c.ndocs < 2)
            abort();
        check(&c, 1, labeled);
        corpus_free(&c);
    }
    close(fd);
    return 0;
}
