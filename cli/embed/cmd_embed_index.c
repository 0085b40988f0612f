/* cli/embed/cmd_embed_index.c: "embedlab embed index", and the nearest-word index
 * as the other commands meet it: built after train and import, opened (and
 * rebuilt when stale or damaged) by nearest and analogy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/index/ann_lab.h"
#include "db/index/ann_store.h"
#include "db/embeddings.h"
#include "db/lab.h"

static const char index_help[] =
    "Usage: embedlab embed index NAME [--check]\n\n"
    "Builds (or rebuilds) the nearest-word index of embedding NAME and stores it in the lab\n"
    "database with the embedding's unit vectors: an IVF index with int8 codes whose\n"
    "candidates are re-ranked exactly in fp32, so scores are exact search's and only the\n"
    "recall may differ. The build measures recall@10 against exact search on 200 of the\n"
    "words and keeps the fewest lists to scan that reach 0.995; it prints that recall, the\n"
    "sizes, and how long loading takes (what the first SQL nearest() on a connection reads).\n"
    "Training or importing an embedding of 4,000,000 or more floats (words x dims) builds\n"
    "it on its own; below that exact search is as fast. 'nearest', 'analogy' and SQL\n"
    "nearest() use the index when there is one.\n\n";

typedef struct {
    int check;
} IndexArgs;

static const Option index_fields[] = {
    {"check", OPTION_FLAG, OPTION_AT(IndexArgs, check), NULL, 0, 0, NULL, NULL, NULL, "Options",
     "build nothing: say whether NAME has an index, whether it is whole and current, its recall, and its load "
     "time",
     0},
};
static const OptionTable index_options = {index_fields, 1};

static double mb(size_t bytes) { return (double)bytes / 1e6; }

/* Loads the stored index and vectors of eid back as SQL nearest() does
 * (blob reads, checks, identity hash) and says how long that took. */
static int report_load(sqlite3 *db, int64_t eid, const char *name) {
    char err[512];
    uint8_t *image = NULL;
    float *unit = NULL;
    size_t len;
    AnnIndex ix;
    double t0 = now_seconds();
    int rc = ann_store_load_index(db, eid, &image, &len, &ix, err, sizeof err);
    if (rc == ANN_OK)
        rc = ann_store_load_vectors(db, eid, &ix, &unit, err, sizeof err);
    double dt = now_seconds() - t0;
    if (rc == ANN_EMISSING)
        printf("%s has no index: nearest() searches it exactly\n", name);
    else if (rc == ANN_OK)
        printf("Index of %s: %d lists, nprobe %d, rerank %d, recall@10 %.4f on %d of its words; loads in %.1f ms "
               "(index %.1f MB + unit vectors %.1f MB)\n",
               name, ix.k, ix.nprobe, ix.rerank, ix.recall, ix.tune_queries, dt * 1e3, mb(len),
               mb((size_t)ix.n * ix.d * sizeof(float)));
    free(image);
    free(unit);
    if (rc != ANN_OK && rc != ANN_EMISSING)
        return el_fail("the index of '%s': %s", name, err);
    return 0;
}

/* Builds and saves the index of the loaded e (embedding eid) and prints it. */
static int build_and_say(sqlite3 *db, int64_t eid, const char *name, const Embedding *e) {
    AnnBuilt b;
    if (ann_lab_build(db, eid, e, &b) != 0)
        return -1;
    printf("Indexed %s: %d lists, nprobe %d, rerank %d, recall@10 %.4f on %d of its words (against exact search); "
           "built in %.2f s, saved in %.2f s (index %.1f MB + unit vectors %.1f MB)\n",
           name, b.lists, b.nprobe, b.rerank, b.recall, b.tune_queries, b.build_seconds, b.save_seconds,
           mb(b.image_bytes), mb(b.vector_bytes));
    return report_load(db, eid, name);
}

int cli_index_new_embedding(sqlite3 *db, const char *name) {
    sqlite3_stmt *st;
    if (lab_prepare(db, "SELECT vocab_size * dim FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int64_t floats = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (floats < ANN_AUTO_MIN_FLOATS)
        return 0;
    Embedding e;
    int64_t eid;
    int rc = db_embedding_load(db, name, &e, &eid);
    if (rc == 0) {
        rc = build_and_say(db, eid, name, &e);
        emb_free(&e);
    }
    /* The embedding is saved whole either way: without an index it is
     * searched exactly, so this is a warning, not a failed command. */
    if (rc != 0)
        fprintf(stderr,
                "embedlab: warning: %s; '%s' is saved without a nearest-word index (build it with 'embedlab "
                "embed index %s')\n",
                el_error(), name, name);
    return 0;
}

int cli_index_open(sqlite3 *db, int64_t eid, const char *name, const Embedding *e, uint8_t **image, AnnIndex *ix) {
    int rc = ann_lab_open(db, eid, e, image, ix);
    if (rc == ANN_OK || rc == ANN_EMISSING)
        return rc;
    if (rc == ANN_ENOMEM)
        return -1;
    /* Stale or damaged: rebuilt here, since the command has the vectors
     * loaded and the user asked for the indexed search (--exact does not). */
    fprintf(stderr, "embedlab: the index of '%s' cannot be used (%s): rebuilding it\n", name, el_error());
    AnnBuilt b;
    if (ann_lab_build(db, eid, e, &b) != 0)
        return -1;
    fprintf(stderr, "embedlab: rebuilt the index of '%s' in %.1f s (recall@10 %.4f)\n", name, b.build_seconds,
            b.recall);
    rc = ann_lab_open(db, eid, e, image, ix);
    return rc == ANN_OK ? ANN_OK : el_fail("the rebuilt index of '%s' does not open: %s", name, el_error());
}

int cmd_embed_index(int argc, char **argv) {
    const char *cmd = "embedlab embed index";
    CommonOpts co;
    IndexArgs a;
    int r = cli_parse(cmd, index_help, &index_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    int check = a.check;
    if (argc - optind != 1)
        return cli_usage(cmd, "give one embedding NAME");
    const char *name = argv[optind];
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    Embedding e;
    int64_t eid;
    int rc = db_embedding_load(db, name, &e, &eid);
    if (rc == 0) {
        if (check) {
            /* Against the vectors table too, as nearest and analogy check it. */
            uint8_t *image;
            AnnIndex ix;
            int open = ann_lab_open(db, eid, &e, &image, &ix);
            free(image);
            rc = open == ANN_OK || open == ANN_EMISSING ? report_load(db, eid, name)
                                                        : el_fail("the index of '%s': %s", name, el_error());
        } else
            rc = build_and_say(db, eid, name, &e);
        emb_free(&e);
    }
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}
