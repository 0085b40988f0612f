/* core/common.h: shared basics every module leans on.
 *
 *   errors      el_fail() records a message and returns -1; callers pass the
 *               -1 up and the CLI prints "embedlab: error: <message>".
 *   allocation  xmalloc() and friends never return NULL (out of memory is fatal).
 *   files       read a whole file (writing one: core/outfile.h).
 *   time        a monotonic clock in seconds.
 *   threads     the one place that decides how many threads OpenMP and
 *               OpenBLAS may use.
 */
#ifndef EL_COMMON_H
#define EL_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define EL_VERSION "0.1.0"

/* Errors. The message lives in thread-local storage, so parallel workers
 * do not overwrite each other's errors. */
int el_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *el_error(void);
void el_clear_error(void);

/* Allocation that dies loudly instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* n bytes (uninitialised) for a large table whose rows are read at random:
 * from 2 MiB up, 2 MiB aligned and on 2 MiB pages where the kernel gives
 * them (transparent huge pages, asked for with madvise). With 4 KiB pages
 * nearly every row of a table of hundreds of megabytes is a TLB miss, and a
 * prefetch that misses the TLB waits for the page walk. Freed with free(). */
void *xmalloc_huge(size_t n);

/* Reads a whole file into a NUL-terminated buffer; -1 with a message on
 * error ("interrupted" when a signal stopped a blocking open or read, see
 * el_stop). */
int read_file(const char *path, char **data, size_t *len);

/* The longest line a text file may have: a review, a vector's line, a
 * question. Past it read_text_file fails naming the file and line, so
 * /dev/zero or a file without line ends cannot take all memory. */
#define EL_MAX_LINE ((size_t)64 << 20)

/* read_file for a text file: also fails ("FILE:LINE: line longer than
 * 64 MiB") as soon as a line (ended by LF, CRLF or a lone CR) passes
 * EL_MAX_LINE, without reading the rest. */
int read_text_file(const char *path, char **data, size_t *len);

/* Stopping. The CLI's SIGINT/SIGTERM handler (cli/cli.c) sets el_stop; the
 * long loops that have no stop flag of their own (reading and tokenizing a
 * corpus, word2vec) check it and fail with el_interrupted(). */
extern volatile int el_stop;

/* -1 with the message "interrupted" (callers add what was stopped). */
int el_interrupted(void);

/* Seconds on a monotonic clock. */
double now_seconds(void);

/* Threads. el_set_threads(n) bounds every parallel region, OpenBLAS
 * included; n <= 0 means all cores. el_threads() returns the bound. */
void el_set_threads(int n);
int el_threads(void);
int el_cores(void);

#endif
