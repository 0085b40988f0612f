/* embed/data/source.c: the registry of data source kinds. */
#include "embed/data/source.h"

#include <errno.h>
#include <stdio.h>
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
