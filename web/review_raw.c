/* web/review_raw.c: the test reviews of a run's data as their authors wrote
 * them (web/review_text.h), for the compare view. Read in the order the
 * corpus loaders read them (embed/data/corpus.c): a LABEL<TAB>TEXT test file
 * line by line, blank lines skipped; an aclImdb folder's test/neg then
 * test/pos files, each folder in sorted name order. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/data/source.h"
#include "embed/text/textio.h"
#include "web/review_text.h"

/* The texts of the test reviews want[0..nwant) of a LABEL<TAB>TEXT file. */
static int tsv_texts(const char *path, const int64_t *want, int nwant, char **out) {
    char *data;
    size_t len;
    if (read_text_file(path, &data, &len) != 0)
        return -1;
    const char *p = data + textio_skip_bom(data, len), *end = data + len;
    for (int64_t doc = 0; p < end;) {
        size_t n;
        const char *next = textio_line(p, end, &n);
        if (n > 0) {
            const char *tab = memchr(p, '\t', n);
            for (int i = 0; i < nwant; i++)
                if (want[i] == doc && !out[i] && tab)
                    out[i] = xstrndup(tab + 1, n - (size_t)(tab + 1 - p));
            doc++;
        }
        p = next;
    }
    free(data);
    return 0;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The sorted *.txt names of dir into *names (free each and it); how many, or -1. */
static long txt_names(const char *dir, char ***names) {
    DIR *d = opendir(dir);
    *names = NULL;
    if (!d)
        return el_fail("cannot open folder %s", dir);
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (n == cap)
            *names = xrealloc(*names, (cap = cap ? cap * 2 : 4096) * sizeof **names);
        (*names)[n++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(*names, n, sizeof **names, cmp_name);
    return (long)n;
}

/* The texts of the test reviews want[0..nwant) of an aclImdb folder. */
static int imdb_texts(const char *root, const int64_t *want, int nwant, char **out) {
    int64_t base = 0;
    for (int l = 0; l < 2; l++) {
        char dir[4200];
        if (snprintf(dir, sizeof dir, "%s/test/%s", root, l ? "pos" : "neg") >= (int)sizeof dir)
            return el_fail("the path %.100s... is too long", root);
        char **names;
        long n = txt_names(dir, &names);
        if (n < 0)
            return -1;
        for (int i = 0; i < nwant; i++) {
            if (want[i] < base || want[i] >= base + n || out[i])
                continue;
            char path[8400], *data;
            size_t len;
            if (snprintf(path, sizeof path, "%s/%s", dir, names[want[i] - base]) < (int)sizeof path &&
                read_file(path, &data, &len) == 0) {
                out[i] = data;
            }
        }
        for (long k = 0; k < n; k++)
            free(names[k]);
        free(names);
        base += n;
    }
    return 0;
}

int web_review_raw(const char *data, const char *test, const int64_t *want, int nwant, char **out) {
    const DataSource *s = source_find(data);
    if (!s)
        return -1;
    if (strcmp(s->name, "tsv") == 0)
        return test && *test ? tsv_texts(test, want, nwant, out) : el_fail("no test file");
    if (strcmp(s->name, "aclimdb") == 0)
        return imdb_texts(data, want, nwant, out);
    return el_fail("data of kind %s", s->name);
}
