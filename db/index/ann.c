/* db/index/ann.c: the IVF + int8 index of db/index/ann.h: k-means, quantization, the
 * byte image and its checks, and the search. */
#include "db/index/ann.h"
#include "db/index/ann_impl.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
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

void ann_say(char *err, size_t cap, const char *fmt, ...) {
    if (!err || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* The checksum of an image: its header before the checksum field, then
 * everything after the header. */
static uint64_t image_checksum(const uint8_t *image, size_t len) {
    return hash_mix(hash_bytes(image, H_CHECKSUM), hash_bytes(image + ANN_HEADER_BYTES, len - ANN_HEADER_BYTES));
}

void ann_seal(uint8_t *image, size_t len) {
    if (len < ANN_HEADER_BYTES)
        return;
    uint64_t c = image_checksum(image, len);
    memcpy(image + H_CHECKSUM, &c, 8);
}

/* ---- the layout ---- */

uint64_t ann_align64(uint64_t x) { return (x + 63) & ~(uint64_t)63; }

/* Section offsets for n <= ANN_MAX_ROWS, d <= ANN_MAX_DIM, k <= n: every
 * product stays below 2^58, so nothing here overflows 64 bits. */
AnnLayout ann_layout(uint64_t n, uint64_t d, uint64_t k) {
    AnnLayout l;
    uint64_t dpad = ann_align64(d), kpad = (k + 15) / 16 * 16;
    l.scale = ANN_HEADER_BYTES;
    l.cpanels = ann_align64(l.scale + d * 4);
    l.starts = ann_align64(l.cpanels + kpad * dpad);
    l.ids = ann_align64(l.starts + (k + 1) * 4);
    l.codes = ann_align64(l.ids + n * 4);
    l.total = l.codes + n * dpad;
    return l;
}

void ann_point_into(AnnIndex *ix, const uint8_t *image, const AnnLayout *l) {
    ix->bytes = image;
    ix->scale = (const float *)(image + l->scale);
    ix->cpanels = image + l->cpanels;
    ix->list_start = (const uint32_t *)(image + l->starts);
    ix->ids = (const uint32_t *)(image + l->ids);
    ix->codes = image + l->codes;
}

/* ---- centroid panels ---- */

/* Centroid codes (u8, code + 128, the rows' per-dimension scales) in panels
 * of 16 for the integer dot product: panel p holds centroids 16p .. 16p + 15,
 * 16 dpad bytes, and its group g (dimensions 4g .. 4g + 3) is 64 bytes,
 * centroid c's four codes at 4c. One 64-byte load then feeds 16 dot
 * products (vpdpbusd sums four byte products per 32-bit lane). Centroids
 * past k are zero (code 128). */
size_t ann_panel_at(int c, int j, int dpad) {
    return (size_t)(c / 16) * 16 * dpad + (size_t)(j / 4) * 64 + (size_t)(c % 16) * 4 + (size_t)(j % 4);
}

/* q8[0..dpad) = the int8 query of the unit vector x: x_j / scale_j (so that
 * sum code_j q8_j ~ t x.row), times t = 127 / its largest, rounded; zero
 * past d. Returns t (0 for a zero vector). */
float ann_encode_query(const float *x, int d, int dpad, const float *scale, int8_t *q8) {
    float top = 0;
    for (int j = 0; j < d; j++)
        top = fmaxf(top, fabsf(x[j] / scale[j]));
    float t = top > 127.0f / FLT_MAX ? 127.0f / top : 0;
    for (int j = 0; j < dpad; j++) {
        long v = j < d ? lrintf(x[j] / scale[j] * t) : 0;
        q8[j] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
    return t;
}

/* s[c] = sum_j code(c, j) q8[j] for the 16 centroids of one panel (the
 * centroid's dot product times t, plus 128 sum(q8), the same for all). */
void ann_panel_dot1(const uint8_t *panel, int dpad, const int8_t *q8, int32_t s[16]) {
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
    /* Four accumulators: one chain would wait on each vpdpbusd's latency. */
    __m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0;
    for (int g = 0; g < dpad / 4; g += 4) {
        int32_t w[4];
        memcpy(w, q8 + 4 * g, 16);
        a0 = _mm512_dpbusd_epi32(a0, _mm512_loadu_si512(panel + 64 * g), _mm512_set1_epi32(w[0]));
        a1 = _mm512_dpbusd_epi32(a1, _mm512_loadu_si512(panel + 64 * g + 64), _mm512_set1_epi32(w[1]));
        a2 = _mm512_dpbusd_epi32(a2, _mm512_loadu_si512(panel + 64 * g + 128), _mm512_set1_epi32(w[2]));
        a3 = _mm512_dpbusd_epi32(a3, _mm512_loadu_si512(panel + 64 * g + 192), _mm512_set1_epi32(w[3]));
    }
    _mm512_storeu_si512(s, _mm512_add_epi32(_mm512_add_epi32(a0, a1), _mm512_add_epi32(a2, a3)));
#else
    /* The group's 4 query bytes held, each centroid's 4 codes written out:
     * one loop over the 16 centroids, which compilers vectorize. */
    for (int c = 0; c < 16; c++)
        s[c] = 0;
    for (int g = 0; g < dpad / 4; g++) {
        const uint8_t *p = panel + 64 * g;
        int32_t q0 = q8[4 * g], q1 = q8[4 * g + 1], q2 = q8[4 * g + 2], q3 = q8[4 * g + 3];
        for (int c = 0; c < 16; c++)
            s[c] += p[4 * c] * q0 + p[4 * c + 1] * q1 + p[4 * c + 2] * q2 + p[4 * c + 3] * q3;
    }
#endif
}

/* Writes ix's header into its image and seals it. */
void ann_write_header(const AnnIndex *ix, uint8_t *image, uint64_t total) {
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
    else if (dpad != ann_align64(d))
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
    AnnLayout l = ann_layout(n, d, k);
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
    AnnLayout l = ann_layout((uint64_t)ix.n, (uint64_t)ix.d, (uint64_t)ix.k);
    ann_point_into(&ix, image, &l);
    rc = check_sections(&ix, err, errcap);
    if (rc != ANN_OK)
        return rc;
    *out = ix;
    return ANN_OK;
}

int ann_check_vectors(const AnnIndex *ix, const float *unit, int32_t n, int32_t d, char *err, size_t errcap) {
    if (n != ix->n || d != ix->d || ix->vec_count != (uint64_t)n) {
        ann_say(err, errcap,
                "the ANN index was built for %d x %d vectors, the embedding has %d x %d (stale: rebuild it)", ix->n,
                ix->d, n, d);
        return ANN_ESTALE;
    }
    if (hash_bytes(unit, (size_t)n * d * sizeof *unit) != ix->vec_hash) {
        ann_say(err, errcap, "the ANN index was built from other vectors than the embedding's (stale: rebuild it)");
        return ANN_ESTALE;
    }
    return ANN_OK;
}

size_t ann_bytes(const AnnIndex *ix) { return ix->image_bytes; }

int ann_serialize(const AnnIndex *ix, uint8_t **out, size_t *len) {
    const uint8_t *image = ix->bytes;
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

int32_t ann_dot_codes(const uint8_t *c, const int8_t *q8, const int16_t *q16, int dpad) {
    return dot_codes(c, q8, q16, dpad);
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

int ann_cmp_int32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Best score first, then the lower list. */
static int cmp_cand_best(const void *a, const void *b) {
    const Cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
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

    Cand *probe = malloc((size_t)nprobe * sizeof *probe);
    int8_t *q8 = malloc((size_t)dpad);
    int16_t *q16 = malloc((size_t)dpad * sizeof *q16);
    Cand *heap = malloc((size_t)R * sizeof *heap);
    int32_t *cand = malloc((size_t)R * sizeof *cand);
    int found = -1;
    if (!probe || !q8 || !q16 || !heap || !cand)
        goto done;

    /* The query absorbs the per-dimension scales (encode_query); the
     * centroids and the rows are scored with the same int8 query. */
    ann_encode_query(q, d, dpad, ix->scale, q8);
    for (int j = 0; j < dpad; j++)
        q16[j] = q8[j];

    /* The nprobe nearest centroids (a heap: nprobe may be most of k), then
     * best first; the scores share one bias, so they rank as the dots. */
    int np = 0;
    for (int pn = 0; pn < (ix->k + 15) / 16; pn++) {
        int32_t s[16];
        ann_panel_dot1(ix->cpanels + (size_t)pn * 16 * dpad, dpad, q8, s);
        int lanes = ix->k - pn * 16 < 16 ? ix->k - pn * 16 : 16;
        for (int l = 0; l < lanes; l++) {
            if (np < nprobe) {
                probe[np] = (Cand){s[l], (uint32_t)(pn * 16 + l)};
                heap_up(probe, np++);
            } else if (s[l] > probe[0].score) {
                probe[0] = (Cand){s[l], (uint32_t)(pn * 16 + l)};
                heap_down(probe, np, 0);
            }
        }
    }
    qsort(probe, (size_t)np, sizeof *probe, cmp_cand_best);

    /* The best R code rows of the probed lists, nearest list first so the
     * bar rises early; a tie keeps the row seen first. */
    int m = 0;
    for (int p = 0; p < np; p++) {
        uint32_t a = ix->list_start[probe[p].row], b = ix->list_start[probe[p].row + 1];
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
    qsort(cand, (size_t)m, sizeof *cand, ann_cmp_int32);
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
