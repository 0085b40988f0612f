/* embed/data/source.c: the registry of data source kinds. */
#include "embed/data/source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/common.h"

static int is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder with train/ or test/ in it: what a missing neg/ or pos/ is, the
 * reader says. */
static int imdb_detect(const char *path) {
    char sub[4200];
    snprintf(sub, sizeof sub, "%s/train", path);
    int train = is_dir(sub);
    snprintf(sub, sizeof sub, "%s/test", path);
    return is_dir(path) && (train || is_dir(sub));
}

static int imdb_read(Corpus *c, const char *path, const char *test_path, unsigned split_mask) {
    (void)test_path;
    return corpus_load_imdb(c, path, split_mask);
}

/* Anything that reads as a stream of lines: a file, a pipe, a device. Its
 * lines say whether it is LABEL<TAB>TEXT (the reader's errors name the line). */
static int tsv_detect(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode));
}

static int tsv_read(Corpus *c, const char *path, const char *test_path, unsigned split_mask) {
    size_t ndocs = c->ndocs, ntokens = c->ntokens;
    if ((split_mask & SPLIT_MASK(SPLIT_TRAIN)) && corpus_load_tsv(c, path, SPLIT_TRAIN) != 0)
        return -1;
    if ((split_mask & SPLIT_MASK(SPLIT_TEST)) && test_path && corpus_load_tsv(c, test_path, SPLIT_TEST) != 0) {
        c->ndocs = ndocs; /* the train split's documents go too, as corpus.c's loaders undo theirs */
        c->ntokens = ntokens;
        return -1;
    }
    return 0;
}

/* Adding a kind of data: its detect and read (the reader in embed/data/corpus.c or
 * a file of its own), and one line here. Order matters only if two kinds
 * could accept one path: the first wins. */
static const DataSource sources[] = {
    {"aclimdb", "an aclImdb folder (train/ and test/, each with neg/ and pos/)", 0, imdb_detect, imdb_read},
    {"tsv", "a LABEL<TAB>TEXT file", 1, tsv_detect, tsv_read},
};
static const int nsources = (int)(sizeof sources / sizeof *sources);

const DataSource *source_find(const char *path) {
    struct stat st;
    if (stat(path, &st) != 0) {
        el_fail("no data at %s: %s (run 'make data' for the IMDB reviews, or give --data)", path, strerror(errno));
        return NULL;
    }
    for (int i = 0; i < nsources; i++)
        if (sources[i].detect(path))
            return &sources[i];
    char kinds[512] = "";
    for (int i = 0; i < nsources; i++) {
        size_t len = strlen(kinds);
        snprintf(kinds + len, sizeof kinds - len, "%s%s",
                 i == 0             ? ""
                 : i + 1 < nsources ? ", "
                                    : " nor ",
                 sources[i].what);
    }
    el_fail("%s is neither %s", path, kinds);
    return NULL;
}

int source_read(Corpus *c, const char *data, const char *test_data, unsigned split_mask) {
    const DataSource *s = source_find(data);
    if (!s)
        return -1;
    if (test_data && !*test_data)
        test_data = NULL;
    if (test_data && !s->test_file)
        return el_fail("--test-data goes with a LABEL<TAB>TEXT file as --data, not %s", s->what);
    return s->read(c, data, test_data, split_mask);
}

/* The texts of a corpus's documents, each its tokens joined by spaces. */
typedef struct {
    const Corpus *c;
    size_t doc;
    char *buf;
    size_t cap;
} DocTexts;

static int next_doc(void *ctx, const char **text, size_t *n) {
    DocTexts *d = ctx;
    if (d->doc >= d->c->ndocs)
        return 0;
    const Doc *doc = &d->c->docs[d->doc++];
    size_t len = 0;
    for (uint32_t t = 0; t < doc->len; t++) {
        int32_t id = d->c->tokens[doc->start + t];
        size_t l = dict_len(&d->c->dict, id);
        if (len + l + 2 > d->cap)
            d->buf = xrealloc(d->buf, d->cap = (len + l + 2) * 2);
        if (t > 0)
            d->buf[len++] = ' ';
        memcpy(d->buf + len, dict_word(&d->c->dict, id), l);
        len += l;
    }
    *text = d->buf ? d->buf : "";
    *n = len;
    return 1;
}

int source_train_tokenizer(Tokenizer *t, const char *data, int lines) {
    if (!tokenizer_learned(t) || tokenizer_ready(t))
        return 0;
    /* The train split read as the unicode kind's words: a learned kind
     * starts from them (embed/text/tok_spm.c) and they are the same words again,
     * so every loader (folders, LABEL<TAB>TEXT, lines) serves, test never. */
    Tokenizer *words;
    if (tokenizer_new("unicode", &words) != 0)
        return -1;
    Corpus train;
    corpus_init(&train);
    train.tok = words;
    int rc =
        lines ? corpus_load_lines(&train, data, SPLIT_TRAIN) : source_read(&train, data, NULL, SPLIT_MASK(SPLIT_TRAIN));
    if (rc == 0) {
        DocTexts d = {.c = &train};
        rc = tokenizer_train(t, &(TextIter){next_doc, &d});
        free(d.buf);
    }
    corpus_free(&train);
    tokenizer_free(words);
    return rc;
}
