/* core/provenance.h: where a result came from, recorded with every run and
 * every embedding (the `provenance` JSON column of runs and embeddings).
 *
 * The same seed gives the same numbers on the same machine and build; across
 * CPUs or BLAS kernels the float sums can round differently, so a reader of a
 * result needs to see which machine and build made it.
 *
 *   provenance_get    the build (version, commit, compiler, flags) and the
 *                     machine (CPU, vector ISA, BLAS and its kernel, host)
 */
#ifndef EL_PROVENANCE_H
#define EL_PROVENANCE_H

typedef struct {
    char version[64];     /* "0.1.0" */
    char commit[64];      /* git commit of the build, "-dirty" if it had uncommitted changes */
    char compiler[128];   /* the compiler's own version line */
    char flags[256];      /* CFLAGS of the build */
    char cpu[128];        /* /proc/cpuinfo's model name */
    char isa[64];         /* the vector extensions the CPU has: "avx512f avx2 fma" */
    char blas[192];       /* the BLAS library's own description */
    char blas_kernel[64]; /* the kernel it chose for this CPU (OpenBLAS: its core name) */
    char blas_env[96];    /* OPENBLAS_CORETYPE if set: it overrides the choice */
    char host[64];
} Provenance;

/* Fills p; every field is a NUL-terminated string, "unknown" where the
 * machine does not say. Cheap after the first call. */
void provenance_get(Provenance *p);

#endif
