/* experiments/bench/ann_bench.c: the nearest-word index (db/index/ann.c) against
 * exact search (vec_topk) on synthetic clustered vectors
 * (experiments/bench/clustered.h): build time, index bytes, recall@10 and
 * ms/query, exact and indexed, for the default and a few other nprobe.
 * Usage: ann_bench N DIM [CLUSTERS] [NOISE] [QUERIES]; scripts/bench-ann.sh
 * builds and runs it. One thread, as a query runs in SQL. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "db/index/ann.h"
#include "experiments/bench/clustered.h"

enum { K = 10 };

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* How scattered the answers are: the mean number of lists holding each
 * query's true top K (1 when a neighbourhood is one list); -1 when out of
 * memory. */
static double lists_holding(const AnnIndex *ix, const Scored *truth, int nq) {
    int32_t *list_of = malloc((size_t)ix->n * sizeof *list_of);
    if (!list_of)
        return -1;
    for (int c = 0; c < ix->k; c++)
        for (uint32_t r = ix->list_start[c]; r < ix->list_start[c + 1]; r++)
            list_of[ix->ids[r]] = c;
    double lists = 0;
    for (int i = 0; i < nq; i++) {
        int seen[K], ns = 0;
        for (int b = 0; b < K; b++) {
            int c = list_of[truth[(size_t)i * K + b].index], dup = 0;
            for (int a = 0; a < ns; a++)
                dup |= seen[a] == c;
            if (!dup)
                seen[ns++] = c;
        }
        lists += ns;
    }
    free(list_of);
    return lists / nq;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: ann_bench N DIM [CLUSTERS] [NOISE] [QUERIES]\n");
        return 2;
    }
    int64_t n = atoll(argv[1]);
    int d = atoi(argv[2]), clusters = argc > 3 ? atoi(argv[3]) : (int)(n / 100 + 1),
        nq = argc > 5 ? atoi(argv[5]) : 200;
    float noise = argc > 4 ? (float)atof(argv[4]) : 1.5f;
    if (n < 1 || n > ANN_MAX_ROWS || d < 1 || d > ANN_MAX_DIM || clusters < 1 || nq < 1) {
        fprintf(stderr, "embedlab: error: bad sizes\n");
        return 2;
    }
    float *v = malloc((size_t)n * d * sizeof *v), *q = malloc((size_t)nq * d * sizeof *q);
    Scored *truth = malloc((size_t)nq * K * sizeof *truth), got[K];
    if (!v || !q || !truth || clustered_vectors(v, n, d, clusters, noise, 7, 8) ||
        clustered_vectors(q, nq, d, clusters, noise, 7, 9)) {
        fprintf(stderr, "embedlab: error: out of memory\n");
        return 1;
    }
    printf("vectors %lld x %d, %d clusters, noise %.2f, %d queries, top-%d, 1 thread\n", (long long)n, d, clusters,
           noise, nq, K);
    printf("fp32 vectors: %.1f MB (what exact search and the re-rank read)\n", (double)n * d * 4 / 1e6);
    double t0 = now();
    for (int i = 0; i < nq; i++)
        vec_topk(v, n, d, q + (size_t)i * d, K, NULL, 0, truth + (size_t)i * K);
    double exact_ms = (now() - t0) * 1e3 / nq;
    printf("exact scan: %.3f ms/query\n", exact_ms);

    AnnParams p;
    ann_build_defaults(&p);
    /* Build settings to try (db/index/ann.h's AnnParams): LISTS, PER_LIST, ITERATIONS. */
    if (getenv("LISTS"))
        p.lists = atoi(getenv("LISTS"));
    if (getenv("PER_LIST"))
        p.sample_per_list = atoi(getenv("PER_LIST"));
    if (getenv("THREADS"))
        p.threads = atoi(getenv("THREADS"));
    if (getenv("ITERATIONS"))
        p.iterations = atoi(getenv("ITERATIONS"));
    AnnIndex ix;
    char err[256];
    t0 = now();
    if (ann_build(v, (int32_t)n, d, &p, &ix, err, sizeof err) != ANN_OK) {
        fprintf(stderr, "embedlab: error: %s\n", err);
        return 1;
    }
    double build_s = now() - t0;
    printf("index: build %.1f s, %.1f MB (%d lists, codes %d B/row), nprobe %d (measured recall@10 %.4f on %d of "
           "the vectors), rerank %d\n",
           build_s, ann_bytes(&ix) / 1e6, ix.k, ix.dpad, ix.nprobe, ix.recall, ix.tune_queries, ix.rerank);
    t0 = now();
    char err2[256];
    if (ann_check_vectors(&ix, v, (int32_t)n, d, err2, sizeof err2) != ANN_OK)
        fprintf(stderr, "embedlab: error: %s\n", err2);
    printf("identity hash over the fp32 vectors: %.1f ms\n", (now() - t0) * 1e3);
    printf("lists holding a query's true top %d: %.2f on average\n", K, lists_holding(&ix, truth, nq));
    printf("%8s %8s %10s %10s %12s\n", "nprobe", "rerank", "recall@10", "ms/query", "MB/query");
    int rr = getenv("RERANK") ? atoi(getenv("RERANK")) : 0;
    /* 1, 2, 4, ... up to twice the default, and the default. */
    int probes[40], np_count = 0;
    for (int np = 1; np < 2 * ix.nprobe && np <= ix.k && np_count < 38; np *= 2)
        if (np != ix.nprobe)
            probes[np_count++] = np;
    probes[np_count++] = ix.nprobe;
    for (int a = np_count - 1; a > 0 && probes[a] < probes[a - 1]; a--) {
        int t = probes[a];
        probes[a] = probes[a - 1];
        probes[a - 1] = t;
    }
    if (2 * ix.nprobe <= ix.k)
        probes[np_count++] = 2 * ix.nprobe;
    for (int s = 0; s < np_count; s++) {
        int np = probes[s];
        long hits = 0;
        double scanned = 0;
        t0 = now();
        for (int i = 0; i < nq; i++) {
            int m = ann_search(&ix, v, q + (size_t)i * d, K, np, rr, NULL, 0, got);
            for (int a = 0; a < m; a++)
                for (int b = 0; b < K; b++)
                    hits += got[a].index == truth[(size_t)i * K + b].index;
        }
        double ms = (now() - t0) * 1e3 / nq;
        /* Bytes touched: the centroids, then about np/k of the codes. */
        scanned = (double)(ix.k + 15) / 16 * 16 * ix.dpad + (double)np / ix.k * n * ix.dpad + (double)ix.rerank * d * 4;
        printf("%8d %8d %10.4f %10.3f %12.2f%s\n", np, ix.rerank, (double)hits / ((double)nq * K), ms, scanned / 1e6,
               np == ix.nprobe ? "  (default)" : "");
    }
    ann_free(&ix);
    free(v);
    free(q);
    free(truth);
    return 0;
}
