/* db/index/ann_store.h: the nearest-word index of an embedding in lab.db, next to
 * its vectors, so that it travels with the file (ARCHITECTURE.md,
 * "Nearest-word index"):
 *
 *   ann_index(embedding_id, part, bytes)       the index image (db/index/ann.h) in
 *                                              parts of at most 256 MiB
 *   vector_chunks(embedding_id, chunk, bytes)  the unit fp32 vectors in rank
 *                                              order, whole rows, at most
 *                                              256 MiB per chunk
 *
 * Both are rowid tables read with sqlite3_blob_read straight into one
 * buffer each, so loading gigabytes is a few large reads, not a row per
 * word. Triggers on `vectors` delete an embedding's rows of both when its
 * vectors change by hand; readers treat a missing table or missing rows as
 * "no index". Needs only SQLite and db/index/ann.c: the SQL extension compiles it
 * in (with EL_SQLITE_EXT, through the extension's API table). */
#ifndef EL_ANN_STORE_H
#define EL_ANN_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef EL_SQLITE_EXT
#include <sqlite3ext.h>
#else
#include <sqlite3.h>
#endif

#include "db/index/ann.h"

/* The largest part of an image and of a vector chunk: 2^28 bytes, far
 * below SQLite's default blob limit (10^9). */
#define ANN_PART_BYTES (1u << 28)

/* Rows of dim floats in one vector chunk of at most part_bytes (0 or over
 * ANN_PART_BYTES: ANN_PART_BYTES), at least 1. */
int32_t ann_chunk_rows(int32_t dim, uint64_t part_bytes);

/* Creates the two tables and the triggers if they are not there yet, and
 * a trigger anew whose text is not this file's. ANN_OK, or ANN_EINVAL with
 * the database's message in err. */
int ann_store_tables(sqlite3 *db, char *err, size_t errcap);

/* 1 when the three triggers on main.vectors are there as ann_store_tables
 * makes them, 0 when one is missing or changed, -1 on error. */
int ann_store_triggers_ok(sqlite3 *db);

/* Replaces what embedding eid has stored with ix's image and unit[n x d]
 * (the vectors ix was built from) in one savepoint, in parts of at most
 * part_bytes (0: ANN_PART_BYTES; tests pass small ones). ANN_OK, or
 * ANN_EINVAL with a message. Readers take any part size up to
 * ANN_PART_BYTES, all parts the first's size but the last. */
int ann_store_save(sqlite3 *db, int64_t eid, const AnnIndex *ix, const float *unit, uint64_t part_bytes, char *err,
                   size_t errcap);

/* Deletes what embedding eid has stored (nothing when the tables are not
 * there). ANN_OK or ANN_EINVAL with a message. */
int ann_store_drop(sqlite3 *db, int64_t eid, char *err, size_t errcap);

/* 1 when embedding eid has index parts stored, 0 when not (or no tables),
 * without reading them. */
int ann_store_has_index(sqlite3 *db, int64_t eid);

/* Reads embedding eid's image into *image (64-byte aligned, free() it; len
 * *len) and opens it into *ix (in place). ANN_EMISSING when there is none,
 * ANN_ESTALE when the triggers on vectors are missing or changed
 * (ann_store_triggers_ok), ANN_ECORRUPT for damaged parts or image,
 * ANN_ENOMEM, each with a message. */
int ann_store_load_index(sqlite3 *db, int64_t eid, uint8_t **image, size_t *len, AnnIndex *ix, char *err,
                         size_t errcap);

/* Reads embedding eid's unit vectors for the opened ix into *unit
 * (ix->n x ix->d, 64-byte aligned, free() it) and checks them against the
 * index's identity (ann_check_vectors). ANN_ECORRUPT for missing or
 * wrong-sized chunks, ANN_ESTALE for other vectors, ANN_ENOMEM. */
int ann_store_load_vectors(sqlite3 *db, int64_t eid, const AnnIndex *ix, float **unit, char *err, size_t errcap);

#endif
