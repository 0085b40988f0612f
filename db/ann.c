/* db/ann.c: the IVF + int8 index of db/ann.h: k-means, quantization, the
 * byte image and its checks, and the search. */
#include "db/ann.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rng.h"

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the index image is little-endian and read in place"
#endif

/* Header fields, at these byte offsets of the image (little-endian). */
enum {
    H_MAGIC = 0,
    H_VERSION = 8,
    H_HEADER_BYTES = 12,
    H_N = 16,
    H_D = 20,
    H_K = 24,
    H_DPAD = 28,
    H_NPROBE = 32,
    H_RERANK = 36,
    H_VEC_COUNT = 40,
    H_VEC_HASH = 48,
    H_IMAGE_BYTES = 56,
    H_RECALL = 64,
    H_TUNE_QUERIES = 68,
    H_RESERVED = 72, /* zero up to the checksum */
    H_CHECKSUM = 120,
};

/* The most candidates a search re-ranks by default or as stored. */
#define ANN_MAX_RERANK (1 << 20)

void ann_say(char *err, size_t cap, const char *fmt, ...) {
    if (!err || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* ---- the hash ---- */

#define HASH_BASIS 0xcbf29ce484222325ull
#define HASH_PRIME 0x100000001b3ull

/* One step: FNV-1a's xor and multiply on a whole word, then a shift that
 * carries high bits down (a multiply alone only moves bits up). */
static inline uint64_t hash_step(uint64_t h, uint64_t w) {
    h = (h ^ w) * HASH_PRIME;
    return h ^ (h >> 32);
}

uint64_t ann_hash(const void *bytes, size_t len) {
    const uint8_t *p = bytes;
    uint64_t h[4] = {HASH_BASIS, HASH_BASIS + 1, HASH_BASIS + 2, HASH_BASIS + 3};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int l = 0; l < 4; l++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * l, 8);
            h[l] = hash_step(h[l], w);
        }
    for (; i < len; i++)
        h[0] = hash_step(h[0], p[i]);
    uint64_t r = HASH_BASIS;
    for (int l = 0; l < 4; l++)
        r = hash_step(r, h[l]);
    return hash_step(r, (uint64_t)len);
}

/* The checksum of an image: its header before the checksum field, then
 * everything after the header. */
static uint64_t image_checksum(const uint8_t *image, size_t len) {
    return hash_step(ann_hash(image, H_CHECKSUM), ann_hash(image + ANN_HEADER_BYTES, len - ANN_HEADER_BYTES));
}

void ann_seal(uint8_t *image, size_t len) {
    if (len < ANN_HEADER_BYTES)
        return;
    uint64_t c = image_checksum(image, len);
    memcpy(image + H_CHECKSUM, &c, 8);
}

/* ---- the layout ---- */

typedef struct {
    uint64_t centroids, scale, starts, ids, codes, total;
} Layout;

static uint64_t align64(uint64_t x) { return (x + 63) & ~(uint64_t)63; }

/* Section offsets for n <= ANN_MAX_ROWS, d <= ANN_MAX_DIM, k <= n: every
 * product stays below 2^58, so nothing here overflows 64 bits. */
static Layout layout(uint64_t n, uint64_t d, uint64_t k) {
    Layout l;
    l.centroids = ANN_HEADER_BYTES;
    l.scale = align64(l.centroids + k * d * 4);
    l.starts = align64(l.scale + d * 4);
    l.ids = align64(l.starts + (k + 1) * 4);
    l.codes = align64(l.ids + n * 4);
    l.total = l.codes + n * align64(d);
    return l;
}

static void point_into(AnnIndex *ix, const uint8_t *image, const Layout *l) {
    ix->centroids = (const float *)(image + l->centroids);
    ix->scale = (const float *)(image + l->scale);
    ix->list_start = (const uint32_t *)(image + l->starts);
    ix->ids = (const uint32_t *)(image + l->ids);
    ix->codes = image + l->codes;
}

/* ---- k-means ---- */

/* Centroids in panels of 16: panel p holds centroids 16p .. 16p + 15 as a
 * d x 16 matrix, so one load feeds 16 dot products and the assignment is a
 * small matrix product without horizontal sums. Centroids past k are zero. */
