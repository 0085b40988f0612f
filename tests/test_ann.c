/* tests/test_ann.c: the nearest-word index (db/index/ann.c): recall against exact
 * search on clustered vectors, determinism, the image round trip, damaged,
 * truncated and stale images, tiny and odd sizes. */
#include "tests/fixtures.h"

#include <stdint.h>

#include "db/index/ann.h"
#include "core/vecmath.h"
#include "experiments/bench/clustered.h"

static float *clustered(int n, int d, int clusters, float noise, uint64_t seed) {
    float *v = malloc((size_t)n * d * sizeof *v);
    assert_non_null(v);
    assert_int_equal(clustered_vectors(v, n, d, clusters, noise, 7, seed), 0);
    return v;
}

static void build(const float *v, int n, int d, const AnnParams *p, AnnIndex *ix) {
    char err[256] = "";
    int rc = ann_build(v, n, d, p, ix, err, sizeof err);
    if (rc != ANN_OK)
        fail_msg("ann_build: %s", err);
}

/* recall@10 of ix (at its default nprobe) over queries q[nq x d] against vec_topk. */
static double recall10(const AnnIndex *ix, const float *v, int n, int d, const float *q, int nq) {
    long hits = 0, want = 0;
    Scored truth[10], got[10];
    for (int i = 0; i < nq; i++) {
        int t = vec_topk(v, n, d, q + (size_t)i * d, 10, NULL, 0, truth);
        int g = ann_search(ix, v, q + (size_t)i * d, 10, 0, 0, NULL, 0, got);
        assert_true(g == t);
        for (int a = 0; a < g; a++)
            for (int b = 0; b < t; b++)
                hits += got[a].index == truth[b].index;
        want += t;
    }
    return (double)hits / want;
}

/* 20,000 x 64 in 50 overlapping clusters: the build measures its own
 * recall and picks nprobe; 200 queries it never saw reach 0.99 too. */
static void recall_on_clustered_vectors(void **state) {
    (void)state;
    int n = 20000, d = 64, nq = 200;
    float *v = clustered(n, d, 50, 1.5f, 8), *q = clustered(nq, d, 50, 1.5f, 9);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    build(v, n, d, &p, &ix);
    assert_true(ix.k > 400 && ix.k < 700);
    assert_true(ix.recall >= 0.995f);
    assert_int_equal(ix.tune_queries, 200);
    assert_true(ix.nprobe < ix.k / 2);
    double r = recall10(&ix, v, n, d, q, nq);
    assert_true(r >= 0.99);
    /* Fewer lists probed lose neighbours: the recall above is the index's,
     * not every row's. */
    Scored got[10], truth[10];
    long hits = 0;
    for (int i = 0; i < nq; i++) {
        int g = ann_search(&ix, v, q + (size_t)i * d, 10, 1, 0, NULL, 0, got);
        vec_topk(v, n, d, q + (size_t)i * d, 10, NULL, 0, truth);
        for (int a = 0; a < g; a++)
            for (int b = 0; b < 10; b++)
                hits += got[a].index == truth[b].index;
    }
    assert_true(hits < 0.9 * nq * 10);
    ann_free(&ix);
    free(v);
    free(q);
}

/* Clusters that touch (noise 1.5), 1.25 lists per cluster, 16 sample rows
 * per list: random starts leave about a quarter of the clusters without a
 * start row, k-means alone spreads their rows over many lists and a query
 * probed most lists (nprobe 151 of 375 here without reseeding, 65 with the
 * fp32 k-means of format 1); with reseeding 2 lists reach the recall. */
static void uncovered_clusters_get_lists(void **state) {
    (void)state;
    int n = 30000, d = 300, clusters = 300, nq = 200;
    float *v = clustered(n, d, clusters, 1.5f, 8), *q = clustered(nq, d, clusters, 1.5f, 9);
    AnnParams p;
    ann_build_defaults(&p);
    p.lists = clusters * 5 / 4;
    p.sample_per_list = 16;
    AnnIndex ix;
    build(v, n, d, &p, &ix);
    assert_int_equal(ix.k, clusters * 5 / 4);
    assert_true(ix.recall >= 0.995f);
    if (ix.nprobe > 8)
        fail_msg("nprobe %d of %d lists for recall@10 %.4f", ix.nprobe, ix.k, ix.recall);
    assert_true(recall10(&ix, v, n, d, q, nq) >= 0.99);
    ann_free(&ix);
    free(v);
    free(q);
}

