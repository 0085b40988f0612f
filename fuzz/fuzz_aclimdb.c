/* fuzz/fuzz_aclimdb.c: the aclImdb folder reader on a small tree made from
 * the input. The bytes split at each 0xFF into up to 8 pieces; piece k is
 * the review train|test / neg|pos / K_R.txt (its first byte picks where and
 * the rating R, the rest is the text); the first byte of the input also
 * drops a folder now and then, to reach the errors. The tree lives in a
 * fresh temporary folder removed after each input: the files the input made
 * and the tree's folders by name (scratch_remove). */
#include "fuzz/scratch.h" /* first: it defines _GNU_SOURCE for memfd_create and nftw */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/data/corpus.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1); /* one thread: the same input always runs the same way */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *where[] = {"train/neg", "train/pos", "test/neg", "test/pos"};
    static const char *folders[] = {"aclImdb/train/neg", "aclImdb/train/pos", "aclImdb/test/neg", "aclImdb/test/pos",
                                    "aclImdb/train",     "aclImdb/test",      "aclImdb"};
    if (size == 0)
        return 0;
    char dir[4096], root[4200];
    char made[12][64]; /* the files written: 4 .keep and up to 8 reviews */
    const char *made_p[12];
    int nmade = 0;
    scratch_dir(dir, sizeof dir);
    snprintf(root, sizeof root, "%s/aclImdb", dir);
    unsigned layout = data[0];
    for (int w = 0; w < 4; w++)
        if (!((layout >> w) & 1) || (layout & 0x80) == 0) {
            snprintf(made[nmade], sizeof made[0], "aclImdb/%s/.keep", where[w]);
            scratch_write(dir, made[nmade++], "", 0); /* the folder exists, possibly empty */
        }
    size_t start = 1;
    for (int k = 0; k < 8 && start < size; k++) {
        const uint8_t *end = memchr(data + start, 0xFF, size - start);
        size_t stop = end ? (size_t)(end - data) : size;
        if (stop > start) {
            uint8_t pick = data[start];
            snprintf(made[nmade], sizeof made[0], "aclImdb/%s/%d_%d.txt", where[pick & 3], k, (pick >> 2) % 12);
            scratch_write(dir, made[nmade++], data + start + 1, stop - start - 1);
        }
        start = stop + 1;
    }
    unsigned mask = (layout & 0x60) == 0x20   ? SPLIT_MASK(SPLIT_TRAIN)
                    : (layout & 0x60) == 0x40 ? SPLIT_MASK(SPLIT_TEST)
                                              : SPLITS_ALL;
    Corpus c;
    corpus_init(&c);
    int rc = corpus_load_imdb(&c, root, mask);
    if (rc != 0 && (c.ndocs != 0 || el_error()[0] == 0))
        abort();
    size_t expect = 0;
    for (size_t d = 0; d < c.ndocs; d++) {
        const Doc *doc = &c.docs[d];
        if (doc->start != expect || (doc->label != 0 && doc->label != 1) || doc->rating > 10 ||
            !(mask & SPLIT_MASK(doc->split)))
            abort();
        expect += doc->len;
    }
    if (expect != c.ntokens)
        abort();
    corpus_free(&c);
    for (int i = 0; i < nmade; i++)
        made_p[i] = made[i];
    scratch_remove(dir, made_p, nmade, folders, (int)(sizeof folders / sizeof *folders));
    return 0;
}