static float *make_panels(const float *cent, int k, int d) {
    int np = (k + 15) / 16;
    float *panels = calloc((size_t)np * 16 * d, sizeof *panels);
    if (!panels)
        return NULL;
    for (int c = 0; c < k; c++)
        for (int j = 0; j < d; j++)
            panels[((size_t)(c / 16) * d + j) * 16 + c % 16] = cent[(size_t)c * d + j];
    return panels;
}

/* best[i] = the centroid (of k, in panels) with the largest dot product with
 * row rows[i] of unit (row i when rows is NULL), i < m; ties to the lower. */
static void assign(const float *unit, int d, const int32_t *rows, int64_t m, const float *panels, int k,
                   int32_t *best) {
    enum { B = 8 };
    int np = (k + 15) / 16;
    for (int64_t i0 = 0; i0 < m; i0 += B) {
        int nb = m - i0 < B ? (int)(m - i0) : B;
        const float *x[B];
        for (int p = 0; p < B; p++) {
            int64_t i = i0 + (p < nb ? p : nb - 1);
            x[p] = unit + (size_t)(rows ? rows[i] : i) * d;
        }
        float bestv[B];
        int32_t besti[B];
        for (int p = 0; p < B; p++) {
            bestv[p] = -INFINITY;
            besti[p] = 0;
        }
        for (int pn = 0; pn < np; pn++) {
            const float *panel = panels + (size_t)pn * d * 16;
            float s[B][16];
#ifdef __AVX512F__
            __m512 acc[B];
            for (int p = 0; p < B; p++)
                acc[p] = _mm512_setzero_ps();
            for (int j = 0; j < d; j++) {
                __m512 c = _mm512_loadu_ps(panel + (size_t)j * 16);
                for (int p = 0; p < B; p++)
                    acc[p] = _mm512_fmadd_ps(_mm512_set1_ps(x[p][j]), c, acc[p]);
            }
            for (int p = 0; p < B; p++)
                _mm512_storeu_ps(s[p], acc[p]);
#else
            memset(s, 0, sizeof s);
            for (int j = 0; j < d; j++)
                for (int p = 0; p < B; p++)
                    for (int l = 0; l < 16; l++)
                        s[p][l] += x[p][j] * panel[(size_t)j * 16 + l];
#endif
            int lanes = k - pn * 16 < 16 ? k - pn * 16 : 16;
            for (int p = 0; p < nb; p++)
                for (int l = 0; l < lanes; l++)
                    if (s[p][l] > bestv[p]) {
                        bestv[p] = s[p][l];
                        besti[p] = pn * 16 + l;
                    }
        }
        for (int p = 0; p < nb; p++)
            best[i0 + p] = besti[p];
    }
}

static int cmp_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Spherical k-means: k centroids (unit rows, into cent[k x d]) from
 * `iterations` Lloyd passes over a seeded sample of `per_list` * k rows. */
static int kmeans(const float *unit, int32_t n, int d, int k, const AnnParams *p, float *cent) {
    Rng rng;
    rng_seed(&rng, p->seed);
    int64_t m = (int64_t)k * (p->sample_per_list > 0 ? p->sample_per_list : 1);
    if (m > n)
        m = n;
    int32_t *rows = malloc((size_t)n * sizeof *rows);
    int32_t *best = malloc((size_t)m * sizeof *best);
    double *sums = malloc((size_t)k * d * sizeof *sums);
    int64_t *count = malloc((size_t)k * sizeof *count);
    float *mean = malloc((size_t)d * sizeof *mean);
    if (!rows || !best || !sums || !count || !mean) {
        free(mean);
        free(rows);
        free(best);
        free(sums);
        free(count);
        return ANN_ENOMEM;
    }
    /* The first m of a partial shuffle are the sample; its first k start
     * the centroids (distinct rows). */
    for (int32_t i = 0; i < n; i++)
        rows[i] = i;
    for (int64_t i = 0; i < m; i++) {
        int64_t j = i + (int64_t)rng_below(&rng, (uint64_t)(n - i));
        int32_t t = rows[i];
        rows[i] = rows[j];
        rows[j] = t;
    }
    for (int c = 0; c < k; c++)
        memcpy(cent + (size_t)c * d, unit + (size_t)rows[c] * d, (size_t)d * sizeof *cent);
    /* In row order, the sample is read front to back. */
    qsort(rows, (size_t)m, sizeof *rows, cmp_int32);
    int rc = ANN_OK;
    for (int it = 0; it < p->iterations; it++) {
        float *panels = make_panels(cent, k, d);
        if (!panels) {
            rc = ANN_ENOMEM;
            break;
        }
        assign(unit, d, rows, m, panels, k, best);
        free(panels);
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
            float *ct = cent + (size_t)c * d;
            if (count[c] == 0) {
                /* An empty list restarts at a sample row. */
                memcpy(ct, unit + (size_t)rows[rng_below(&rng, (uint64_t)m)] * d, (size_t)d * sizeof *ct);
                continue;
            }
            for (int j = 0; j < d; j++)
                mean[j] = (float)sums[(size_t)c * d + j];
            /* Opposite rows may sum to zero: then the centroid stays. */
            if (vec_normalize_f32(mean, d) > 0)
                memcpy(ct, mean, (size_t)d * sizeof *ct);
        }
    }
    free(mean);
    free(rows);
    free(best);
    free(sums);
    free(count);
    return rc;
}

