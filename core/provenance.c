/* core/provenance.c: the build and the machine, for core/provenance.h. */
#include "core/provenance.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildinfo.h" /* generated in the build folder by scripts/buildinfo.sh */
#include "core/common.h"

static void copy(char *dst, size_t cap, const char *src) { snprintf(dst, cap, "%s", src && *src ? src : "unknown"); }

/* The first "model name" line of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *dst, size_t cap) {
    copy(dst, cap, NULL);
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0)
            continue;
        char *v = strchr(line, ':');
        if (v) {
            v += 1 + strspn(v + 1, " \t");
            v[strcspn(v, "\n")] = '\0';
            copy(dst, cap, v);
        }
        break;
    }
    fclose(f);
}

/* The vector extensions that decide which kernels run, widest first.
 * (__builtin_cpu_supports takes only a literal, hence the table.) */
static void vector_isa(char *dst, size_t cap) {
    dst[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    const struct {
        const char *name;
        int yes;
    } isa[] = {
        {"avx512f", __builtin_cpu_supports("avx512f")}, {"avx2", __builtin_cpu_supports("avx2")},
        {"fma", __builtin_cpu_supports("fma")},         {"avx", __builtin_cpu_supports("avx")},
        {"sse4.2", __builtin_cpu_supports("sse4.2")},
    };
    for (size_t i = 0; i < sizeof isa / sizeof *isa; i++)
        if (isa[i].yes)
            snprintf(dst + strlen(dst), cap - strlen(dst), "%s%s", dst[0] ? " " : "", isa[i].name);
#endif
    if (!dst[0])
        copy(dst, cap, NULL);
}

void provenance_get(Provenance *p) {
    static Provenance cached;
    static int have;
#pragma omp critical(provenance)
    {
        if (!have) {
            Provenance *c = &cached;
            copy(c->version, sizeof c->version, EL_VERSION);
            copy(c->commit, sizeof c->commit, EL_BUILD_COMMIT);
            copy(c->compiler, sizeof c->compiler, EL_BUILD_COMPILER);
            copy(c->flags, sizeof c->flags, EL_BUILD_FLAGS);
            cpu_model(c->cpu, sizeof c->cpu);
            vector_isa(c->isa, sizeof c->isa);
            copy(c->blas, sizeof c->blas, openblas_get_config());
            copy(c->blas_kernel, sizeof c->blas_kernel, openblas_get_corename());
            copy(c->blas_env, sizeof c->blas_env, getenv("OPENBLAS_CORETYPE"));
            if (gethostname(c->host, sizeof c->host) != 0)
                copy(c->host, sizeof c->host, NULL);
            c->host[sizeof c->host - 1] = '\0';
            have = 1;
        }
    }
    *p = cached;
}
