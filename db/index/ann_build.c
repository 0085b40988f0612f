/* db/index/ann_build.c: building the index of db/index/ann.h: k-means over the
 * integer codes, the lists, the codes and the measured nprobe. Kept apart
 * from db/index/ann.c (open and search) because it runs OpenMP threads, which
 * the SQL extension, carrying only the search, must not need. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/rng.h"
#include "db/index/ann.h"
#include "db/index/ann_impl.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

/* Codes the centroids cent[k x d] into the panels (ann_panel_at): code =
 * round(c_j scale_j) + 128, as the rows' codes; centroids past k are
 * zero (code 128). */
static void encode_centroids(const float *cent, int k, int d, int dpad, const float *scale, uint8_t *panels) {
    int kpad = (k + 15) / 16 * 16;
    memset(panels, 128, (size_t)kpad * dpad);
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++) {
            long v = lrintf(cent[(size_t)c * d + j] * scale[j]);
            panels[ann_panel_at(c, j, dpad)] = (uint8_t)((v > 127 ? 127 : v < -127 ? -127 : v) + 128);
        }
}

/* For 8 int8 queries q[8], the best of the k centroids in the panels:
 * bestv[i] its score, besti[i] its number, ties to the lower. One panel
 * load feeds the 8 queries; the running best stays in registers, per
 * lane, and the lanes are reduced at the end (a later panel replaces a
 * lane's best only when strictly better, so ties keep the lower). */
static void best8(const uint8_t *panels, int k, int dpad, const int8_t *const q[8], int32_t bestv[8],
                  int32_t besti[8]) {
    int np = (k + 15) / 16;
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
    __m512i bv[8], bi[8];
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    for (int i = 0; i < 8; i++) {
        bv[i] = _mm512_set1_epi32(INT32_MIN);
        bi[i] = _mm512_setzero_si512();
    }
    for (int pn = 0; pn < np; pn++) {
        const uint8_t *panel = panels + (size_t)pn * 16 * dpad;
        __m512i acc[8];
        for (int i = 0; i < 8; i++)
            acc[i] = _mm512_setzero_si512();
        for (int g = 0; g < dpad / 4; g++) {
            __m512i c = _mm512_loadu_si512(panel + 64 * g);
            for (int i = 0; i < 8; i++) {
                int32_t w;
                memcpy(&w, q[i] + 4 * g, 4);
                acc[i] = _mm512_dpbusd_epi32(acc[i], c, _mm512_set1_epi32(w));
            }
        }
        __m512i id = _mm512_add_epi32(lane, _mm512_set1_epi32(pn * 16));
        /* Lanes past k never win. */
        __mmask16 valid = (__mmask16)(k - pn * 16 >= 16 ? 0xffff : (1u << (k - pn * 16)) - 1);
        for (int i = 0; i < 8; i++) {
            __mmask16 better = _mm512_mask_cmpgt_epi32_mask(valid, acc[i], bv[i]);
            bv[i] = _mm512_mask_mov_epi32(bv[i], better, acc[i]);
            bi[i] = _mm512_mask_mov_epi32(bi[i], better, id);
        }
    }
    for (int i = 0; i < 8; i++) {
        int32_t v[16], id[16];
        _mm512_storeu_si512(v, bv[i]);
        _mm512_storeu_si512(id, bi[i]);
        bestv[i] = INT32_MIN;
        besti[i] = 0;
        for (int l = 0; l < 16; l++)
            if (v[l] > bestv[i] || (v[l] == bestv[i] && v[l] != INT32_MIN && id[l] < besti[i])) {
                bestv[i] = v[l];
                besti[i] = id[l];
            }
    }
#else
    for (int i = 0; i < 8; i++) {
        bestv[i] = INT32_MIN;
        besti[i] = 0;
    }
    for (int pn = 0; pn < np; pn++) {
        int lanes = k - pn * 16 < 16 ? k - pn * 16 : 16;
        for (int i = 0; i < 8; i++) {
            int32_t s[16];
            ann_panel_dot1(panels + (size_t)pn * 16 * dpad, dpad, q[i], s);
            for (int l = 0; l < lanes; l++)
                if (s[l] > bestv[i]) {
                    bestv[i] = s[l];
                    besti[i] = pn * 16 + l;
                }
        }
    }
#endif
}

/* ---- k-means ---- */

/* What a pass after the first compares a row with (a Lloyd pass moves few
 * rows, and those to nearby centroids): the T centroids nearest its
 * previous one (nbr, that one first), and every centroid reseed() moved
 * (in panels of their own, `moved`); a row whose previous centroid was
 * moved is compared with all. Rows' answers stay their own, so any thread
 * count gives the same. */
