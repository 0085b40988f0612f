/* core/memory.h: what a command will allocate, against what the machine has.
 *
 * A run that cannot fit should be refused with a figure before it starts,
 * not killed by the kernel halfway with a `running` row left behind.
 *
 *   mem_add, mem_mul  size_t arithmetic that saturates at SIZE_MAX instead of
 *                     wrapping: an estimate that overflowed is "too much",
 *                     never a small number
 *   mem_available     bytes this process can still use: the smaller of the
 *                     memory the kernel reports available and what is left
 *                     under an address-space limit (ulimit -v) once every
 *                     thread (el_threads()) has its stack and malloc arena
 *   mem_check         0 if need fits; else -1 with the message
 *                     "this run needs about 31.2 GiB but the machine has
 *                     23.4 GiB available (WHAT)"
 *   mem_format        "31.2 GiB", "512.0 MiB" */
#ifndef EL_MEMORY_H
#define EL_MEMORY_H

#include <stddef.h>

size_t mem_add(size_t a, size_t b);
size_t mem_mul(size_t a, size_t b);

/* *limit_as is set to 1 when the address-space limit is the smaller bound. */
size_t mem_available(int *limit_as);

int mem_check(size_t need, const char *what);

/* Writes bytes as a short human figure into buf; returns buf. */
const char *mem_format(size_t bytes, char *buf, size_t size);

#endif
