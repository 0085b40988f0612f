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
#include "embed/text/textio.h"

#define MAX_DIM 100000

/* Parses "WORDS DIMS" from the first line (after a UTF-8 BOM, if any);
 * returns the offset after its newline. */
static int parse_header(const char *path, const char *data, size_t len, long long *words, int *dim, size_t *after) {
    size_t bom = textio_skip_bom(data, len);
    data += bom, len -= bom;
    size_t n;
    const char *next = textio_line(data, data + len, &n);
    if (n == len)
        return el_fail("%s:1: no header line 'WORDS DIMS'", path);
    char line[128], shown[128];
    if (n >= sizeof line)
        return el_fail("%s:1: header line too long; expected 'WORDS DIMS'", path);
    memcpy(line, data, n);
    line[n] = 0;
    long long w, d;
    char extra;
    if (memchr(data, 0, n) || sscanf(line, "%lld %lld %c", &w, &d, &extra) != 2 || w < 1 || d < 1 || d > MAX_DIM)
        return el_fail("%s:1: header must be 'WORDS DIMS' with 1 <= DIMS <= %d, got '%s'", path, MAX_DIM,
                       textio_quote(data, n, shown, sizeof shown));
    *words = w;
    *dim = (int)d;
    *after = bom + (size_t)(next - data);
    return 0;
}

/* -1 with a message naming where (WHERE is "PATH:LINE" or "PATH: byte N") if
 * word has a control byte: a NUL or newline would not survive an export (the
 * word would come back cut, or as two lines), and a tab or escape code in a
 * word is a damaged file, not a word. */
static int check_word(const char *where, const char *word, size_t len, long long entry) {
    long bad = textio_control(word, len);
    if (bad < 0)
        return 0;
    char shown[96];
    return el_fail("%s: word %lld ('%s') contains the control character 0x%02X; words must be printable", where, entry,
                   textio_quote(word, len, shown, sizeof shown), (unsigned char)word[bad]);
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
        const char *line = data + pos;
        size_t n;
        pos = (size_t)(textio_line(line, data + len, &n) - data);
        lineno++;
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
        char where[4200];
        snprintf(where, sizeof where, "%s:%zu", path, lineno);
        if (check_word(where, line, sp - line, (long long)e->n + 1) != 0) {
            rc = -1;
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
                char shown[96];
                rc = el_fail("%s:%zu: bad number '%s' in value %d", path, lineno,
                             textio_quote(p, (size_t)(q - p), shown, sizeof shown), got + 1);
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
        /* No length limit: a trained vocabulary may hold a word of any
         * length (the words tokenizer keeps a 10,000-letter run), and its
         * export must import again. The scan ends at the file's end. */
        size_t start = pos;
        while (pos < len && data[pos] != ' ')
            pos++;
        if (pos >= len) {
            rc = el_fail("%s: byte %zu: file ends inside word %lld of %lld (truncated?)", path, start, i + 1, words);
            break;
        }
        if (pos == start) {
            rc = el_fail("%s: byte %zu: empty word %lld", path, start, i + 1);
            break;
        }
        size_t wlen = pos - start;
        char where[4200];
        snprintf(where, sizeof where, "%s: byte %zu", path, start);
        if (check_word(where, data + start, wlen, i + 1) != 0) {
            rc = -1;
            break;
        }
        pos++;
        if (len - pos < (size_t)dim * 4) {
            char shown[96];
            rc = el_fail("%s: byte %zu: file ends inside the vector of '%s' (word %lld of %lld; truncated?)", path, pos,
                         textio_quote(data + start, wlen, shown, sizeof shown), i + 1, words);
            break;
        }
        memcpy(v, data + pos, (size_t)dim * 4);
        for (int d = 0; d < dim && rc == 0; d++)
            if (!isfinite(v[d])) {
                char shown[96];
                rc = el_fail("%s: byte %zu: value %d of '%s' is not a finite number", path, pos + 4 * (size_t)d, d + 1,
                             textio_quote(data + start, wlen, shown, sizeof shown));
            }
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
    if ((binary ? read_file(path, &data, &len) : read_text_file(path, &data, &len)) != 0)
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