typedef struct {
    const int32_t *nbr; /* k x T */
    int T;
    const uint8_t *ccodes;  /* k x dpad, row-major codes of the centroids */
    const uint8_t *mpanels; /* the moved centroids' panels */
    const int32_t *moved;   /* their numbers, ascending */
    int nmoved;
    const uint8_t *was_moved; /* k flags */
} Near;

/* The best of row p's candidates under `near` (its previous centroid
 * prev): *bv, *bi, ties to the lower number. */
static void best_near(const Near *near, int dpad, const int8_t *q8, const int16_t *q16, int32_t prev, int32_t *bv,
                      int32_t *bi) {
    const int32_t *cand = near->nbr + (size_t)prev * near->T;
    for (int t = 0; t < near->T; t++) {
        int32_t c = cand[t];
        if (c < 0)
            break;
        int32_t s = ann_dot_codes(near->ccodes + (size_t)c * dpad, q8, q16, dpad);
        if (s > *bv || (s == *bv && c < *bi)) {
            *bv = s;
            *bi = c;
        }
    }
}

/* For the rows at positions pos[0..np) of rows[] (pos NULL: 0..np):
 * best[i] = the centroid (of k, in panels) with the largest integer score
 * for row rows[i] of unit (row i when rows is NULL), ties to the lower;
 * score[i] (when not NULL) its estimated dot product. With near, best[i]
 * holds the row's previous centroid on entry and only Near's candidates
 * are compared. Rows in blocks of 8 (one panel load for 8) over `threads`
 * threads; each row's answer is its own, so any thread count or block
 * gives the same. */
static int assign_rows(const float *unit, int d, int dpad, const float *scale, const int32_t *rows, const int64_t *pos,
                       int64_t np, const uint8_t *panels, int k, const Near *near, int32_t *best, float *score,
                       int threads) {
    int64_t blocks = (np + 7) / 8;
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(| : failed)
    {
        int8_t *qbuf = malloc((size_t)8 * dpad);
        int16_t *q16 = malloc((size_t)dpad * sizeof *q16);
        failed = !qbuf || !q16;
#pragma omp for schedule(dynamic, 16)
        for (int64_t blk = 0; blk < blocks; blk++) {
            if (!qbuf || !q16)
                continue;
            int nb = np - blk * 8 < 8 ? (int)(np - blk * 8) : 8;
            int64_t at[8];
            const int8_t *q[8];
            float t[8];
            int32_t bias[8], bestv[8], besti[8];
            for (int p = 0; p < 8; p++) {
                int64_t j = blk * 8 + (p < nb ? p : nb - 1);
                at[p] = pos ? pos[j] : j;
                int8_t *qp = qbuf + (size_t)p * dpad;
                t[p] = ann_encode_query(unit + (size_t)(rows ? rows[at[p]] : at[p]) * d, d, dpad, scale, qp);
                bias[p] = 0;
                for (int j2 = 0; j2 < dpad; j2++)
                    bias[p] += 128 * qp[j2];
                q[p] = qp;
            }
            if (!near)
                best8(panels, k, dpad, q, bestv, besti);
            else {
                for (int p = 0; p < 8; p++) {
                    bestv[p] = INT32_MIN;
                    besti[p] = INT32_MAX;
                }
                if (near->nmoved > 0) {
                    best8(near->mpanels, near->nmoved, dpad, q, bestv, besti);
                    for (int p = 0; p < 8; p++)
                        besti[p] = near->moved[besti[p]];
                }
                for (int p = 0; p < nb; p++) {
                    for (int j = 0; j < dpad; j++)
                        q16[j] = q[p][j];
                    best_near(near, dpad, q[p], q16, best[at[p]], &bestv[p], &besti[p]);
                }
            }
            for (int p = 0; p < nb; p++) {
                best[at[p]] = besti[p];
                if (score)
                    score[at[p]] = t[p] > 0 ? (float)(bestv[p] - bias[p]) / t[p] : 0;
            }
        }
        free(qbuf);
        free(q16);
    }
    return failed ? ANN_ENOMEM : ANN_OK;
}

