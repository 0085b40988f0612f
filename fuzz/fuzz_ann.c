/* fuzz/fuzz_ann.c: the nearest-word index (db/index/ann.c) on arbitrary bytes.
 *   as an image   ann_open as it comes (the checksum refuses nearly all),
 *                 then once more re-sealed (ann_seal), so the header and
 *                 section checks see every kind of damage; an image that
 *                 opens answers a search over vectors made from its own
 *                 codes: at most k rows, each once, each < n, none
 *                 excluded, scores best first
 *   as vectors    bytes 0-1 pick the dimension and the list count, the rest
 *                 are float32 values (any bits: NaN, zero, tiny and huge
 *                 rows), each row scaled to unit length as the lab does:
 *                 ann_build refuses or builds an index that opens from its
 *                 own image and answers as above
 * Seeds (fuzz/corpus/ann/): small valid images from fuzz/ann_seeds.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/index/ann.h"

static void must(int ok) {
    if (!ok)
        abort();
}

/* A search for row 0 of unit, excluding row 0, checked. */
static void check_search(const AnnIndex *ix, const float *unit) {
    Scored got[10];
    int32_t ex = 0;
    int m = ann_search(ix, unit, unit, 10, 0, 0, &ex, 1, got);
    must(m >= 0 && m <= 10 && m <= ix->n - 1);
    for (int i = 0; i < m; i++) {
        must(got[i].index > 0 && got[i].index < ix->n);
        for (int j = 0; j < i; j++)
            must(got[j].index != got[i].index && !(got[j].score < got[i].score));
    }
    m = ann_search(ix, unit, unit, 3, 1, 1, NULL, 0, got);
    must(m >= 0 && m <= 3);
}

/* Vectors for an opened index: each row's codes back as floats, unit length
 * (a zero row stays zero). */
static float *vectors_of(const AnnIndex *ix) {
    float *v = malloc((size_t)ix->n * ix->d * sizeof *v);
    must(v != NULL);
    for (int32_t r = 0; r < ix->n; r++) {
        float *x = v + (size_t)ix->ids[r] * ix->d;
        for (int j = 0; j < ix->d; j++)
            x[j] = (float)(ix->codes[(size_t)r * ix->dpad + j] - 128) / ix->scale[j];
        vec_normalize_f32(x, ix->d);
    }
    return v;
}

static void try_image(uint8_t *image, size_t size) {
    AnnIndex ix;
    char err[256];
    if (ann_open(image, size, &ix, err, sizeof err) != ANN_OK) {
        must(err[0] != 0);
        return;
    }
    float *v = vectors_of(&ix);
    check_search(&ix, v);
    must(ann_check_vectors(&ix, v, ix.n, ix.d, err, sizeof err) == ANN_OK || strstr(err, "stale") != NULL);
    free(v);
}

static void try_vectors(const uint8_t *data, size_t size) {
    if (size < 6)
        return;
    int d = 1 + data[0] % 40, lists = data[1] % 8;
    size_t floats = (size - 2) / 4;
    int n = (int)(floats / (size_t)d);
    if (n < 1)
        return;
    float *v = malloc((size_t)n * d * sizeof *v);
    must(v != NULL);
    memcpy(v, data + 2, (size_t)n * d * sizeof *v);
    /* As the lab gives them: unit rows (a zero row stays zero; one with an
     * infinity becomes NaN, which the build refuses). */
    for (int i = 0; i < n; i++)
        vec_normalize_f32(v + (size_t)i * d, d);
    AnnParams p;
    ann_build_defaults(&p);
    p.lists = lists;
    p.tune_queries = 8;
    AnnIndex ix;
    char err[256];
    if (ann_build(v, n, d, &p, &ix, err, sizeof err) == ANN_OK) {
        check_search(&ix, v);
        must(ann_check_vectors(&ix, v, n, d, err, sizeof err) == ANN_OK);
        uint8_t *img;
        size_t len;
        must(ann_serialize(&ix, &img, &len) == ANN_OK);
        AnnIndex back;
        must(ann_open(img, len, &back, err, sizeof err) == ANN_OK);
        check_search(&back, v);
        free(img);
        ann_free(&ix);
    } else
        must(err[0] != 0);
    free(v);
}

/* One thread: with FUZZ_JOBS targets on as many cores, OpenMP threads of
 * their own would fight over the cores and turn a fast input slow (a
 * 189 ms input of this target timed out that way), and the same input
 * always runs the same way. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An aligned copy, as the lab's loader gives ann_open. */
    uint8_t *image = malloc(size ? size : 1);
    must(image != NULL);
    memcpy(image, data, size);
    try_image(image, size);
    ann_seal(image, size);
    try_image(image, size);
    free(image);
    try_vectors(data, size);
    return 0;
}
