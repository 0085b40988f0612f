/* experiments/bench/membw.c: one thread's memory-read bandwidth here, the
 * bound on exact nearest-word search (which reads every fp32 vector once
 * per query): best of 5 passes summing a 1 GiB float buffer (8 vector
 * accumulators, so the adds never wait on each other). Prints GB/s.
 * Usage: membw [MiB]   (scripts/bench-ann.sh builds and runs it) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef float v8 __attribute__((vector_size(32)));

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    size_t mib = argc > 1 ? (size_t)atol(argv[1]) : 1024;
    size_t n = mib * (1 << 20) / sizeof(v8);
    v8 *a = aligned_alloc(64, n * sizeof *a);
    if (!a || n < 8) {
        fprintf(stderr, "embedlab: error: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = (v8){1, 1, 1, 1, 1, 1, 1, 1} * (float)(i & 7);
    double best = 1e9;
    float sink = 0;
    for (int pass = 0; pass < 5; pass++) {
        v8 s[8] = {{0}};
        double t0 = now();
        for (size_t i = 0; i + 8 <= n; i += 8)
            for (int j = 0; j < 8; j++)
                s[j] += a[i + j];
        double dt = now() - t0;
        for (int j = 0; j < 8; j++)
            for (int l = 0; l < 8; l++)
                sink += s[j][l];
        if (dt < best)
            best = dt;
    }
    printf("%.2f\n", (double)n * sizeof *a / best / 1e9);
    free(a);
    return sink == -1; /* keeps the sums alive */
}
