/* db/merge.h: merging lab databases (the shards of a sweep run on several
 * machines). Embeddings are matched by name, sweeps by their grid spec;
 * runs, epochs, results and models are copied with their ids remapped. A run
 * already present (same sweep, grid point, host, pid and start time) is not
 * copied twice, so merging the same file again changes nothing. */
#ifndef EL_DB_MERGE_H
#define EL_DB_MERGE_H

#include <sqlite3.h>

/* 0 if every embedding and sweep name in db (runs' embeddings included) is
 * in the alphabet of core/names.h; else -1 with a message naming path. A
 * foreign file is checked before anything of it is merged. */
int lab_check_names(sqlite3 *db, const char *path);

/* Merges the lab database at path into db in one transaction (after
 * lab_check_names); counts what was added. */
int lab_merge(sqlite3 *db, const char *path, int *runs_added, int *embeddings_added);

#endif