/* The build's threads change its speed, never its image. */
static void threads_give_the_same_bytes(void **state) {
    (void)state;
    int n = 6000, d = 40;
    float *v = clustered(n, d, 60, 1.5f, 8);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex a, b;
    build(v, n, d, &p, &a);
    p.threads = 3;
    build(v, n, d, &p, &b);
    assert_int_equal(ann_bytes(&a), ann_bytes(&b));
    assert_memory_equal(a.image, b.image, ann_bytes(&a));
    ann_free(&a);
    ann_free(&b);
    free(v);
}

static void same_seed_same_bytes(void **state) {
    (void)state;
    int n = 3000, d = 40;
    float *v = clustered(n, d, 20, 1.0f, 8);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex a, b, c;
    build(v, n, d, &p, &a);
    build(v, n, d, &p, &b);
    assert_int_equal(ann_bytes(&a), ann_bytes(&b));
    assert_memory_equal(a.image, b.image, ann_bytes(&a));
    p.seed = 2;
    build(v, n, d, &p, &c);
    assert_true(ann_bytes(&a) != ann_bytes(&c) || memcmp(a.image, c.image, ann_bytes(&a)) != 0);
    ann_free(&a);
    ann_free(&b);
    ann_free(&c);
    free(v);
}

/* An image in a fresh 8-byte-aligned buffer, as the lab will load it. */
static uint8_t *image_of(const AnnIndex *ix, size_t *len) {
    uint8_t *img;
    assert_int_equal(ann_serialize(ix, &img, len), ANN_OK);
    return img;
}

static void round_trip_gives_same_results(void **state) {
    (void)state;
    int n = 5000, d = 50;
    float *v = clustered(n, d, 30, 1.0f, 8), *q = clustered(50, d, 30, 1.0f, 9);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex built, opened;
    build(v, n, d, &p, &built);
    size_t len;
    uint8_t *img = image_of(&built, &len);
    char err[256] = "";
    assert_int_equal(ann_open(img, len, &opened, err, sizeof err), ANN_OK);
    assert_null(opened.image);
    assert_int_equal(opened.n, n);
    assert_int_equal(opened.nprobe, built.nprobe);
    assert_true(opened.recall == built.recall);
    assert_int_equal(ann_check_vectors(&opened, v, n, d, err, sizeof err), ANN_OK);
    for (int i = 0; i < 50; i++) {
        Scored x[10], y[10];
        int32_t ex = i;
        int a = ann_search(&built, v, q + (size_t)i * d, 10, 0, 0, &ex, 1, x);
        int b = ann_search(&opened, v, q + (size_t)i * d, 10, 0, 0, &ex, 1, y);
        assert_int_equal(a, b);
        assert_memory_equal(x, y, (size_t)a * sizeof *x);
        for (int j = 0; j < a; j++)
            assert_int_not_equal(x[j].index, i);
    }
    /* A copy of an opened index is the same image. */
    size_t len2;
    uint8_t *img2 = image_of(&opened, &len2);
    assert_int_equal(len2, len);
    assert_memory_equal(img, img2, len);
    free(img2);
    free(img);
    ann_free(&built);
    free(v);
    free(q);
}

static void expect_corrupt(const uint8_t *img, size_t len, const char *words) {
    AnnIndex ix;
    char err[256] = "";
    int rc = ann_open(img, len, &ix, err, sizeof err);
    if (rc != ANN_ECORRUPT || !strstr(err, words))
        fail_msg("expected a corrupt index (\"%s\"), got %d: %s", words, rc, err);
}

