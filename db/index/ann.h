/* db/index/ann.h: an approximate nearest-neighbour index (IVF + int8 codes + exact
 * fp32 re-ranking) over the unit vectors of one embedding, free of OpenMP
 * and BLAS so that the SQL extension can carry it alone.
 *
 * Build (db/index/ann_build.c): spherical k-means on a sample puts k = max(n / 64,
 * 4 sqrt(n)) centroids, reseeding the smallest lists at rows no centroid
 * serves; every vector goes to its nearest centroid's list; each vector is
 * stored as int8 codes (a per-dimension scale), reordered so that each list
 * is contiguous. Search (db/index/ann.c): every centroid is scored with int8 dot
 * products, the nprobe lists whose centroids score best are scanned the
 * same way, the best `rerank` candidates are scored exactly in fp32 against
 * the caller's unit vectors, and the best k come out.
 *
 * The index is one byte image (ann_serialize) that ann_open checks and then
 * reads in place: a header (magic, version, sizes, defaults, the identity of
 * the vectors it was built from, a checksum) and sections at 64-byte
 * offsets; ARCHITECTURE.md ("Nearest-word index") says how the lab keeps it
 * up to date and who uses it. In detail:
 *
 * - **Build** (`ann_build`, over unit rows, deterministic for a seed). k = max(n / 64, 4
 *   sqrt(n)) lists. Spherical k-means on a seeded sample of 16 k rows, 8 Lloyd passes
 *   scored with the search's int8 scores; after each pass but the last two the k / 32
 *   smallest lists are reseeded at the sample rows served worst. The last pass's centroids
 *   are the index's. Rows are stored list by list (row order inside a list) as int8 codes,
 *   one byte per dimension, padded to 64 bytes (dpad). The details and their reasons are
 *   the comments on `default_lists`, `kmeans` and `reseed` in `ann_build.c`.
 * - **Codes.** A per-dimension scale: `code = round(x * 127 / max|x_j|)`; centroids use
 *   the rows' scales. The query absorbs the scales (`q_j / scale_j`, quantized to int8,
 *   `ann_encode_query`), so every score is one integer dot product: `vpdpbusd` (AVX-512
 *   VNNI) on codes stored as `code + 128`, int16 widening + `vpmaddwd` on AVX2, a plain
 *   loop otherwise. All three give the same integers (exact up to 65,536 dimensions, the
 *   index's limit).
 * - **Centroid panels.** Panels of 16 centroids, 16 dpad bytes each; group g (dimensions
 *   4g .. 4g + 3) is 64 bytes holding centroid c's four codes at 4c (`ann_panel_at`).
 * - **Search** (`ann_search`). Score every centroid, scan the `nprobe` best lists (nearest
 *   first), keep the best `rerank` code rows (default 100, at least 4 k, plus the excluded
 *   rows), score those exactly with `vec_dot_f32` in row order, return the best k. Scores
 *   are exact search's; ties go to the lower row, as in `vec_topk`.
 * - **Recall is measured.** The build queries 200 of the vectors (each excluded from its
 *   own answer, as `nearest(word)` does) and finds the least `nprobe` whose recall@10
 *   against exact search reaches 0.995 (doubling from 1, then bisecting); the image stores
 *   that `nprobe`, the recall and the query count.
 * - **Cost model.** A query reads `kpad dpad` + `nprobe / k * n * dpad` code bytes and
 *   `rerank * 4 d` fp32 bytes; exact search reads `4 n d`. The image is
 *   `n (dpad + 4) + kpad dpad` bytes and a little; the build needs the vectors, the image
 *   and `k (12 d + dpad + 64) + 8 n + 8 m` bytes more.
 * - **The image** (`ann_serialize`; `ann_open` reads it in place, 8-byte aligned). A
 *   128-byte little-endian header: magic `ELANNIX1`, version (2; version 1 is refused as
 *   damaged, and the CLI rebuilds it), header size, n, d, k, dpad, nprobe, rerank (u32),
 *   the vectors' count and `hash_bytes` (u64), the image's size (u64), the measured recall
 *   (f32) and its query count, zeros, and a checksum (`hash_bytes` of the header before it
 *   and of everything after the header). Then, each at a 64-byte offset: scales `d` f32,
 *   centroid panels `kpad x dpad` u8 (kpad: k rounded up to 16; padding centroids code
 *   128, never chosen), list starts `k + 1` u32, row ids `n` u32, codes `n x dpad` u8.
 *   `ann_open` checks every header number against its limits before computing sizes, then
 *   the total size, the checksum, finite positive scales, lists that tile `0..n` and ids
 *   that name each row once. `hash_bytes` (`core/hash.c`, the project's one content hash)
 *   is FNV-1a's multiply on 8-byte words, four lanes, with a shift.
 * - **Storage in lab.db** (`db/index/ann_store.c`). Two rowid tables (`sqlite3_blob_open`
 *   needs rowids), both `UNIQUE(embedding_id, part|chunk)`:
 *   `ann_index(id, embedding_id, part, bytes)`, the image in parts, and
 *   `vector_chunks(id, embedding_id, chunk, bytes)`, the unit fp32 matrix in rank order in
 *   chunks of whole rows; at most 256 MiB a part or chunk, each but the last the first's
 *   size, read straight into one buffer. `ann_store_tables` creates the tables
 *   (`IF NOT EXISTS`) with the first index, so a lab.db without one is complete; a missing
 *   table or missing rows mean "no index". */
#ifndef EL_ANN_H
#define EL_ANN_H

