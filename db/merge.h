/* db/merge.h: merging lab databases (the shards of a sweep run on several
 * machines). Embeddings are matched by name, sweeps by their grid spec;
 * runs, epochs, results and models are copied with their ids remapped. A run
 * already present (same sweep, grid point, host, pid and start time) is not
 * copied twice, so merging the same file again changes nothing. */
#ifndef EL_DB_MERGE_H
#define EL_DB_MERGE_H

#include <sqlite3.h>

/* Merges the lab database at path into db in one transaction; counts what was added. */
int lab_merge(sqlite3 *db, const char *path, int *runs_added, int *embeddings_added);

#endif
