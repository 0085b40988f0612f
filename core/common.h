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

/* Reads a whole file into a NUL-terminated buffer; -1 with a message on error. */
int read_file(const char *path, char **data, size_t *len);

/* Seconds on a monotonic clock. */
double now_seconds(void);

/* Threads. el_set_threads(n) bounds every parallel region, OpenBLAS
 * included; n <= 0 means all cores. el_threads() returns the bound. */
void el_set_threads(int n);
int el_threads(void);
int el_cores(void);

#endif
