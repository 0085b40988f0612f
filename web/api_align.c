/* web/api_align.c: /api/align?a=EMB&b=EMB&n=&top=, two embeddings aligned
 * by orthogonal Procrustes over their shared vocabulary (the n most
 * frequent words of a that b also has): the map W (a's dims x b's, with
 * orthonormal rows or columns, so 16 against 128 dimensions works too)
 * that brings a's unit vectors closest to b's, W = U V^T from the SVD of
 * X^T Y (LAPACK's sgesvd, which OpenBLAS carries). Then each shared word's
 * cosine between its aligned a vector and its b vector: the words that
 * moved most (lowest) and least. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/blas.h"
#include "core/common.h"
#include "core/memory.h"
#include "db/embeddings.h"
#include "web/api.h"

extern void sgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n, float *a, const int *lda, float *s,
                    float *u, const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork, int *info);

/* Loads embedding name after a memory check from its row; 0, or -1 after
 * an error response. */
static int load(sqlite3 *db, const char *name, Embedding *e, WebResponse *r) {
    sqlite3_stmt *st;
    if (web_prepare(db, "SELECT vocab_size, dim FROM embeddings WHERE name = ?", &st, r) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int found = sqlite3_step(st) == SQLITE_ROW;
    int64_t n = found ? sqlite3_column_int64(st, 0) : 0, dim = found ? sqlite3_column_int64(st, 1) : 0;
    sqlite3_finalize(st);
    if (!found) {
        web_error(r, 404, "no embedding named '%.200s'", name);
        return -1;
    }
    if (dim > 1024) {
        web_error(r, 400, "alignment takes embeddings of at most 1024 dimensions ('%.200s' has %lld)", name,
                  (long long)dim);
        return -1;
    }
    if (mem_check(emb_memory(n, dim), "an embedding to align") != 0) {
        web_error(r, 507, "%s", el_error());
        return -1;
    }
    int64_t id;
    if (db_embedding_load(db, name, e, &id) != 0) {
        web_error(r, 500, "%s", el_error());
        return -1;
    }
    return 0;
}

/* w[da x db] (row-major) = U V^T of m = x^T y [da x db]; 0, or -1 with a
 * message. LAPACK is column-major: the buffer of m read that way is m^T
 * (db x da) = Ua S Va^T, so m = Va S Ua^T and W = Va Ua^T. */
static int procrustes(float *m, int da, int db, float *w) {
    int k = da < db ? da : db, lwork = -1, info = 0;
    float *s = xmalloc((size_t)k * sizeof *s), *u = xmalloc((size_t)db * k * sizeof *u),
          *vt = xmalloc((size_t)k * da * sizeof *vt), q;
    sgesvd_("S", "S", &db, &da, m, &db, s, u, &db, vt, &k, &q, &lwork, &info);
    lwork = (int)q > 1 ? (int)q : 1;
    float *work = xmalloc((size_t)lwork * sizeof *work);
    if (info == 0)
        sgesvd_("S", "S", &db, &da, m, &db, s, u, &db, vt, &k, work, &lwork, &info);
    for (int i = 0; info == 0 && i < da; i++)
        for (int j = 0; j < db; j++) {
            double sum = 0;
            for (int c = 0; c < k; c++)
                sum += (double)vt[c + (size_t)i * k] * u[j + (size_t)c * db];
            w[(size_t)i * db + j] = (float)sum;
        }
    free(s), free(u), free(vt), free(work);
    return info == 0 ? 0 : el_fail("LAPACK sgesvd failed (info %d)", info);
}

typedef struct {
    int32_t row; /* in a */
    float cos;
} Moved;

static int by_cos(const void *p, const void *q) {
    const Moved *a = p, *b = q;
    return a->cos < b->cos ? -1 : a->cos > b->cos ? 1 : a->row - b->row;
}

/* Appends "KEY": [{"word", "cos"}...] for moved[0], moved[step], ...,
 * n of them. */
static void list(JsonBuf *b, const char *key, const Embedding *ea, const Moved *moved, int n, int step) {
    jb_key(b, key, 0);
    jb_raw(b, "[");
    for (int i = 0; i < n; i++) {
        const Moved *x = moved + (ptrdiff_t)i * step;
        jb_raw(b, i ? ",{\"word\":" : "{\"word\":");
        jb_str(b, emb_word(ea, x->row));
        jb_raw(b, ",\"cos\":");
        jb_num(b, x->cos);
        jb_raw(b, "}");
    }
    jb_raw(b, "]");
}

/* The shared words' cosines after alignment, sorted, into the answer. */
static void answer(const Embedding *ea, const Embedding *eb, const int32_t *ra, const int32_t *rb, int m,
                   const float *w, long top, WebResponse *r) {
    int da = ea->dim, db = eb->dim;
    Moved *moved = xmalloc((size_t)m * sizeof *moved);
    double mean = 0;
    for (int i = 0; i < m; i++) {
        const float *x = ea->unit + (size_t)ra[i] * da, *y = eb->unit + (size_t)rb[i] * db;
        double dot = 0, norm = 0;
        for (int j = 0; j < db; j++) {
            double sum = 0;
            for (int c = 0; c < da; c++)
                sum += (double)x[c] * w[(size_t)c * db + j];
            dot += sum * y[j];
            norm += sum * sum;
        }
        moved[i] = (Moved){ra[i], norm > 0 ? (float)(dot / sqrt(norm)) : 0};
        mean += moved[i].cos;
    }
    qsort(moved, (size_t)m, sizeof *moved, by_cos);
    int t = (int)(top < m ? top : m);
    JsonBuf *b = &r->body;
    jb_raw(b, "{\"shared\":");
    jb_int(b, m);
    jb_key(b, "dims", 0);
    jb_raw(b, "[");
    jb_int(b, da);
    jb_raw(b, ",");
    jb_int(b, db);
    jb_raw(b, "]");
    jb_key(b, "mean_cos", 0);
    jb_num(b, mean / m);
    list(b, "moved_most", ea, moved, t, 1);
    list(b, "moved_least", ea, moved + m - 1, t, -1);
    jb_raw(b, "}");
    r->status = 200;
    r->type = "application/json";
    free(moved);
}

void web_api_align(WebState *s, sqlite3 *db, const WebRequest *q, const char *rest, WebResponse *r) {
    (void)rest;
    const char *a = web_param(q, "a"), *bname = web_param(q, "b");
    long n, top;
    if (!a || !bname || !*a || !*bname)
        return web_error(r, 400, "a= and b= name two embeddings (see /api/embeddings)");
    if (web_int_param(q, "n", 2, WEB_MAX_PROJECT, 5000, &n, r) != 0 ||
        web_int_param(q, "top", 1, WEB_MAX_K, 30, &top, r) != 0)
        return;
    Embedding ea, eb;
    if (load(db, a, &ea, r) != 0)
        return;
    if (load(db, bname, &eb, r) != 0) {
        emb_free(&ea);
        return;
    }
    int32_t *ra = xmalloc((size_t)n * sizeof *ra), *rb = xmalloc((size_t)n * sizeof *rb);
    int m = 0;
    for (int32_t i = 0; i < ea.n && m < n; i++) {
        int32_t j = emb_row(&eb, emb_word(&ea, i));
        if (j >= 0)
            ra[m] = i, rb[m++] = j;
    }
    if (m < 2) {
        web_error(r, 400, "'%.100s' and '%.100s' share %d words: too few to align", a, bname, m);
    } else {
        int da = ea.dim, dbm = eb.dim;
        float *mt = xcalloc((size_t)da * dbm, sizeof *mt), *w = xmalloc((size_t)da * dbm * sizeof *w);
        real *x = xmalloc((size_t)m * da * sizeof *x), *y = xmalloc((size_t)m * dbm * sizeof *y);
        for (int i = 0; i < m; i++) {
            memcpy(x + (size_t)i * da, ea.unit + (size_t)ra[i] * da, (size_t)da * sizeof *x);
            memcpy(y + (size_t)i * dbm, eb.unit + (size_t)rb[i] * dbm, (size_t)dbm * sizeof *y);
        }
        pthread_mutex_lock(&s->compute);
        mm(1, 0, da, dbm, m, 1, x, da, y, dbm, 0, mt, dbm);
        int rc = procrustes(mt, da, dbm, w);
        pthread_mutex_unlock(&s->compute);
        if (rc != 0)
            web_error(r, 500, "%s", el_error());
        else
            answer(&ea, &eb, ra, rb, m, w, top, r);
        free(mt), free(w), free(x), free(y);
    }
    free(ra), free(rb);
    emb_free(&ea);
    emb_free(&eb);
}
