/* db/ann_lab.c: building, saving and opening the index of a stored
 * embedding for the command line (db/ann_lab.h). */
#include "db/ann_lab.h"

#include <stdlib.h>

#include "core/common.h"
#include "db/ann_store.h"
#include "db/lab.h"

int ann_lab_build(sqlite3 *db, int64_t eid, const Embedding *e, AnnBuilt *built) {
    AnnParams p;
    ann_build_defaults(&p);
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