static void damaged_images_are_refused(void **state) {
    (void)state;
    int n = 2000, d = 33;
    float *v = clustered(n, d, 10, 1.0f, 8);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex built;
    build(v, n, d, &p, &built);
    size_t len;
    uint8_t *img = image_of(&built, &len);
    /* One flipped bit anywhere: in the header's numbers, a centroid, a code, an id, the last byte. */
    size_t at[] = {20, 44, 130, len / 2, len - 1};
    for (size_t i = 0; i < sizeof at / sizeof *at; i++) {
        img[at[i]] ^= 4;
        AnnIndex ix;
        char err[256] = "";
        assert_int_equal(ann_open(img, len, &ix, err, sizeof err), ANN_ECORRUPT);
        assert_non_null(strstr(err, "ANN index"));
        img[at[i]] ^= 4;
    }
    img[len / 2] ^= 1;
    expect_corrupt(img, len, "checksum");
    img[len / 2] ^= 1;
    img[0] = 'X';
    expect_corrupt(img, len, "bad magic");
    img[0] = 'E';
    /* Truncated: at every length short of the whole, down to nothing. */
    size_t cut[] = {len - 1, len - 64, len / 2, 127, 8, 0};
    for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
        uint8_t *t = malloc(cut[i] ? cut[i] : 1);
        memcpy(t, img, cut[i]);
        expect_corrupt(t, cut[i], cut[i] < 128 ? "shorter than its" : "truncated");
        free(t);
    }
    /* Damage with a valid checksum (a bug, not a bit flip): refused by the structure checks. */
    uint32_t n_twice = 0;
    uint8_t *copy = malloc(len);
    memcpy(copy, img, len);
    size_t ids_off = (size_t)((const uint8_t *)built.ids - built.image);
    memcpy(copy + ids_off + 4, &n_twice, 4);
    memcpy(copy + ids_off, &n_twice, 4);
    ann_seal(copy, len);
    expect_corrupt(copy, len, "twice");
    memcpy(copy, img, len);
    size_t starts_off = (size_t)((const uint8_t *)built.list_start - built.image);
    uint32_t big = (uint32_t)n + 1;
    memcpy(copy + starts_off + 4 * (size_t)built.k, &big, 4);
    ann_seal(copy, len);
    expect_corrupt(copy, len, "do not cover");
    memcpy(copy, img, len);
    size_t scale_off = (size_t)((const uint8_t *)built.scale - built.image);
    float nan = NAN;
    memcpy(copy + scale_off, &nan, 4);
    ann_seal(copy, len);
    expect_corrupt(copy, len, "scale");
    /* A header whose numbers would overflow if multiplied unchecked. */
    memcpy(copy, img, len);
    uint32_t huge = 0xffffffffu;
    memcpy(copy + 20, &huge, 4);
    ann_seal(copy, len);
    expect_corrupt(copy, len, "damaged");
    /* Another version: an image of format 1 (4 sqrt(n) lists, fp32
     * centroids) is refused, and the lab rebuilds it. */
    memcpy(copy, img, len);
    uint32_t v1 = 1;
    memcpy(copy + 8, &v1, 4);
    ann_seal(copy, len);
    expect_corrupt(copy, len, "format version 1; this build reads version 2 (rebuild it)");
    /* Misaligned. */
    uint8_t *mis = malloc(len + 8);
    memcpy(mis + 1, img, len);
    AnnIndex ix;
    char err[256] = "";
    assert_int_equal(ann_open(mis + 1, len, &ix, err, sizeof err), ANN_EINVAL);
    free(mis);
    free(copy);
    free(img);
    ann_free(&built);
    free(v);
}

static void changed_vectors_are_stale(void **state) {
    (void)state;
    int n = 1000, d = 24;
    float *v = clustered(n, d, 10, 1.0f, 8);
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    build(v, n, d, &p, &ix);
    char err[256] = "";
    assert_int_equal(ann_check_vectors(&ix, v, n, d, err, sizeof err), ANN_OK);
    v[(size_t)500 * d + 3] = nextafterf(v[(size_t)500 * d + 3], 1);
    assert_int_equal(ann_check_vectors(&ix, v, n, d, err, sizeof err), ANN_ESTALE);
    assert_non_null(strstr(err, "stale"));
    v[(size_t)500 * d + 3] = nextafterf(v[(size_t)500 * d + 3], -1);
    assert_int_equal(ann_check_vectors(&ix, v, n, d, err, sizeof err), ANN_OK);
    assert_int_equal(ann_check_vectors(&ix, v, n - 1, d, err, sizeof err), ANN_ESTALE);
    assert_non_null(strstr(err, "999 x 24"));
    /* Rebuilt after the change, it matches again. */
    v[0] = -v[0];
    assert_int_equal(ann_check_vectors(&ix, v, n, d, err, sizeof err), ANN_ESTALE);
    ann_free(&ix);
    build(v, n, d, &p, &ix);
    assert_int_equal(ann_check_vectors(&ix, v, n, d, err, sizeof err), ANN_OK);
    ann_free(&ix);
    free(v);
}

/* With every list probed and every row re-ranked, the index answers
 * exactly as vec_topk, scores and ties included. */
static void check_exact(const float *v, int n, int d, const AnnIndex *ix, int k) {
    Scored want[64], got[64];
    for (int i = 0; i < n && i < 20; i++) {
        int32_t ex = i;
        int a = vec_topk(v, n, d, v + (size_t)i * d, k, &ex, 1, want);
        int b = ann_search(ix, v, v + (size_t)i * d, k, ix->k, n, &ex, 1, got);
        assert_int_equal(a, b);
        assert_memory_equal(want, got, (size_t)a * sizeof *want);
    }
}

