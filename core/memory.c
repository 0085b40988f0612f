/* core/memory.c: memory estimates checked against the machine. */
#include "core/memory.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/common.h"

size_t mem_add(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

size_t mem_mul(size_t a, size_t b) { return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b; }

/* MemAvailable from /proc/meminfo (what can be had without swapping), or
 * all physical memory where that file is missing. */
static size_t machine_available(void) {
    FILE *f = fopen("/proc/meminfo", "r");
    if (f) {
        char line[256];
        unsigned long long kb;
        while (fgets(line, sizeof line, f))
            if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
                fclose(f);
                return mem_mul((size_t)kb, 1024);
            }
        fclose(f);
    }
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? mem_mul((size_t)pages, (size_t)page) : SIZE_MAX;
}

/* Bytes of address space this process already uses (VmSize), or 0. */
static size_t address_space_used(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long long pages = 0;
    if (f) {
        if (fscanf(f, "%llu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    long page = sysconf(_SC_PAGESIZE);
    return mem_mul((size_t)pages, page > 0 ? (size_t)page : 4096);
}

/* Address space each thread reserves beyond the data it uses: its stack and
 * the 64 MiB heap glibc's malloc maps for a thread's own arena. Under a tight
 * ulimit -v, a run without this room did not fail cleanly: a 2-thread run
 * left 91 MiB hung in its first epoch. */
static size_t thread_reservation(void) {
    struct rlimit rl;
    size_t stack = (size_t)8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < ((size_t)1 << 30))
        stack = (size_t)rl.rlim_cur;
    return mem_add(stack, (size_t)64 << 20);
}

size_t mem_available(int *limit_as) {
    size_t avail = machine_available();
    *limit_as = 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        size_t used = mem_add(address_space_used(), mem_mul(thread_reservation(), (size_t)el_threads()));
        size_t cap = (size_t)rl.rlim_cur;
        size_t left = cap > used ? cap - used : 0;
        if (left < avail) {
            avail = left;
            *limit_as = 1;
        }
    }
    return avail;
}

const char *mem_format(size_t bytes, char *buf, size_t size) {
    static const char *units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double x = (double)bytes;
    int u = 0;
    while (x >= 1024 && u < 6)
        x /= 1024, u++;
    if (u == 0)
        snprintf(buf, size, "%zu bytes", bytes);
    else
        snprintf(buf, size, "%.1f %s", x, units[u]);
    return buf;
}

int mem_check(size_t need, const char *what) {
    int limit_as;
    size_t avail = mem_available(&limit_as);
    if (need <= avail)
        return 0;
    char a[48], b[32], c[32];
    if (need == SIZE_MAX) /* the estimate overflowed: it is beyond any machine */
        snprintf(a, sizeof a, "more than %s", mem_format(SIZE_MAX, c, sizeof c));
    else
        snprintf(a, sizeof a, "about %s", mem_format(need, c, sizeof c));
    mem_format(avail, b, sizeof b);
    if (limit_as)
        return el_fail("this run needs %s but the address-space limit (ulimit -v) leaves %s available (%s)", a, b,
                       what);
    return el_fail("this run needs %s but the machine has %s available (%s)", a, b, what);
}
