/* embed/data/corpus.c: loading reviews and sentences into a Corpus.
 *
 * The aclImdb loader reads and tokenizes files in parallel (the byte work),
 * then interns the tokens in file order on one thread (the hash table is not
 * shared), so ids and document order never depend on the thread count.
 * Every text goes through the corpus's tokenizer (embed/text/tokenizer.h), each
 * thread with its own TokenBuf. */
#include "embed/data/corpus.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/common.h"
#include "embed/text/textio.h"

void corpus_init(Corpus *c) {
    memset(c, 0, sizeof *c);
    dict_init(&c->dict);
}

void corpus_free(Corpus *c) {
    dict_free(&c->dict);
    tokbuf_free(&c->buf);
    free(c->tokens);
    free(c->docs);
    memset(c, 0, sizeof *c);
}

static void push_doc(Corpus *c, size_t start, int label, int rating, int split) {
    if (c->ndocs == c->docs_cap) {
        c->docs_cap = c->docs_cap ? c->docs_cap * 2 : 64;
        c->docs = xrealloc(c->docs, c->docs_cap * sizeof *c->docs);
    }
    c->docs[c->ndocs++] =
        (Doc){.start = start, .len = (uint32_t)(c->ntokens - start), .label = label, .rating = rating, .split = split};
}

/* Interns the space-separated tokens of s (a TokenBuf's text) as one document. */
static void add_tokenized(Corpus *c, const char *s, size_t n, int label, int rating, int split) {
    size_t start = c->ntokens;
    const char *p = s, *end = s + n;
    while (p < end) {
        const char *q = memchr(p, ' ', end - p);
        if (!q)
            q = end;
        if (c->ntokens == c->tokens_cap) {
            /* Every array here starts small and doubles: most corpora are
             * small (a test's, a fuzz input's), and aclImdb's sizes are a
             * few doublings away. A first capacity of 256 KB cost each small
             * corpus an mmap and munmap under ASan. */
            c->tokens_cap = c->tokens_cap ? c->tokens_cap * 2 : 1024;
            c->tokens = xrealloc(c->tokens, c->tokens_cap * sizeof *c->tokens);
        }
        c->tokens[c->ntokens++] = dict_add(&c->dict, p, q - p);
        p = q + 1;
    }
    push_doc(c, start, label, rating, split);
}

static const Tokenizer *tokenizer_of(const Corpus *c) { return c->tok ? c->tok : tokenizer_words(); }

int corpus_add_text(Corpus *c, const char *text, size_t n, int label, int rating, int split) {
    if (tokenizer_tokens(tokenizer_of(c), text, n, &c->buf) != 0)
        return -1;
    c->invalid += c->buf.invalid;
    add_tokenized(c, c->buf.text, c->buf.len, label, rating, split);
    return 0;
}

/* Restores a corpus to an earlier size, so that a failed load leaves it as it was. */
static void truncate_corpus(Corpus *c, size_t ndocs, size_t ntokens, size_t invalid) {
    c->ndocs = ndocs;
    c->ntokens = ntokens;
    c->invalid = invalid;
}

/* ---- aclImdb ---- */

typedef struct {
    char *path;
    int label, rating, split;
    char *tokens; /* a TokenBuf's text */
    size_t len, invalid;
    int failed; /* 1: cannot read; 2: the tokenizer failed (el_error() of that thread is lost: say which file) */
} ReviewFile;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The star rating from "ID_RATING.txt", or 0. */
static int rating_of(const char *name) {
    const char *u = strrchr(name, '_');
    if (!u)
        return 0;
    int r = atoi(u + 1);
    return r >= 1 && r <= 10 ? r : 0;
}

static int list_folder(const char *dir, int label, int split, ReviewFile **files, size_t *n, size_t *cap) {
    DIR *d = opendir(dir);
    if (!d)
        return el_fail("cannot open folder %s: %s (run 'make data' to fetch the IMDB reviews)", dir, strerror(errno));
    char **names = NULL;
    size_t count = 0, names_cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (count == names_cap)
            names = xrealloc(names, (names_cap = names_cap ? names_cap * 2 : 64) * sizeof *names);
        names[count++] = xstrdup(e->d_name);
    }
    closedir(d);
    if (count > 1) /* names is NULL for an empty folder, and qsort wants a real pointer */
        qsort(names, count, sizeof *names, cmp_str);
    for (size_t i = 0; i < count; i++) {
        if (*n == *cap)
            *files = xrealloc(*files, (*cap = *cap ? *cap * 2 : 64) * sizeof **files);
        ReviewFile *f = &(*files)[(*n)++];
        memset(f, 0, sizeof *f);
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        f->path = xmalloc(plen);
        snprintf(f->path, plen, "%s/%s", dir, names[i]);
        f->label = label;
        f->rating = rating_of(names[i]);
        f->split = split;
        free(names[i]);
    }
    free(names);
    return 0;
}