/* ---- build ---- */

void ann_build_defaults(AnnParams *p) {
    *p = (AnnParams){.seed = 1,
                     .lists = 0,
                     .iterations = 8,
                     .sample_per_list = 64,
                     .nprobe = 0,
                     .rerank = 0,
                     .tune_queries = 200,
                     .target_recall = 0.995};
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
                        const int *count, int nprobe) {
    long hits = 0, want = 0;
    Scored got[10];
    for (int i = 0; i < nq; i++) {
        int m = ann_search(ix, unit, unit + (size_t)rows[i] * ix->d, 10, nprobe, 0, &rows[i], 1, got);
        if (m < 0)
            return -1;
        for (int a = 0; a < m; a++)
            for (int b = 0; b < count[i]; b++)
                hits += got[a].index == truth[(size_t)i * 10 + b].index;
        want += count[i];
    }
    return want ? (double)hits / want : 1;
}

/* For each query row rows[i] (i < nq), its 10 nearest other rows into
 * truth[i * 10 ..] and count[i] (zero on entry): what vec_topk gives, ties
 * included, but in one pass over the matrix, a cache-sized block of rows at
 * a time for all the queries (at 3,000,000 x 300 one pass is 3.6 GB). */
static void exact_top10(const float *unit, int32_t n, int d, const int32_t *rows, int nq, Scored *truth, int *count) {
    int64_t block = (256 * 1024) / ((int64_t)d * 4) + 1;
    for (int64_t r0 = 0; r0 < n; r0 += block) {
        int64_t r1 = r0 + block < n ? r0 + block : n;
        for (int i = 0; i < nq; i++) {
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

/* Sets ix->nprobe to the least nprobe whose measured recall@10 reaches
 * target (bisection: recall grows with nprobe), and ix->recall to it. */
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
    exact_top10(unit, ix->n, ix->d, rows, nq, truth, count);
    int lo = 1, hi = ix->k, rc = ANN_OK;
    double at_hi = 1;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        double r = recall_at(ix, unit, rows, nq, truth, count, mid);
        if (r < 0) {
            rc = ANN_ENOMEM;
            break;
        }
        if (r >= p->target_recall) {
            hi = mid;
            at_hi = r;
        } else
            lo = mid + 1;
    }
    if (rc == ANN_OK && hi == ix->k)
        at_hi = recall_at(ix, unit, rows, nq, truth, count, hi);
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
static void quantize(const float *unit, int32_t n, int d, const uint32_t *ids, float *scale, uint8_t *codes) {
    for (int j = 0; j < d; j++)
        scale[j] = 0;
    for (int32_t i = 0; i < n; i++)
        for (int j = 0; j < d; j++)
            scale[j] = fmaxf(scale[j], fabsf(unit[(size_t)i * d + j]));
    for (int j = 0; j < d; j++)
        scale[j] = scale[j] > 127.0f / FLT_MAX ? 127.0f / scale[j] : 1.0f; /* finite: ann_open checks */
    int dpad = (int)align64((uint64_t)d);
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

/* Writes ix's header into its image and seals it. */
static void write_header(const AnnIndex *ix, uint8_t *image, uint64_t total) {
    uint32_t u32[8] = {ANN_VERSION,     ANN_HEADER_BYTES,   (uint32_t)ix->n,      (uint32_t)ix->d,
                       (uint32_t)ix->k, (uint32_t)ix->dpad, (uint32_t)ix->nprobe, (uint32_t)ix->rerank};
    uint64_t u64[3] = {(uint64_t)ix->n, ix->vec_hash, total};
    uint32_t tq = (uint32_t)ix->tune_queries;
    memcpy(image + H_MAGIC, ANN_MAGIC, 8);
    memcpy(image + H_VERSION, u32, sizeof u32);
    memcpy(image + H_VEC_COUNT, u64, sizeof u64);
    memcpy(image + H_RECALL, &ix->recall, 4);
    memcpy(image + H_TUNE_QUERIES, &tq, 4);
    ann_seal(image, (size_t)total);
}

/* Centroids (k-means), each row's list, the sorted lists and the codes,
 * into the zeroed image of layout l. */
static int fill_image(const float *unit, int32_t n, int d, int k, const AnnParams *p, uint8_t *image, const Layout *l,
                      char *err, size_t errcap) {
    int32_t *list = malloc((size_t)n * sizeof *list);
    float *cent = (float *)(image + l->centroids);
    int rc = list ? kmeans(unit, n, d, k, p, cent) : ANN_ENOMEM;
    float *panels = rc == ANN_OK ? make_panels(cent, k, d) : NULL;
    if (!panels) {
        free(list);
        ann_say(err, errcap, "out of memory in k-means");
        return ANN_ENOMEM;
    }
    assign(unit, d, NULL, n, panels, k, list);
    free(panels);
    uint32_t *ids = (uint32_t *)(image + l->ids);
    rc = sort_lists(list, n, k, (uint32_t *)(image + l->starts), ids);
    free(list);
    if (rc != ANN_OK) {
        ann_say(err, errcap, "out of memory in the list sort");
        return rc;
    }
    quantize(unit, n, d, ids, (float *)(image + l->scale), image + l->codes);
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
    int k = p->lists > 0 ? p->lists : (int)lrint(4 * sqrt((double)n));
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
    Layout l = layout((uint64_t)n, (uint64_t)d, (uint64_t)k);
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
                      .dpad = (int32_t)align64((uint64_t)d),
                      .nprobe = nprobe,
                      .rerank = rerank,
                      .vec_count = (uint64_t)n,
                      .vec_hash = ann_hash(unit, (size_t)n * d * sizeof *unit),
                      .image = image,
                      .image_bytes = (size_t)l.total};
    point_into(out, image, &l);
    if (measure && tune(out, unit, p) != ANN_OK) {
        ann_free(out);
        ann_say(err, errcap, "out of memory measuring recall");
        return ANN_ENOMEM;
    }
    write_header(out, image, l.total);
    return ANN_OK;
}

/* ---- open ---- */

static uint32_t get32(const uint8_t *image, int at) {
    uint32_t v;
    memcpy(&v, image + at, 4);
    return v;
}

static uint64_t get64(const uint8_t *image, int at) {
    uint64_t v;
    memcpy(&v, image + at, 8);
    return v;
}

/* Checks the header's numbers before any is multiplied; fills *ix's sizes. */
static int check_header(const uint8_t *image, size_t len, AnnIndex *ix, char *err, size_t errcap) {
    if (len < ANN_HEADER_BYTES) {
        ann_say(err, errcap, "the ANN index is %zu bytes, shorter than its %d-byte header (truncated)", len,
            ANN_HEADER_BYTES);
        return ANN_ECORRUPT;
    }
    if (memcmp(image + H_MAGIC, ANN_MAGIC, 8) != 0) {
        ann_say(err, errcap, "not an embedlab ANN index (bad magic)");
        return ANN_ECORRUPT;
    }
    uint32_t version = get32(image, H_VERSION);
    if (version != ANN_VERSION) {
        ann_say(err, errcap, "the ANN index has format version %u; this build reads version %d (rebuild it)", version,
            ANN_VERSION);
        return ANN_ECORRUPT;
    }
    uint64_t total = get64(image, H_IMAGE_BYTES);
    if (total != len) {
        ann_say(err, errcap, "the ANN index should be %llu bytes but is %zu (truncated or damaged)",
            (unsigned long long)total, len);
        return ANN_ECORRUPT;
    }
    uint32_t hb = get32(image, H_HEADER_BYTES), n = get32(image, H_N), d = get32(image, H_D), k = get32(image, H_K),
             dpad = get32(image, H_DPAD), nprobe = get32(image, H_NPROBE), rerank = get32(image, H_RERANK);
    const char *bad = NULL;
    if (hb != ANN_HEADER_BYTES)
        bad = "header size";
    else if (n < 1 || n > ANN_MAX_ROWS)
        bad = "vector count";
    else if (d < 1 || d > ANN_MAX_DIM)
        bad = "dimension";
    else if (k < 1 || k > n)
        bad = "list count";
    else if (dpad != align64(d))
        bad = "code row size";
    else if (nprobe < 1 || nprobe > k)
        bad = "default nprobe";
    else if (rerank < 1 || rerank > ANN_MAX_RERANK)
        bad = "default rerank";
    else if (get64(image, H_VEC_COUNT) != n)
        bad = "vector count";
    float recall;
    memcpy(&recall, image + H_RECALL, 4);
    if (!bad && !(recall >= 0 && recall <= 1))
        bad = "measured recall";
    uint32_t tq = get32(image, H_TUNE_QUERIES);
    if (!bad && tq > n)
        bad = "measured queries";
    for (int i = H_RESERVED; !bad && i < H_CHECKSUM; i++)
        if (image[i])
            bad = "reserved bytes";
    if (bad) {
        ann_say(err, errcap, "the ANN index's header is damaged (%s)", bad);
        return ANN_ECORRUPT;
    }
    Layout l = layout(n, d, k);
    if (l.total != len) {
        ann_say(err, errcap, "the ANN index of %u x %u in %u lists should be %llu bytes but is %zu", n, d, k,
            (unsigned long long)l.total, len);
        return ANN_ECORRUPT;
    }
    *ix = (AnnIndex){.n = (int32_t)n,
                     .d = (int32_t)d,
                     .k = (int32_t)k,
                     .dpad = (int32_t)dpad,
                     .nprobe = (int32_t)nprobe,
                     .rerank = (int32_t)rerank,
                     .recall = recall,
                     .tune_queries = (int32_t)tq,
                     .vec_count = n,
                     .vec_hash = get64(image, H_VEC_HASH),
                     .image_bytes = len};
    return ANN_OK;
}

/* Checks what the search relies on: finite scales and centroids, lists
 * that tile 0..n, ids that are each row once. */
static int check_sections(AnnIndex *ix, char *err, size_t errcap) {
    for (int j = 0; j < ix->d; j++)
        if (!(isfinite(ix->scale[j]) && ix->scale[j] > 0)) {
            ann_say(err, errcap, "the ANN index's scale %d is not a positive number", j);
            return ANN_ECORRUPT;
        }
    for (size_t i = 0; i < (size_t)ix->k * ix->d; i++)
        if (!isfinite(ix->centroids[i])) {
            ann_say(err, errcap, "the ANN index's centroid %zu holds a non-finite value", i / (size_t)ix->d);
            return ANN_ECORRUPT;
        }
    if (ix->list_start[0] != 0 || ix->list_start[ix->k] != (uint32_t)ix->n) {
        ann_say(err, errcap, "the ANN index's lists do not cover its %d vectors", ix->n);
        return ANN_ECORRUPT;
    }
    for (int c = 0; c < ix->k; c++)
        if (ix->list_start[c + 1] < ix->list_start[c]) {
            ann_say(err, errcap, "the ANN index's list %d ends before it starts", c);
            return ANN_ECORRUPT;
        }
    uint8_t *seen = calloc((size_t)ix->n / 8 + 1, 1);
    if (!seen) {
        ann_say(err, errcap, "out of memory checking the ANN index");
        return ANN_ENOMEM;
    }
    int rc = ANN_OK;
    for (int32_t r = 0; r < ix->n && rc == ANN_OK; r++) {
        uint32_t id = ix->ids[r];
        if (id >= (uint32_t)ix->n || (seen[id / 8] >> (id % 8) & 1)) {
            ann_say(err, errcap, "the ANN index's row %d names vector %u %s", r, id,
                id >= (uint32_t)ix->n ? "past the end" : "twice");
            rc = ANN_ECORRUPT;
        } else
            seen[id / 8] |= (uint8_t)(1u << (id % 8));
    }
    free(seen);
    return rc;
}

int ann_open(const uint8_t *image, size_t len, AnnIndex *out, char *err, size_t errcap) {
    memset(out, 0, sizeof *out);
    if ((uintptr_t)image % 8 != 0) {
        ann_say(err, errcap, "an ANN index image must be 8-byte aligned");
        return ANN_EINVAL;
    }
    AnnIndex ix;
    int rc = check_header(image, len, &ix, err, errcap);
    if (rc != ANN_OK)
        return rc;
    if (get64(image, H_CHECKSUM) != image_checksum(image, len)) {
        ann_say(err, errcap, "the ANN index's checksum does not match its bytes (damaged: rebuild it)");
        return ANN_ECORRUPT;
    }
    Layout l = layout((uint64_t)ix.n, (uint64_t)ix.d, (uint64_t)ix.k);
    point_into(&ix, image, &l);
    rc = check_sections(&ix, err, errcap);
    if (rc != ANN_OK)
        return rc;
    *out = ix;
    return ANN_OK;
}

int ann_check_vectors(const AnnIndex *ix, const float *unit, int32_t n, int32_t d, char *err, size_t errcap) {
    if (n != ix->n || d != ix->d || ix->vec_count != (uint64_t)n) {
        ann_say(err, errcap, "the ANN index was built for %d x %d vectors, the embedding has %d x %d (stale: rebuild it)",
            ix->n, ix->d, n, d);
        return ANN_ESTALE;
    }
    if (ann_hash(unit, (size_t)n * d * sizeof *unit) != ix->vec_hash) {
        ann_say(err, errcap, "the ANN index was built from other vectors than the embedding's (stale: rebuild it)");
        return ANN_ESTALE;
    }
    return ANN_OK;
}

size_t ann_bytes(const AnnIndex *ix) { return ix->image_bytes; }

int ann_serialize(const AnnIndex *ix, uint8_t **out, size_t *len) {
    /* The image starts at the centroids minus the header, whether built or opened. */
    const uint8_t *image = (const uint8_t *)ix->centroids - ANN_HEADER_BYTES;
    *out = malloc(ix->image_bytes ? ix->image_bytes : 1);
    if (!*out)
        return ANN_ENOMEM;
    memcpy(*out, image, ix->image_bytes);
    *len = ix->image_bytes;
    return ANN_OK;
}

void ann_free(AnnIndex *ix) {
    free(ix->image);
    memset(ix, 0, sizeof *ix);
}

/* ---- search ---- */

/* Sum over i < dpad of codes[i] * q[i] (codes unsigned, the query signed):
 * the row's int8 dot product plus 128 sum(q), the same for every row of a
 * query, so it ranks rows as the dot product does. Exact in int32 for
 * dpad <= 65536 (255 * 127 * 65536 < 2^31), the same on every path. */
static inline int32_t dot_codes(const uint8_t *c, const int8_t *q8, const int16_t *q16, int dpad) {
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
    (void)q16;
    __m512i acc = _mm512_setzero_si512();
    for (int i = 0; i < dpad; i += 64)
        acc = _mm512_dpbusd_epi32(acc, _mm512_loadu_si512(c + i), _mm512_loadu_si512(q8 + i));
    return _mm512_reduce_add_epi32(acc);
#elif defined(__AVX2__)
    (void)q8;
    __m256i acc = _mm256_setzero_si256();
    for (int i = 0; i < dpad; i += 16) {
        __m256i cw = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(c + i)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(cw, _mm256_loadu_si256((const __m256i *)(q16 + i))));
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
#else
    (void)q16;
    int32_t s = 0;
    for (int i = 0; i < dpad; i++)
        s += (int32_t)c[i] * q8[i];
    return s;
#endif
}

typedef struct {
    int32_t score;
    uint32_t row; /* code row */
} Cand;

/* Sifts heap[i] down in a min-heap of m (the worst candidate on top). */
static void heap_down(Cand *heap, int m, int i) {
    for (;;) {
        int l = 2 * i + 1, r = l + 1, s = i;
        if (l < m && heap[l].score < heap[s].score)
            s = l;
        if (r < m && heap[r].score < heap[s].score)
            s = r;
        if (s == i)
            return;
        Cand t = heap[i];
        heap[i] = heap[s];
        heap[s] = t;
        i = s;
    }
}

static void heap_up(Cand *heap, int i) {
    while (i > 0 && heap[(i - 1) / 2].score > heap[i].score) {
        Cand t = heap[i];
        heap[i] = heap[(i - 1) / 2];
        heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

int ann_search(const AnnIndex *ix, const float *unit, const float *q, int k, int nprobe, int rerank,
               const int32_t *exclude, int nexclude, Scored *out) {
    if (k <= 0 || ix->n <= 0)
        return 0;
    if (nexclude < 0)
        nexclude = 0;
    int d = ix->d, dpad = ix->dpad;
    if (nprobe <= 0)
        nprobe = ix->nprobe;
    if (nprobe > ix->k)
        nprobe = ix->k;
    int64_t want = (int64_t)(rerank > 0 ? rerank : ix->rerank);
    /* At least 4 candidates per answer: int8 scores misorder near ties. */
    if (want < 4 * (int64_t)k)
        want = 4 * (int64_t)k;
    want += nexclude;
    if (want > ix->n)
        want = ix->n;
    int R = (int)want;

    Scored *probe = malloc((size_t)nprobe * sizeof *probe);
    int8_t *q8 = malloc((size_t)dpad);
    int16_t *q16 = malloc((size_t)dpad * sizeof *q16);
    Cand *heap = malloc((size_t)R * sizeof *heap);
    int32_t *cand = malloc((size_t)R * sizeof *cand);
    int found = -1;
    if (!probe || !q8 || !q16 || !heap || !cand)
        goto done;

    /* The nprobe nearest centroids, best first. */
    int np = 0;
    for (int c = 0; c < ix->k; c++)
        scored_insert(probe, &np, nprobe, c, vec_dot_f32(ix->centroids + (size_t)c * d, q, d));

    /* The query absorbs the per-dimension scales: x_j ~ code_j / scale_j,
     * so q.x ~ sum code_j (q_j / scale_j), quantized to int8 as a whole. */
    float top = 0;
    for (int j = 0; j < d; j++)
        top = fmaxf(top, fabsf(q[j] / ix->scale[j]));
    float t = top > 127.0f / FLT_MAX ? 127.0f / top : 0;
    for (int j = 0; j < dpad; j++) {
        long v = j < d ? lrintf(q[j] / ix->scale[j] * t) : 0;
        q8[j] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
        q16[j] = q8[j];
    }

    /* The best R code rows of the probed lists, nearest list first so the
     * bar rises early; a tie keeps the row seen first. */
    int m = 0;
    for (int p = 0; p < np; p++) {
        uint32_t a = ix->list_start[probe[p].index], b = ix->list_start[probe[p].index + 1];
        for (uint32_t r = a; r < b; r++) {
            int32_t s = dot_codes(ix->codes + (size_t)r * dpad, q8, q16, dpad);
            if (m < R) {
                heap[m] = (Cand){s, r};
                heap_up(heap, m++);
            } else if (s > heap[0].score) {
                heap[0] = (Cand){s, r};
                heap_down(heap, m, 0);
            }
        }
    }

    /* Exact scores, in row order so that ties go to the lower row. */
    for (int i = 0; i < m; i++)
        cand[i] = (int32_t)ix->ids[heap[i].row];
    qsort(cand, (size_t)m, sizeof *cand, cmp_int32);
    found = 0;
    for (int i = 0; i < m; i++) {
        int skip = 0;
        for (int e = 0; e < nexclude; e++)
            skip |= exclude[e] == cand[i];
        if (!skip)
            scored_insert(out, &found, k, cand[i], vec_dot_f32(unit + (size_t)cand[i] * d, q, d));
    }
done:
    free(probe);
    free(q8);
    free(q16);
    free(heap);
    free(cand);
    return found;
}
