/* db/merge.h: merging lab databases (the shards of a sweep run on several
 * machines). Embeddings are matched by content (dimensions, words and
 * vectors, n-gram rows; db/merge_embeddings.c): one of the same name with
 * other vectors is copied as NAME.2 (NAME.3, ...) and said so, so that no
 * run is re-pointed to vectors it was not trained on. Sweeps by their grid spec;
 * runs, epochs, results and models are copied with their ids remapped. A run
 * already present (same sweep, grid point, host, pid and start time) is not
 * copied twice, so merging the same file again changes nothing. */
#ifndef EL_DB_MERGE_H
#define EL_DB_MERGE_H

#include <sqlite3.h>
#include <stddef.h>

/* 0 if every embedding and sweep name in db (runs' embeddings included) is
 * in the alphabet of core/names.h; else -1 with a message naming path. A
 * foreign file is checked before anything of it is merged. */
int lab_check_names(sqlite3 *db, const char *path);

/* Merges the lab database at path into db in one transaction (after
 * lab_check_names); counts what was added, and writes into notes (size
 * bytes, "" if none) a line per embedding copied under a new name. */
int lab_merge(sqlite3 *db, const char *path, int *runs_added, int *embeddings_added, char *notes, size_t size);

/* Inside lab_merge's transaction, with the file attached as "src": fills
 * temp.emb_plan(src, dst, name), for each source embedding the lab's one with
 * the same content (dst) or the name its copy gets (dst NULL), and notes the
 * renamed copies. 0, or -1 with a message. */
int merge_plan_embeddings(sqlite3 *db, const char *path, char *notes, size_t size);

#endif