static void tiny_and_odd_sizes(void **state) {
    (void)state;
    int sizes[][2] = {{1, 8}, {2, 3}, {10, 300}, {37, 1}, {200, 17}, {300, 65}, {500, 100}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
        int n = sizes[s][0], d = sizes[s][1];
        float *v = clustered(n, d, 3, 1.0f, 8);
        AnnParams p;
        ann_build_defaults(&p);
        AnnIndex ix;
        build(v, n, d, &p, &ix);
        assert_true(ix.k >= 1 && ix.k <= n);
        assert_int_equal(ix.dpad % 64, 0);
        assert_true(ix.dpad >= d);
        check_exact(v, n, d, &ix, n < 10 ? n : 10);
        Scored got[10];
        int32_t ex = 0;
        int want = n - 1 < 10 ? n - 1 : 10;
        assert_int_equal(ann_search(&ix, v, v, 10, 0, 0, &ex, 1, got), want);
        assert_int_equal(ann_search(&ix, v, v, 0, 0, 0, NULL, 0, got), 0);
        size_t len;
        uint8_t *img = image_of(&ix, &len);
        AnnIndex opened;
        char err[256] = "";
        assert_int_equal(ann_open(img, len, &opened, err, sizeof err), ANN_OK);
        check_exact(v, n, d, &opened, n < 10 ? n : 10);
        free(img);
        ann_free(&ix);
        free(v);
    }
    /* Explicit lists beyond n are cut to n; identical vectors all land somewhere. */
    float same[4 * 5];
    for (int i = 0; i < 20; i++)
        same[i] = 0.5f;
    AnnParams p;
    ann_build_defaults(&p);
    p.lists = 9;
    AnnIndex ix;
    build(same, 5, 4, &p, &ix);
    assert_int_equal(ix.k, 5);
    Scored got[5];
    assert_int_equal(ann_search(&ix, same, same, 5, 0, 0, NULL, 0, got), 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i].index, i);
    ann_free(&ix);
}

static void bad_input_is_refused(void **state) {
    (void)state;
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix;
    char err[256] = "";
    float v[4] = {1, 0, 0, NAN};
    assert_int_equal(ann_build(v, 2, 2, &p, &ix, err, sizeof err), ANN_EINVAL);
    assert_non_null(strstr(err, "vector 1 holds a non-finite value"));
    float longer[4] = {3, 4, 0, 1};
    assert_int_equal(ann_build(longer, 2, 2, &p, &ix, err, sizeof err), ANN_EINVAL);
    assert_non_null(strstr(err, "vector 0 has length 5; the index takes unit vectors"));
    assert_int_equal(ann_build(v, 0, 2, &p, &ix, err, sizeof err), ANN_EINVAL);
    assert_int_equal(ann_build(v, 1, ANN_MAX_DIM + 1, &p, &ix, err, sizeof err), ANN_EINVAL);
    assert_non_null(strstr(err, "1 to 65536 dimensions"));
}

/* A dimension whose values are all subnormal (found by fuzz/fuzz_ann.c):
 * 127 / max overflowed to an infinite scale, and the built image did not
 * open. Such a dimension now codes as zero and the image opens. */
static void subnormal_dimension_still_opens(void **state) {
    (void)state;
    /* Unit rows (and a zero one); the second value of each is subnormal. */
    float v[4 * 2] = {1, 1e-40f, -1, 2e-40f, 1, 1e-41f, 0, 0};
    AnnParams p;
    ann_build_defaults(&p);
    AnnIndex ix, opened;
    build(v, 4, 2, &p, &ix);
    size_t len;
    uint8_t *img = image_of(&ix, &len);
    char err[256] = "";
    if (ann_open(img, len, &opened, err, sizeof err) != ANN_OK)
        fail_msg("a built index must open: %s", err);
    assert_true(opened.scale[1] == 1.0f);
    check_exact(v, 4, 2, &opened, 3);
    free(img);
    ann_free(&ix);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(recall_on_clustered_vectors),   cmocka_unit_test(same_seed_same_bytes),
        cmocka_unit_test(round_trip_gives_same_results), cmocka_unit_test(damaged_images_are_refused),
        cmocka_unit_test(changed_vectors_are_stale),     cmocka_unit_test(tiny_and_odd_sizes),
        cmocka_unit_test(bad_input_is_refused),          cmocka_unit_test(subnormal_dimension_still_opens),
        cmocka_unit_test(uncovered_clusters_get_lists),  cmocka_unit_test(threads_give_the_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
