/* db/sql/ext.h: what the files of the SQL extension share (db/sql/sqlite_ext.c
 * says what the extension offers):
 *
 *   ext_vec_functions   vec_dot, vec_cosine, vec_norm, vec_json, vec_f32
 *                       (db/sql/vec_functions.c)
 *   ext_nearest_module  the nearest() table-valued function
 *                       (db/sql/nearest_vtab.c, over db/sql/nearest_cache.c
 *                       and the query of db/index/nearest.c)
 *
 * Each file calls SQLite through the loading SQLite's API table (the
 * sqlite3_api pointer db/sql/sqlite_ext.c defines), or straight under
 * SQLITE_CORE. */
#ifndef EL_SQL_EXT_H
#define EL_SQL_EXT_H

#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3

/* The most values a vector may have, in any function here and in an
 * embedding: 2^24 (a 64 MiB blob). Checking it before sizes are multiplied
 * keeps every byte count below 2^26, far from int overflow. */
#define VEC_MAX_DIM (1 << 24)

/* Registers the scalar vector functions on db: an SQLite result code. */
int ext_vec_functions(sqlite3 *db);

/* Registers the nearest module on db, with its per-connection cache (freed
 * with the module): an SQLite result code. */
int ext_nearest_module(sqlite3 *db);

#endif