int corpus_load_imdb(Corpus *c, const char *root, unsigned split_mask) {
    static const char *split_names[] = {"train", "test"};
    static const char *label_names[] = {"neg", "pos"};
    ReviewFile *files = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    for (int s = 0; s < 2 && rc == 0; s++) {
        if (!(split_mask & SPLIT_MASK(s)))
            continue;
        for (int l = 0; l < 2 && rc == 0; l++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/%s/%s", root, split_names[s], label_names[l]);
            rc = list_folder(dir, l, s, &files, &n, &cap);
        }
    }
    if (rc == 0 && n == 0)
        rc = el_fail("%s holds no reviews", root);
    if (rc == 0) {
        const Tokenizer *tok = tokenizer_of(c);
#pragma omp parallel
        {
            TokenBuf buf;
            tokbuf_init(&buf);
#pragma omp for schedule(dynamic, 64)
            for (size_t i = 0; i < n; i++) {
                char *text;
                size_t len;
                if (el_stop) /* Ctrl-C: the rest are skipped, the load fails below */
                    continue;
                if (read_text_file(files[i].path, &text, &len) != 0) {
                    files[i].failed = 1;
                    continue;
                }
                size_t bom = textio_skip_bom(text, len); /* not part of the first word */
                if (tokenizer_tokens(tok, text + bom, len - bom, &buf) != 0) {
                    files[i].failed = 2;
                } else {
                    files[i].tokens = xmalloc(buf.len + 1);
                    memcpy(files[i].tokens, buf.text, buf.len + 1);
                    files[i].len = buf.len;
                    files[i].invalid = buf.invalid;
                }
                free(text);
            }
            tokbuf_free(&buf);
        }
        if (el_stop)
            rc = el_fail("interrupted while reading %s", root);
        for (size_t i = 0; i < n && rc == 0; i++)
            if (files[i].failed)
                rc = el_fail("cannot %s %s", files[i].failed == 1 ? "read" : "tokenize", files[i].path);
    }
    size_t ndocs = c->ndocs, ntokens = c->ntokens, invalid = c->invalid;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0) {
            add_tokenized(c, files[i].tokens, files[i].len, files[i].label, files[i].rating, files[i].split);
            c->invalid += files[i].invalid;
        }
        free(files[i].tokens);
        free(files[i].path);
    }
    free(files);
    if (rc != 0)
        truncate_corpus(c, ndocs, ntokens, invalid);
    return rc;
}

/* ---- line-based files ---- */

/* Calls each line of a file (without its line end: LF, CRLF or a lone CR;
 * a UTF-8 BOM at the start skipped); stops at the first nonzero return. */
typedef int (*LineFn)(Corpus *c, const char *path, size_t lineno, const char *line, size_t len, int split);

static int for_each_line(Corpus *c, const char *path, int split, LineFn fn, size_t *lines) {
    char *data;
    size_t len;
    if (read_text_file(path, &data, &len) != 0)
        return -1;
    size_t lineno = 0;
    int rc = 0;
    const char *p = data + textio_skip_bom(data, len), *end = data + len;
    while (p < end && rc == 0) {
        if (el_stop) { /* a line's tokenizing is short: Ctrl-C is seen at once */
            rc = el_fail("interrupted while reading %s (line %zu)", path, lineno + 1);
            break;
        }
        size_t n;
        const char *next = textio_line(p, end, &n);
        lineno++;
        rc = fn(c, path, lineno, p, n, split);
        p = next;
    }
    free(data);
    *lines = lineno;
    return rc;
}

static int tsv_line(Corpus *c, const char *path, size_t lineno, const char *line, size_t len, int split) {
    if (len == 0)
        return 0; /* blank lines are allowed and skipped */
    const char *tab = memchr(line, '\t', len);
    if (!tab)
        return el_fail("%s:%zu: no tab between label and text (expected LABEL<TAB>TEXT)", path, lineno);
    size_t label_len = tab - line;
    if (label_len != 1 || (line[0] != '0' && line[0] != '1')) {
        char shown[64]; /* the label as bytes a terminal shows: an invisible BOM or NUL would confuse */
        return el_fail("%s:%zu: label must be 0 or 1, got '%s'", path, lineno,
                       textio_quote(line, label_len, shown, sizeof shown));
    }
    if (corpus_add_text(c, tab + 1, len - label_len - 1, line[0] - '0', 0, split) != 0)
        return el_fail("%s:%zu: %s", path, lineno, el_error());
    return 0;
}

static int plain_line(Corpus *c, const char *path, size_t lineno, const char *line, size_t len, int split) {
    (void)path;
    (void)lineno;
    if (len > 0 && corpus_add_text(c, line, len, -1, 0, split) != 0)
        return el_fail("%s:%zu: %s", path, lineno, el_error());
    return 0;
}

static int load_lines(Corpus *c, const char *path, int split, LineFn fn) {
    size_t ndocs = c->ndocs, ntokens = c->ntokens, invalid = c->invalid, lines = 0;
    int rc = for_each_line(c, path, split, fn, &lines);
    if (rc == 0 && c->ndocs == ndocs)
        rc = el_fail("%s: empty file (no lines of text)", path);
    if (rc != 0)
        truncate_corpus(c, ndocs, ntokens, invalid);
    return rc;
}

int corpus_load_tsv(Corpus *c, const char *path, int split) { return load_lines(c, path, split, tsv_line); }

int corpus_load_lines(Corpus *c, const char *path, int split) { return load_lines(c, path, split, plain_line); }

size_t corpus_count_tokens(const Corpus *c, unsigned split_mask) {
    size_t n = 0;
    for (size_t i = 0; i < c->ndocs; i++)
        if (split_mask & SPLIT_MASK(c->docs[i].split))
            n += c->docs[i].len;
    return n;
}

size_t corpus_count_docs(const Corpus *c, unsigned split_mask) {
    size_t n = 0;
    for (size_t i = 0; i < c->ndocs; i++)
        n += (split_mask & SPLIT_MASK(c->docs[i].split)) != 0;
    return n;
}

size_t corpus_count_empty(const Corpus *c, unsigned split_mask) {
    size_t n = 0;
    for (size_t i = 0; i < c->ndocs; i++)
        n += (split_mask & SPLIT_MASK(c->docs[i].split)) && c->docs[i].label >= 0 && c->docs[i].len == 0;
    return n;
}