#include <stddef.h>
#include <stdint.h>

#include "core/vecmath.h"

#define ANN_MAGIC "ELANNIX1"
#define ANN_VERSION 2
#define ANN_HEADER_BYTES 128
/* Sizes an index takes: up to 65536 dimensions, where an int32 holds any
 * int8 dot product exactly (exact search serves more), and rows as
 * vec_topk's int32 index. */
#define ANN_MAX_DIM (1 << 16)
#define ANN_MAX_ROWS INT32_MAX

/* Build settings; ann_build_defaults fills them. */
typedef struct {
    uint64_t seed;       /* fixes the k-means start and every later choice */
    int lists;           /* k; 0: max(n / 64, 4 sqrt(n)), at least 1, at most n */
    int iterations;      /* Lloyd iterations on the sample */
    int sample_per_list; /* sample size is lists * this, at most n */
    int nprobe;          /* default lists probed per query; 0: measured (below) */
    int rerank;          /* default candidates re-ranked in fp32; 0: 100 */
    /* With nprobe 0, the build measures recall@10 on tune_queries of the
     * vectors themselves (each excluded from its own answer, as nearest()
     * does with a query word) against exact search, and stores the least
     * nprobe that reaches target_recall. */
    int tune_queries;
    double target_recall;
    int threads; /* the build's OpenMP threads (<= 0: 1); the image is the same for any */
} AnnParams;

/* An index, either built (owns one allocation, `image`) or opened in place
 * over a caller's image (owns nothing). The pointers point into the image. */
typedef struct {
    int32_t n, d, k; /* vectors, dimensions, lists */
    int32_t dpad;    /* bytes per code row: d rounded up to 64 */
    int32_t nprobe, rerank;
    float recall;                 /* recall@10 measured at the default nprobe (0: not measured) */
    int32_t tune_queries;         /* how many queries measured it */
    uint64_t vec_count, vec_hash; /* identity of the vectors it was built from */
    const uint8_t *bytes;         /* the image (header first) */
    const float *scale;           /* d: code = round(x * scale) */
    const uint8_t *cpanels;       /* the k centroids' codes, in panels of 16 (db/index/ann.c) */
    const uint32_t *list_start;   /* k + 1: list L is rows [list_start[L], list_start[L + 1]) */
    const uint32_t *ids;          /* n: the vector (row of the caller's matrix) of each code row */
    const uint8_t *codes;         /* n x dpad: code + 128 (0 padding is 128) */
    uint8_t *image;               /* what ann_free frees (NULL when opened in place) */
    size_t image_bytes;
} AnnIndex;

/* ANN_EMISSING: no index stored (db/index/ann_store.h). */
enum { ANN_OK = 0, ANN_ENOMEM, ANN_EINVAL, ANN_ECORRUPT, ANN_ESTALE, ANN_EMISSING };

/* Fills p with the defaults (seed 1, lists 0, 8 iterations, 16 per list,
 * nprobe measured on 200 queries for recall@10 0.995, rerank 100, one
 * thread). */
void ann_build_defaults(AnnParams *p);

/* Builds an index over unit[n x d] (rows of unit length; n >= 1). Returns
 * ANN_OK, or an error code with a message in err[0..errcap). Deterministic:
 * the same vectors and params give the same image, byte for byte. */
int ann_build(const float *unit, int32_t n, int32_t d, const AnnParams *p, AnnIndex *out, char *err, size_t errcap);

/* Checks image[0..len) (8-byte aligned) and makes out read it in place: the
 * image must outlive out. Every size is checked before it is multiplied or
 * used, then the checksum, then the lists and ids. ANN_ECORRUPT (or
 * ANN_EINVAL for a misaligned image) with a message in err otherwise. */
int ann_open(const uint8_t *image, size_t len, AnnIndex *out, char *err, size_t errcap);

/* The message of a failure into err[0..cap) (printf-style), when the caller
 * gave a buffer: the index's functions report this way, never through
 * core/, so that the SQL extension carries them alone. */
void ann_say(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes the checksum into image[0..len) (after ann_open's size checks
 * would pass); for tests and the fuzz target that edit an image on purpose. */
void ann_seal(uint8_t *image, size_t len);

/* ANN_OK if ix was built from exactly unit[n x d]; ANN_ESTALE with a message
 * otherwise (another count, dimension or hash). Reads every byte: the
 * caller may instead compare ix->vec_count/vec_hash with a hash it keeps. */
int ann_check_vectors(const AnnIndex *ix, const float *unit, int32_t n, int32_t d, char *err, size_t errcap);

/* The k rows of unit (the vectors ix was built from) most similar to the
 * unit query q, best first, exact fp32 scores, skipping rows in
 * exclude[0..nexclude). nprobe/rerank <= 0 take ix's defaults; at least
 * 4 k + nexclude candidates are re-ranked. Returns how
 * many were found (<= k), or -1 when out of memory. Ties go to the lower
 * row, as in vec_topk. */
int ann_search(const AnnIndex *ix, const float *unit, const float *q, int k, int nprobe, int rerank,
               const int32_t *exclude, int nexclude, Scored *out);

/* Bytes of the serialized image (what ann_serialize copies). */
size_t ann_bytes(const AnnIndex *ix);

/* A fresh copy of ix's image in *out (len *len); ANN_ENOMEM on failure. */
int ann_serialize(const AnnIndex *ix, uint8_t **out, size_t *len);

/* Frees what ix owns and zeroes it. */
void ann_free(AnnIndex *ix);

#endif
