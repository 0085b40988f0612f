/* experiments/bench/clustered_w2v.c: writes clustered synthetic unit vectors
 * (experiments/bench/clustered.h) as a word2vec binary file, words w0, w1,
 * ..., for the nearest-word benchmark (scripts/bench-ann.sh) to import into
 * lab.db, sqlite-vec and FAISS alike. Streams blocks of 65,536 rows, each
 * from its own seed around the same centres: memory stays small whatever N.
 * Usage: clustered_w2v N DIM CLUSTERS NOISE FILE */
#include <stdio.h>
#include <stdlib.h>

#include "experiments/bench/clustered.h"

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: clustered_w2v N DIM CLUSTERS NOISE FILE\n");
        return 2;
    }
    long long n = atoll(argv[1]);
    int d = atoi(argv[2]), clusters = atoi(argv[3]);
    float noise = (float)atof(argv[4]);
    if (n < 1 || d < 1 || d > 65536 || clusters < 1) {
        fprintf(stderr, "embedlab: error: bad sizes\n");
        return 2;
    }
    FILE *f = fopen(argv[5], "wb");
    enum { BLOCK = 65536 };
    float *row = malloc((size_t)BLOCK * d * sizeof *row);
    if (!f || !row) {
        fprintf(stderr, "embedlab: error: cannot write %s\n", argv[5]);
        return 1;
    }
    fprintf(f, "%lld %d\n", n, d);
    for (long long b = 0; b < n; b += BLOCK) {
        int m = n - b < BLOCK ? (int)(n - b) : BLOCK;
        if (clustered_vectors(row, m, d, clusters, noise, 7, 1000 + (uint64_t)(b / BLOCK)) != 0) {
            fprintf(stderr, "embedlab: error: out of memory\n");
            return 1;
        }
        for (int i = 0; i < m; i++) {
            fprintf(f, "w%lld ", b + i);
            fwrite(row + (size_t)i * d, sizeof *row, (size_t)d, f);
            fputc('\n', f);
        }
    }
    free(row);
    if (fclose(f) != 0) {
        fprintf(stderr, "embedlab: error: writing %s failed\n", argv[5]);
        return 1;
    }
    return 0;
}
