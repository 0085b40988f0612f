/* fuzz/ann_seeds.c: writes the seed images of fuzz/fuzz_ann.c into a folder
 * (fuzz/corpus/ann): tiny indices over experiments/bench/clustered.h's
 * vectors, each under 4 KB. Not part of any build:
 *   cc -O2 -fopenmp -I. fuzz/ann_seeds.c db/index/ann.c db/index/ann_build.c core/vecmath.c -lm -o /tmp/ann_seeds &&
 * /tmp/ann_seeds fuzz/corpus/ann
 */
#include <stdio.h>

#include "db/index/ann.h"
#include "experiments/bench/clustered.h"

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: ann_seeds FOLDER\n");
        return 2;
    }
    int sizes[][2] = {{1, 1}, {3, 5}, {12, 20}};
    for (int s = 0; s < 3; s++) {
        int n = sizes[s][0], d = sizes[s][1];
        float v[12 * 20];
        clustered_vectors(v, n, d, 2, 1.0f, 7, 8);
        AnnParams p;
        ann_build_defaults(&p);
        AnnIndex ix;
        char err[256], path[4096];
        if (ann_build(v, n, d, &p, &ix, err, sizeof err) != ANN_OK) {
            fprintf(stderr, "embedlab: error: %s\n", err);
            return 1;
        }
        snprintf(path, sizeof path, "%s/n%d-d%d", argv[1], n, d);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(ix.image, 1, ann_bytes(&ix), f) != ann_bytes(&ix) || fclose(f) != 0) {
            fprintf(stderr, "embedlab: error: cannot write %s\n", path);
            return 1;
        }
        ann_free(&ix);
    }
    return 0;
}
