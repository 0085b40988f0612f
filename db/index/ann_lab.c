/* db/index/ann_lab.c: building, saving and opening the index of a stored
 * embedding for the command line (db/index/ann_lab.h). */
#include "db/index/ann_lab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/memory.h"
#include "db/index/ann_store.h"
#include "db/lab.h"

int ann_lab_build(sqlite3 *db, int64_t eid, const Embedding *e, AnnBuilt *built) {
    AnnParams p;
    ann_build_defaults(&p);
    p.threads = el_threads(); /* --threads; the image does not depend on it */
    AnnIndex ix;
    char err[512];
    double t0 = now_seconds();
    if (ann_build(e->unit, e->n, e->dim, &p, &ix, err, sizeof err) != ANN_OK)
        return el_fail("building the index: %s", err);
    double t1 = now_seconds();
    int rc = lab_begin(db);
    if (rc == 0 && ann_store_save(db, eid, &ix, e->unit, 0, err, sizeof err) != ANN_OK)
        rc = el_fail("%s", err);
    if (rc == 0)
        rc = lab_commit(db);
    else
        lab_rollback(db);
    if (rc == 0 && built)
        *built = (AnnBuilt){.build_seconds = t1 - t0,
                            .save_seconds = now_seconds() - t1,
                            .image_bytes = ann_bytes(&ix),
                            .vector_bytes = (size_t)e->n * e->dim * sizeof(float),
                            .lists = ix.k,
                            .nprobe = ix.nprobe,
                            .rerank = ix.rerank,
                            .tune_queries = ix.tune_queries,
                            .recall = ix.recall};
    ann_free(&ix);
    return rc;
}

int ann_lab_open(sqlite3 *db, int64_t eid, const Embedding *e, uint8_t **image, AnnIndex *ix) {
    char err[512];
    size_t len;
    int rc = ann_store_load_index(db, eid, image, &len, ix, err, sizeof err);
    if (rc == ANN_OK)
        rc = ann_check_vectors(ix, e->unit, e->n, e->dim, err, sizeof err);
    if (rc != ANN_OK) {
        free(*image);
        *image = NULL;
        if (rc != ANN_EMISSING)
            el_fail("%s", err);
    }
    return rc;
}

int ann_lab_load(sqlite3 *db, const char *name, AnnLoaded *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (lab_prepare(
            db, "SELECT id, vocab_size, dim, json_type(params, '$.minn') IS NOT NULL FROM embeddings WHERE name = ?",
            &st) != 0)
        return ANN_ECORRUPT;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int found = sqlite3_step(st) == SQLITE_ROW;
    int64_t eid = found ? sqlite3_column_int64(st, 0) : 0, n = found ? sqlite3_column_int64(st, 1) : 0,
            dim = found ? sqlite3_column_int64(st, 2) : 0;
    int subwords = found && sqlite3_column_int(st, 3);
    sqlite3_finalize(st);
    if (!found || subwords || n < 1 || dim < 1 || dim > ANN_MAX_DIM || !ann_store_has_index(db, eid))
        return ANN_EMISSING;
    char what[200], err[512];
    snprintf(what, sizeof what, "the index of '%s': %lld words x %lld dims", name, (long long)n, (long long)dim);
    /* The unit vectors, the codes (dim rounded up to 64) and the ids. */
    if (mem_check(mem_mul((size_t)n, (size_t)(4 * dim + (dim + 63) / 64 * 64 + 8)), what) != 0)
        return ANN_ENOMEM;
    size_t len;
    int rc = ann_store_load_index(db, eid, &out->image, &len, &out->ix, err, sizeof err);
    if (rc == ANN_OK && (out->ix.n != n || out->ix.d != dim)) {
        snprintf(err, sizeof err, "the index was built for %d x %d vectors, the embedding has %lld x %lld (stale)",
                 out->ix.n, out->ix.d, (long long)n, (long long)dim);
        rc = ANN_ESTALE;
    }
    if (rc == ANN_OK)
        rc = ann_store_load_vectors(db, eid, &out->ix, &out->unit, err, sizeof err);
    if (rc != ANN_OK) {
        ann_lab_free(out);
        if (rc != ANN_EMISSING)
            el_fail("%s", err);
        return rc;
    }
    out->eid = eid;
    out->bytes = len + (size_t)n * dim * sizeof(float);
    return ANN_OK;
}

int32_t ann_lab_row(sqlite3 *db, const AnnLoaded *a, const char *word) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT rank FROM vectors WHERE embedding_id = ? AND word = ?", &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, a->eid);
    sqlite3_bind_text(st, 2, word, -1, SQLITE_TRANSIENT);
    int64_t rank = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rank >= 1 && rank <= a->ix.n ? (int32_t)(rank - 1) : -1;
}

char *ann_lab_word(sqlite3 *db, const AnnLoaded *a, int32_t row) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT word FROM vectors WHERE embedding_id = ? AND rank = ?", &st) != 0)
        return NULL;
    sqlite3_bind_int64(st, 1, a->eid);
    sqlite3_bind_int64(st, 2, (int64_t)row + 1);
    char *word = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        word = xstrdup((const char *)sqlite3_column_text(st, 0));
    else
        el_fail("the word of rank %d is gone (the vectors changed: run the command again)", row + 1);
    sqlite3_finalize(st);
    return word;
}

void ann_lab_free(AnnLoaded *a) {
    free(a->image);
    free(a->unit);
    memset(a, 0, sizeof *a);
}
