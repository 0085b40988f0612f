/* embed/w2v_format.c: reading and writing word2vec files. */
#include "embed/w2v_format.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "core/outfile.h"

#define MAX_DIM 100000
#define MAX_WORD 4096

/* Parses "WORDS DIMS" from the first line; returns the offset after its newline. */
static int parse_header(const char *path, const char *data, size_t len, long long *words, int *dim, size_t *after) {
    const char *nl = memchr(data, '\n', len);
    if (!nl)
        return el_fail("%s:1: no header line 'WORDS DIMS'", path);
    char line[128];
    size_t n = nl - data;
    if (n >= sizeof line)
        return el_fail("%s:1: header line too long; expected 'WORDS DIMS'", path);
    memcpy(line, data, n);
    line[n] = 0;
    long long w, d;
    char extra;
    if (sscanf(line, "%lld %lld %c", &w, &d, &extra) != 2 || w < 1 || d < 1 || d > MAX_DIM)
        return el_fail("%s:1: header must be 'WORDS DIMS' with 1 <= DIMS <= %d, got '%s'", path, MAX_DIM, line);
    *words = w;
    *dim = (int)d;
    *after = n + 1;
    return 0;
}

static int read_text(const char *path, const char *data, size_t len, Embedding *e) {
    long long words;
    int dim;
    size_t pos;
    if (parse_header(path, data, len, &words, &dim, &pos) != 0)
        return -1;
    emb_init(e, dim);
    float *v = xmalloc(dim * sizeof *v);
    size_t lineno = 1;
    int rc = 0;
    while (rc == 0 && pos < len) {
        const char *line = data + pos, *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + 1;
        lineno++;
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n == 0)
            continue;
        if (e->n >= words) {
            rc = el_fail("%s:%zu: more vectors than the %lld the header announces", path, lineno, words);
            break;
        }
        /* The word runs to the first space. */
        const char *sp = memchr(line, ' ', n);
        if (!sp || sp == line) {
            rc = el_fail("%s:%zu: expected 'word v1 ... v%d'", path, lineno, dim);
            break;
        }
        char buf[64];
        const char *p = sp, *end = line + n;
        int got = 0;
        while (rc == 0) {
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            if (p >= end)
                break;
            const char *q = p;
            while (q < end && *q != ' ' && *q != '\t')
                q++;
            if (got == dim) {
                rc = el_fail("%s:%zu: more than %d values (dimension mismatch)", path, lineno, dim);
                break;
            }
            size_t tl = q - p;
            if (tl >= sizeof buf)
                tl = sizeof buf - 1;
            memcpy(buf, p, tl);
            buf[tl] = 0;
            char *stop;
            errno = 0;
            float x = strtof(buf, &stop);
            if (stop == buf || *stop || (size_t)(q - p) >= sizeof buf || !isfinite(x)) {
                rc = el_fail("%s:%zu: bad number '%s' in value %d", path, lineno, buf, got + 1);
                break;
            }
            v[got++] = x;
            p = q;
        }
        if (rc == 0 && got < dim)
            rc = el_fail("%s:%zu: %d values, expected %d (dimension mismatch)", path, lineno, got, dim);
        if (rc == 0 && emb_add(e, line, sp - line, v, 0) != 0)
            rc = el_fail("%s:%zu: %s", path, lineno, el_error());
    }
    if (rc == 0 && e->n != words)
        rc = el_fail("%s: the header announces %lld words but the file has %d (truncated?)", path, words, e->n);
    free(v);
    if (rc != 0)
        emb_free(e);
    return rc;
}

static int read_binary(const char *path, const char *data, size_t len, Embedding *e) {
    long long words;
    int dim;
    size_t pos;
    if (parse_header(path, data, len, &words, &dim, &pos) != 0)
        return -1;
    emb_init(e, dim);
    float *v = xmalloc(dim * sizeof *v);
    int rc = 0;
    for (long long i = 0; i < words && rc == 0; i++) {
        while (pos < len && (data[pos] == '\n' || data[pos] == '\r'))
            pos++; /* after the previous vector */
        size_t start = pos;
        while (pos < len && data[pos] != ' ' && pos - start < MAX_WORD)
            pos++;
        if (pos >= len) {
            rc = el_fail("%s: byte %zu: file ends inside word %lld of %lld (truncated?)", path, start, i + 1, words);
            break;
        }
        if (data[pos] != ' ') {
            rc = el_fail("%s: byte %zu: word %lld is longer than %d bytes (not a word2vec binary file?)", path, start,
                         i + 1, MAX_WORD);
            break;
        }
        if (pos == start) {
            rc = el_fail("%s: byte %zu: empty word %lld", path, start, i + 1);
            break;
        }
        size_t wlen = pos - start;
        pos++;
        if (len - pos < (size_t)dim * 4) {
            rc = el_fail("%s: byte %zu: file ends inside the vector of '%.*s' (word %lld of %lld; truncated?)", path,
                         pos, (int)(wlen > 60 ? 60 : wlen), data + start, i + 1, words);
            break;
        }
        memcpy(v, data + pos, (size_t)dim * 4);
        for (int d = 0; d < dim && rc == 0; d++)
            if (!isfinite(v[d]))
                rc = el_fail("%s: byte %zu: value %d of '%.*s' is not a finite number", path, pos + 4 * (size_t)d,
                             d + 1, (int)(wlen > 60 ? 60 : wlen), data + start);
        if (rc == 0 && emb_add(e, data + start, wlen, v, 0) != 0)
            rc = el_fail("%s: byte %zu: %s", path, start, el_error());
        pos += (size_t)dim * 4;
    }
    while (rc == 0 && pos < len && (data[pos] == '\n' || data[pos] == '\r' || data[pos] == ' '))
        pos++;
    if (rc == 0 && pos < len)
        rc = el_fail("%s: byte %zu: data after the %lld words the header announces", path, pos, words);
    free(v);
    if (rc != 0)
        emb_free(e);
    return rc;
}

int w2v_read(const char *path, int binary, Embedding *e) {
    char *data;
    size_t len;
    memset(e, 0, sizeof *e);
    if (read_file(path, &data, &len) != 0)
        return -1;
    int rc = binary ? read_binary(path, data, len, e) : read_text(path, data, len, e);
    free(data);
    if (rc == 0)
        emb_finish(e);
    return rc;
}

int w2v_write(const char *path, int binary, const Embedding *e) {
    OutFile out; /* whole or absent, every write checked */
    if (outfile_open(&out, path) != 0)
        return -1;
    FILE *f = out.f;
    fprintf(f, "%d %d\n", e->n, e->dim);
    for (int32_t r = 0; r < e->n; r++) {
        const float *v = e->vec + (size_t)r * e->dim;
        fputs(emb_word(e, r), f);
        if (binary) {
            fputc(' ', f);
            fwrite(v, sizeof(float), e->dim, f);
        } else {
            /* %.9g prints every float32 exactly: text round-trips bit for bit. */
            for (int d = 0; d < e->dim; d++)
                fprintf(f, " %.9g", v[d]);
        }
        fputc('\n', f);
    }
    return outfile_commit(&out);
}
