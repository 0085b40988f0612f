/* core/common.c: errors, allocation, file reading, clock, thread budget. */
#include "core/common.h"

#include <errno.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static _Thread_local char error_message[1024];

int el_fail(const char *fmt, ...) {
    /* Format into a scratch buffer first: callers may pass el_error() itself
     * as an argument, to wrap a message with more context. */
    char scratch[sizeof error_message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(scratch, sizeof scratch, fmt, ap);
    va_end(ap);
    memcpy(error_message, scratch, sizeof error_message);
    return -1;
}

const char *el_error(void) { return error_message[0] ? error_message : "unknown error"; }

void el_clear_error(void) { error_message[0] = 0; }

static void out_of_memory(size_t n) {
    fprintf(stderr, "embedlab: error: out of memory (asked for %zu bytes)\n", n);
    exit(1);
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *xmalloc_huge(size_t n) {
    size_t huge = (size_t)2 << 20;
    void *p = NULL;
    if (n < huge)
        return xmalloc(n);
    if (posix_memalign(&p, huge, n) != 0)
        return xmalloc(n); /* out of memory: xmalloc says so and exits */
#ifdef MADV_HUGEPAGE
    madvise(p, n / huge * huge, MADV_HUGEPAGE); /* advice: a refusal changes nothing */
#endif
    return p;
}

void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory(count * size);
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

volatile int el_stop;

int el_interrupted(void) { return el_fail("interrupted"); }

/* Line ends in buf[0..n): counts them into *lineno and moves *line_start (the
 * offset, in the whole file, of the line being read) past each; *prev is the
 * byte before buf (CRLF is one line end). Returns 1 when a line ending in buf,
 * or the one still being read, is longer than EL_MAX_LINE. */
static int scan_lines(const char *buf, size_t n, size_t offset, char *prev, size_t *lineno, size_t *line_start) {
    for (size_t i = 0; i < n; i++) {
        char ch = buf[i];
        if (ch == '\n' || ch == '\r') {
            if (offset + i - *line_start > EL_MAX_LINE) /* a long line that ends in this chunk */
                return 1;
            *lineno += !(ch == '\n' && *prev == '\r');
            *line_start = offset + i + 1;
        }
        *prev = ch;
    }
    return offset + n - *line_start > EL_MAX_LINE;
}

/* read_file and read_text_file: text != 0 bounds the lines. */
static int read_whole(const char *path, char **data, size_t *len, int text) {
    FILE *f = fopen(path, "rb");
    if (!f) /* a FIFO without a writer blocks in open until a signal (EINTR) */
        return errno == EINTR ? el_fail("interrupted while opening %s", path)
                              : el_fail("cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0, lineno = 1, line_start = 0;
    char prev = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap)
            buf = xrealloc(buf, cap *= 2);
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        if (text && scan_lines(buf + n, got, n, &prev, &lineno, &line_start)) {
            fclose(f);
            free(buf);
            return el_fail("%s:%zu: line longer than %zu MiB (not a text file of lines?)", path, lineno,
                           EL_MAX_LINE >> 20);
        }
        n += got;
        if (got == 0 || el_stop)
            break;
    }
    int bad = ferror(f), err = errno;
    fclose(f);
    if (bad || el_stop) {
        free(buf);
        return (el_stop || err == EINTR) ? el_fail("interrupted while reading %s", path)
                                         : el_fail("cannot read %s: %s", path, strerror(err));
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return 0;
}

int read_file(const char *path, char **data, size_t *len) { return read_whole(path, data, len, 0); }

int read_text_file(const char *path, char **data, size_t *len) { return read_whole(path, data, len, 1); }

double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* OpenBLAS's OpenMP build exports this; it runs single-threaded when called
 * from inside an OpenMP parallel region, so bounding it here is enough. */
extern void openblas_set_num_threads(int n);

int el_cores(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

void el_set_threads(int n) {
    if (n <= 0)
        n = el_cores();
    omp_set_num_threads(n);
    openblas_set_num_threads(n);
}

/* The bound of the current context: a sweep job sets its own share with
 * omp_set_num_threads(), which is per-thread state in OpenMP. */
int el_threads(void) { return omp_get_max_threads(); }