static int cmp_float(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* 1 / the share of a pass's rows compared with every centroid for their
 * low scores (assign). */
#ifndef KM_FULL_SHARE
#define KM_FULL_SHARE 8
#endif

/* assign_rows over rows[0..m): with near, the rows whose previous
 * centroid was moved are compared with every centroid, the others with
 * their candidates (two lists, so a block is never all-centroids for one
 * moved row's sake). */
static int assign(const float *unit, int d, int dpad, const float *scale, const int32_t *rows, int64_t m,
                  const uint8_t *panels, int k, const Near *near, int32_t *best, float *score, int threads) {
    if (!near)
        return assign_rows(unit, d, dpad, scale, rows, NULL, m, panels, k, NULL, best, score, threads);
    int64_t *pos = malloc((size_t)(m + 1) * sizeof *pos), nfull = 0;
    float *sorted = malloc((size_t)(m + 1) * sizeof *sorted);
    if (!pos || !sorted) {
        free(pos);
        free(sorted);
        return ANN_ENOMEM;
    }
    /* The worst served rows (the lowest share of the previous scores) may
     * belong to no centroid yet: they look everywhere. */
    memcpy(sorted, score, (size_t)m * sizeof *sorted);
    qsort(sorted, (size_t)m, sizeof *sorted, cmp_float);
    float low = sorted[(m - 1) / KM_FULL_SHARE];
    free(sorted);
    for (int64_t i = 0; i < m; i++)
        nfull += near->was_moved[best[i]] || score[i] <= low;
    int64_t f = 0, r = nfull;
    for (int64_t i = 0; i < m; i++)
        pos[near->was_moved[best[i]] || score[i] <= low ? f++ : r++] = i;
    int rc = assign_rows(unit, d, dpad, scale, rows, pos, nfull, panels, k, NULL, best, score, threads);
    if (rc == ANN_OK)
        rc = assign_rows(unit, d, dpad, scale, rows, pos + nfull, m - nfull, panels, k, near, best, score, threads);
    free(pos);
    return rc;
}

/* nbr[c T ..] = centroid c, then the T - 1 others nearest it by the
 * integer scores of the panels (ties to the lower), -1 past k - 1 others. */
static int centroid_neighbours(const float *cent, int k, int d, int dpad, const float *scale, const uint8_t *panels,
                               int T, int32_t *nbr, int threads) {
    int failed = 0;
#pragma omp parallel num_threads(threads > 0 ? threads : 1) reduction(| : failed)
    {
        int8_t *q8 = malloc((size_t)dpad);
        int32_t *tv = malloc((size_t)T * sizeof *tv);
        failed = !q8 || !tv;
#pragma omp for schedule(dynamic, 64)
        for (int c = 0; c < k; c++) {
            if (!q8 || !tv)
                continue;
            int32_t *ti = nbr + (size_t)c * T;
            ti[0] = c;
            int nt = 1;
            ann_encode_query(cent + (size_t)c * d, d, dpad, scale, q8);
            for (int pn = 0; pn < (k + 15) / 16; pn++) {
                int32_t s[16];
                ann_panel_dot1(panels + (size_t)pn * 16 * dpad, dpad, q8, s);
                int lanes = k - pn * 16 < 16 ? k - pn * 16 : 16;
                for (int l = 0; l < lanes; l++) {
                    int32_t id = pn * 16 + l;
                    if (id == c || (nt == T && s[l] <= tv[T - 1]))
                        continue;
                    /* Insert, keeping scores descending; equal ones keep the lower (earlier) id first. */
                    int at = nt < T ? nt++ : T - 1;
                    while (at > 1 && tv[at - 1] < s[l]) {
                        tv[at] = tv[at - 1];
                        ti[at] = ti[at - 1];
                        at--;
                    }
                    tv[at] = s[l];
                    ti[at] = id;
                }
            }
            for (int t = nt; t < T; t++)
                ti[t] = -1;
        }
        free(q8);
        free(tv);
    }
    return failed ? ANN_ENOMEM : ANN_OK;
}

/* A value and an index, sorted by value then index (deterministic). */
typedef struct {
    double v;
    int64_t i;
} Ranked;

static int cmp_ranked(const void *a, const void *b) {
    const Ranked *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Moves the centroids of the r smallest lists (count[k]) to sample rows
 * that no centroid serves: the rows of the sample with the lowest score
 * (their best centroid's dot product), worst first, each taken only when
 * no row taken before is nearer it than its centroid (so one neglected
 * neighbourhood gets one centroid). Random starts miss neighbourhoods
 * (clusters with no start row) and Lloyd passes do not find them: their
 * rows spread over far centroids, and a query near them would have to
 * probe most lists. moved[0..*nmoved) gets the moved centroids, ascending. */
static int reseed(const float *unit, int d, const int32_t *rows, int64_t m, const float *score, const int64_t *count,
                  int k, int r, float *cent, int32_t *moved, int *nmoved) {
    Ranked *lists = malloc((size_t)k * sizeof *lists), *cands = malloc((size_t)m * sizeof *cands);
    int32_t *taken = malloc((size_t)r * sizeof *taken);
    if (!lists || !cands || !taken) {
        free(lists);
        free(cands);
        free(taken);
        return ANN_ENOMEM;
    }
    for (int c = 0; c < k; c++)
        lists[c] = (Ranked){(double)count[c], c};
    qsort(lists, (size_t)k, sizeof *lists, cmp_ranked);
    for (int64_t i = 0; i < m; i++)
        cands[i] = (Ranked){score[i], i};
    qsort(cands, (size_t)m, sizeof *cands, cmp_ranked);
    int nt = 0;
    /* A bounded look: past 16 r candidates the rest are served. */
    for (int64_t a = 0; a < m && a < 16 * (int64_t)r && nt < r; a++) {
        const float *x = unit + (size_t)rows[cands[a].i] * d;
        int near = 0;
        for (int b = 0; b < nt && !near; b++)
            near = vec_dot_f32(x, unit + (size_t)taken[b] * d, d) >= cands[a].v;
        if (!near)
            taken[nt++] = rows[cands[a].i];
    }
    for (int b = 0; b < nt; b++) {
        memcpy(cent + (size_t)lists[b].i * d, unit + (size_t)taken[b] * d, (size_t)d * sizeof *cent);
        moved[b] = (int32_t)lists[b].i;
    }
    qsort(moved, (size_t)nt, sizeof *moved, ann_cmp_int32);
    *nmoved = nt;
    free(lists);
    free(cands);
    free(taken);
    return ANN_OK;
}

/* One Lloyd update: each centroid the normalised mean of its rows (best[]),
 * an empty one kept (reseed moves it). Fills count[k]. */
static void update(const float *unit, int d, const int32_t *rows, int64_t m, const int32_t *best, int k, double *sums,
                   int64_t *count, float *mean, float *cent) {
    memset(sums, 0, (size_t)k * d * sizeof *sums);
    memset(count, 0, (size_t)k * sizeof *count);
    for (int64_t i = 0; i < m; i++) {
        const float *x = unit + (size_t)rows[i] * d;
        double *s = sums + (size_t)best[i] * d;
        for (int j = 0; j < d; j++)
            s[j] += x[j];
        count[best[i]]++;
    }
    for (int c = 0; c < k; c++) {
        if (count[c] == 0)
            continue;
        for (int j = 0; j < d; j++)
            mean[j] = (float)sums[(size_t)c * d + j];
        /* Opposite rows may sum to zero: then the centroid stays. */
        if (vec_normalize_f32(mean, d) > 0)
            memcpy(cent + (size_t)c * d, mean, (size_t)d * sizeof *cent);
    }
}

/* Codes the centroids row by row (k x dpad, for best_near) and the moved
 * ones (moved[0..nm)) in panels of their own; flags them in was_moved. */
static void encode_near(const float *cent, int k, int d, int dpad, const float *scale, const int32_t *moved, int nm,
                        uint8_t *ccodes, uint8_t *mpanels, float *mcent, uint8_t *was_moved) {
    for (int c = 0; c < k; c++) {
        uint8_t *row = ccodes + (size_t)c * dpad;
        for (int j = 0; j < d; j++) {
            long v = lrintf(cent[(size_t)c * d + j] * scale[j]);
            row[j] = (uint8_t)((v > 127 ? 127 : v < -127 ? -127 : v) + 128);
        }
        memset(row + d, 128, (size_t)(dpad - d));
    }
    memset(was_moved, 0, (size_t)k);
    for (int b = 0; b < nm; b++) {
        memcpy(mcent + (size_t)b * d, cent + (size_t)moved[b] * d, (size_t)d * sizeof *mcent);
        was_moved[moved[b]] = 1;
    }
    if (nm > 0)
        encode_centroids(mcent, nm, d, dpad, scale, mpanels);
}

/* The buffers of k-means. */
typedef struct {
    int32_t *rows, *best, *nbr, *moved;
    float *score, *mean, *mcent;
    double *sums;
    int64_t *count;
    uint8_t *ccodes, *mpanels, *was_moved;
} KmBufs;

static void km_free(KmBufs *b) {
    free(b->rows);
    free(b->best);
    free(b->nbr);
    free(b->moved);
    free(b->score);
    free(b->mean);
    free(b->mcent);
    free(b->sums);
    free(b->count);
    free(b->ccodes);
    free(b->mpanels);
    free(b->was_moved);
}

static int km_alloc(KmBufs *b, int32_t n, int64_t m, int k, int r, int d, int dpad, int T) {
    *b = (KmBufs){0};
    b->rows = malloc((size_t)n * sizeof *b->rows);
    b->best = malloc((size_t)m * sizeof *b->best);
    b->nbr = malloc((size_t)k * T * sizeof *b->nbr);
    b->moved = malloc((size_t)r * sizeof *b->moved);
    b->score = malloc((size_t)m * sizeof *b->score);
    b->mean = malloc((size_t)d * sizeof *b->mean);
    b->mcent = malloc((size_t)r * d * sizeof *b->mcent);
    b->sums = malloc((size_t)k * d * sizeof *b->sums);
    b->count = malloc((size_t)k * sizeof *b->count);
    b->ccodes = malloc((size_t)k * dpad);
    b->mpanels = malloc((size_t)(r + 15) / 16 * 16 * dpad);
    b->was_moved = malloc((size_t)k);
    if (b->rows && b->best && b->nbr && b->moved && b->score && b->mean && b->mcent && b->sums && b->count &&
        b->ccodes && b->mpanels && b->was_moved)
        return ANN_OK;
    km_free(b);
    return ANN_ENOMEM;
}

/* Candidates per row in the passes after the first (Near). */
#define KM_NEAR 16

/* Spherical k-means and every row's list: k centroids (unit rows, in
 * cent[k x d], coded into panels) from `iterations` Lloyd passes over a
 * seeded sample of `per_list` * k rows, scored with the integer codes of
 * the search, and list[0..n) each row's centroid. The first pass compares
 * every row with every centroid, later ones with Near's candidates; after
 * each pass but the last two, reseed() moves the smallest k / 32 lists to
 * neglected rows. The last pass updates nothing: its centroids are the
 * index's, its answers the sample rows' lists, and only the other rows
 * are compared with every centroid. */
static int kmeans(const float *unit, int32_t n, int d, int dpad, int k, const AnnParams *p, const float *scale,
                  float *cent, uint8_t *panels, int32_t *list) {
    Rng rng;
    rng_seed(&rng, p->seed);
    int64_t m = (int64_t)k * (p->sample_per_list > 0 ? p->sample_per_list : 1);
    int iterations = p->iterations > 0 ? p->iterations : 1;
    if (m > n)
        m = n;
    int r = k / 32 > 1 ? k / 32 : 1, T = KM_NEAR < k ? KM_NEAR : k, nmoved = 0;
    KmBufs b;
    if (km_alloc(&b, n, m, k, r, d, dpad, T) != ANN_OK)
        return ANN_ENOMEM;
    /* The first m of a partial shuffle are the sample; its first k start
     * the centroids (distinct rows). */
    for (int32_t i = 0; i < n; i++)
        b.rows[i] = i;
    for (int64_t i = 0; i < m; i++) {
        int64_t j = i + (int64_t)rng_below(&rng, (uint64_t)(n - i));
        int32_t t = b.rows[i];
        b.rows[i] = b.rows[j];
        b.rows[j] = t;
    }
    for (int c = 0; c < k; c++)
        memcpy(cent + (size_t)c * d, unit + (size_t)b.rows[c] * d, (size_t)d * sizeof *cent);
    /* In row order, the sample is read front to back. */
    qsort(b.rows, (size_t)m, sizeof *b.rows, ann_cmp_int32);
    int rc = ANN_OK;
    for (int it = 0; rc == ANN_OK && it < iterations; it++) {
        encode_centroids(cent, k, d, dpad, scale, panels);
        Near near = {b.nbr, T, b.ccodes, b.mpanels, b.moved, nmoved, b.was_moved};
        if (it > 0) {
            encode_near(cent, k, d, dpad, scale, b.moved, nmoved, b.ccodes, b.mpanels, b.mcent, b.was_moved);
            rc = centroid_neighbours(cent, k, d, dpad, scale, panels, T, b.nbr, p->threads);
        }
        if (rc == ANN_OK)
            rc = assign(unit, d, dpad, scale, b.rows, m, panels, k, it > 0 ? &near : NULL, b.best, b.score, p->threads);
        if (rc != ANN_OK || it == iterations - 1)
            break;
        update(unit, d, b.rows, m, b.best, k, b.sums, b.count, b.mean, cent);
        nmoved = 0;
        if (it < iterations - 2)
            rc = reseed(unit, d, b.rows, m, b.score, b.count, k, r, cent, b.moved, &nmoved);
    }
    if (rc == ANN_OK) {
        for (int64_t i = 0; i < m; i++)
            list[b.rows[i]] = b.best[i];
        /* The rows past the sample, in row order. */
        qsort(b.rows + m, (size_t)(n - m), sizeof *b.rows, ann_cmp_int32);
        int32_t *rest = malloc((size_t)(n - m + 1) * sizeof *rest);
        rc = rest ? assign(unit, d, dpad, scale, b.rows + m, n - m, panels, k, NULL, rest, NULL, p->threads)
                  : ANN_ENOMEM;
        for (int64_t i = 0; rc == ANN_OK && i < n - m; i++)
            list[b.rows[m + i]] = rest[i];
        free(rest);
    }
    km_free(&b);
    return rc;
}

/* ---- build ---- */

void ann_build_defaults(AnnParams *p) {
    *p = (AnnParams){.seed = 1,
                     .lists = 0,
                     .iterations = 8,
                     .sample_per_list = 16,
                     .threads = 1,
                     .nprobe = 0,
                     .rerank = 0,
                     .tune_queries = 200,
                     .target_recall = 0.995};
}

/* Lists when not given: one per 64 rows, at least 4 sqrt(n). A query scans
 * every centroid (k dpad bytes) and then the probed lists; lists must be
 * at least as many as the data's natural neighbourhoods, or k-means merges
 * several into one list and splits others over many (then a query probes
 * most lists: experiments/bench/clustered.h's vectors at 1,000,000 x 300,
 * 10,000 clusters, needed 2820 of 4 sqrt(n) = 4000 lists for recall@10
 * 0.995 and 3 of n / 64 = 15,625). Word vectors' neighbourhoods are smaller still. */
static int default_lists(int32_t n) {
    double k = fmax(4 * sqrt((double)n), n / 64.0);
    return (int)lrint(k);
}

/* Lists probed when nothing is measured: 1.5 sqrt(k), at least 8 (recall@10
 * 0.98 to 1 on experiments/bench/clustered.h's vectors at noise <= 1.5). */
static int default_nprobe(int k) {
    int np = (int)ceil(sqrt((double)k) * 1.5);
    if (np < 8)
        np = 8;
    return np < k ? np : k;
}

/* Recall@10 of ix at nprobe on the queries rows[0..nq) (each excluded from
 * its own answer) against truth (nq x 10, count[i] found each); -1 when out
 * of memory. */
static double recall_at(const AnnIndex *ix, const float *unit, const int32_t *rows, int nq, const Scored *truth,
                        const int *count, int nprobe, int threads) {
    long hits = 0, want = 0;
    int failed = 0;
#pragma omp parallel for num_threads(threads > 0 ? threads : 1) schedule(dynamic, 4) reduction(+ : hits, want) \
    reduction(| : failed)
    for (int i = 0; i < nq; i++) {
        Scored got[10];
        int m = ann_search(ix, unit, unit + (size_t)rows[i] * ix->d, 10, nprobe, 0, &rows[i], 1, got);
        failed |= m < 0;
        for (int a = 0; a < m; a++)
            for (int b = 0; b < count[i]; b++)
                hits += got[a].index == truth[(size_t)i * 10 + b].index;
        want += count[i];
    }
    if (failed)
        return -1;
    return want ? (double)hits / want : 1;
}

/* For each query row rows[i] (i < nq), its 10 nearest other rows into
 * truth[i * 10 ..] and count[i] (zero on entry): what vec_topk gives, ties
 * included, but in one pass over the matrix per thread (the queries split
 * between threads), a cache-sized block of rows at a time for all its
 * queries (at 3,000,000 x 300 one pass is 3.6 GB). */
static void exact_top10(const float *unit, int32_t n, int d, const int32_t *rows, int nq, Scored *truth, int *count,
                        int threads) {
    int64_t block = (256 * 1024) / ((int64_t)d * 4) + 1;
    int parts = threads > 1 ? threads : 1;
#pragma omp parallel for num_threads(parts) schedule(static, 1)
    for (int part = 0; part < parts; part++) {
        int i0 = (int)((int64_t)nq * part / parts), i1 = (int)((int64_t)nq * (part + 1) / parts);
        for (int64_t r0 = 0; r0 < n; r0 += block) {
            int64_t r1 = r0 + block < n ? r0 + block : n;
            for (int i = i0; i < i1; i++) {
                const float *q = unit + (size_t)rows[i] * d;
                Scored *best = truth + (size_t)i * 10;
                for (int64_t r = r0; r < r1; r++) {
                    float s = vec_dot_f32(unit + (size_t)r * d, q, d);
                    if ((count[i] < 10 || s > best[9].score) && r != rows[i])
                        scored_insert(best, &count[i], 10, (int32_t)r, s);
                }
            }
        }
    }
}

/* Sets ix->nprobe to the least nprobe whose measured recall@10 reaches
 * target (recall grows with nprobe), or k when none does, and ix->recall
 * to its recall. */
static int tune(AnnIndex *ix, const float *unit, const AnnParams *p) {
    int nq = p->tune_queries < ix->n ? p->tune_queries : ix->n;
    int32_t *rows = malloc((size_t)nq * sizeof *rows);
    Scored *truth = malloc((size_t)nq * 10 * sizeof *truth);
    int *count = malloc((size_t)nq * sizeof *count);
    if (!rows || !truth || !count) {
        free(rows);
        free(truth);
        free(count);
        return ANN_ENOMEM;
    }
    /* Queries spread over the rows by a stride from the seed, distinct. */
    Rng rng;
    rng_seed(&rng, p->seed ^ 0x5eed);
    int64_t offset = (int64_t)rng_below(&rng, (uint64_t)ix->n);
    for (int i = 0; i < nq; i++) {
        rows[i] = (int32_t)((offset + (int64_t)i * ix->n / nq) % ix->n);
        count[i] = 0;
    }
    exact_top10(unit, ix->n, ix->d, rows, nq, truth, count, p->threads);
    /* Doubling from 1, then bisection between the last two tries: a good
     * index needs few lists, and a try at a large nprobe scans much of the
     * index for every query. */
    int lo = 1, hi = 1, rc = ANN_OK;
    double at_hi = recall_at(ix, unit, rows, nq, truth, count, hi, p->threads);
    while (at_hi >= 0 && at_hi < p->target_recall && hi < ix->k) {
        lo = hi + 1;
        hi = hi < ix->k / 2 ? 2 * hi : ix->k;
        at_hi = recall_at(ix, unit, rows, nq, truth, count, hi, p->threads);
    }
    while (at_hi >= 0 && lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double r = recall_at(ix, unit, rows, nq, truth, count, mid, p->threads);
        if (r < 0)
            at_hi = r;
        else if (r >= p->target_recall) {
            hi = mid;
            at_hi = r;
        } else
            lo = mid + 1;
    }
    if (at_hi < 0)
        rc = ANN_ENOMEM;
    ix->nprobe = hi;
    ix->recall = (float)at_hi;
    ix->tune_queries = nq;
    free(rows);
    free(truth);
    free(count);
    return rc;
}

/* ANN_OK when every row of unit[n x d] is finite and of unit length (or
 * zero); ANN_EINVAL with a message otherwise. Unit rows keep every sum and
 * scale below finite limits: k-means sums at most 2^31 of them, codes
 * scale by 127. */
static int check_rows(const float *unit, int32_t n, int32_t d, char *err, size_t errcap) {
    for (int32_t i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            float x = unit[(size_t)i * d + j];
            if (!isfinite(x)) {
                ann_say(err, errcap, "vector %d holds a non-finite value", i);
                return ANN_EINVAL;
            }
            s += (double)x * x;
        }
        if (s != 0 && fabs(sqrt(s) - 1) > 1e-3) {
            ann_say(err, errcap, "vector %d has length %g; the index takes unit vectors (normalise first)", i, sqrt(s));
            return ANN_EINVAL;
        }
    }
    return ANN_OK;
}

/* Lists in order, rows in row order within a list (a counting sort of
 * list[0..n) into start[0..k] and ids[0..n), both zeroed). */
static int sort_lists(const int32_t *list, int32_t n, int k, uint32_t *start, uint32_t *ids) {
    for (int32_t i = 0; i < n; i++)
        start[list[i] + 1]++;
    for (int c = 0; c < k; c++)
        start[c + 1] += start[c];
    uint32_t *fill = malloc((size_t)k * sizeof *fill);
    if (!fill)
        return ANN_ENOMEM;
    memcpy(fill, start, (size_t)k * sizeof *fill);
    for (int32_t i = 0; i < n; i++)
        ids[fill[list[i]]++] = (uint32_t)i;
    free(fill);
    return ANN_OK;
}

/* The per-dimension scales and the code rows (in list order, ids). Word
 * vectors' dimensions differ in range (a few carry much of the norm), and
 * one global scale would spend most codes of the narrow ones on nothing.
 * The query absorbs the scales (ann_search), so the scan stays one integer
 * dot product per row. */
static void find_scales(const float *unit, int32_t n, int d, float *scale) {
    for (int j = 0; j < d; j++)
        scale[j] = 0;
    for (int32_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            scale[j] = fmaxf(scale[j], fabsf(unit[(size_t)i * d + j]));
    for (int j = 0; j < d; j++)
        scale[j] = scale[j] > 127.0f / FLT_MAX ? 127.0f / scale[j] : 1.0f; /* finite: ann_open checks */
}

/* The code rows in list order (ids), with the scales. */
static void quantize(const float *unit, int32_t n, int d, const uint32_t *ids, const float *scale, uint8_t *codes) {
    int dpad = (int)ann_align64((uint64_t)d);
    for (int32_t r = 0; r < n; r++) {
        const float *x = unit + (size_t)ids[r] * d;
        uint8_t *c = codes + (size_t)r * dpad;
        for (int j = 0; j < d; j++) {
            long v = lrintf(x[j] * scale[j]);
            c[j] = (uint8_t)((v > 127 ? 127 : v < -127 ? -127 : v) + 128);
        }
        memset(c + d, 128, (size_t)(dpad - d));
    }
}

/* Scales, centroids (k-means), each row's list, the sorted lists and the
 * codes, into the zeroed image of layout l. */
static int fill_image(const float *unit, int32_t n, int d, int k, const AnnParams *p, uint8_t *image,
                      const AnnLayout *l, char *err, size_t errcap) {
    int dpad = (int)ann_align64((uint64_t)d);
    float *scale = (float *)(image + l->scale);
    uint8_t *panels = image + l->cpanels;
    find_scales(unit, n, d, scale);
    int32_t *list = malloc((size_t)n * sizeof *list);
    float *cent = malloc((size_t)k * d * sizeof *cent);
    int rc = list && cent ? kmeans(unit, n, d, dpad, k, p, scale, cent, panels, list) : ANN_ENOMEM;
    free(cent);
    if (rc != ANN_OK) {
        free(list);
        ann_say(err, errcap, "out of memory in k-means");
        return ANN_ENOMEM;
    }
    uint32_t *ids = (uint32_t *)(image + l->ids);
    rc = sort_lists(list, n, k, (uint32_t *)(image + l->starts), ids);
    free(list);
    if (rc != ANN_OK) {
        ann_say(err, errcap, "out of memory in the list sort");
        return rc;
    }
    quantize(unit, n, d, ids, scale, image + l->codes);
    return ANN_OK;
}

int ann_build(const float *unit, int32_t n, int32_t d, const AnnParams *p, AnnIndex *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    if (n < 1 || d < 1 || d > ANN_MAX_DIM) {
        ann_say(err, errcap, "an index needs 1 or more vectors of 1 to %d dimensions (got %d x %d)", ANN_MAX_DIM, n, d);
        return ANN_EINVAL;
    }
    if (check_rows(unit, n, d, err, errcap) != ANN_OK)
        return ANN_EINVAL;
    int k = p->lists > 0 ? p->lists : default_lists(n);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    int nprobe = p->nprobe > 0 ? p->nprobe : default_nprobe(k);
    int measure = p->nprobe <= 0 && p->tune_queries > 0;
    if (nprobe > k)
        nprobe = k;
    int rerank = p->rerank > 0 ? p->rerank : 100;
    if (rerank > ANN_MAX_RERANK)
        rerank = ANN_MAX_RERANK;
    AnnLayout l = ann_layout((uint64_t)n, (uint64_t)d, (uint64_t)k);
    uint8_t *image = calloc(1, (size_t)l.total);
    if (!image) {
        ann_say(err, errcap, "out of memory for an index of %llu bytes", (unsigned long long)l.total);
        return ANN_ENOMEM;
    }
    int rc = fill_image(unit, n, d, k, p, image, &l, err, errcap);
    if (rc != ANN_OK) {
        free(image);
        return rc;
    }
    *out = (AnnIndex){.n = n,
                      .d = d,
                      .k = k,
                      .dpad = (int32_t)ann_align64((uint64_t)d),
                      .nprobe = nprobe,
                      .rerank = rerank,
                      .vec_count = (uint64_t)n,
                      .vec_hash = hash_bytes(unit, (size_t)n * d * sizeof *unit),
                      .image = image,
                      .image_bytes = (size_t)l.total};
    ann_point_into(out, image, &l);
    if (measure && tune(out, unit, p) != ANN_OK) {
        ann_free(out);
        ann_say(err, errcap, "out of memory measuring recall");
        return ANN_ENOMEM;
    }
    ann_write_header(out, image, l.total);
    return ANN_OK;
}
