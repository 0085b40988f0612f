/* db/sql/sqlite_ext.h: the entry point of the SQL extension,
 * build/embedlab_sqlite.so (what it offers: db/sql/sqlite_ext.c), for a
 * program that compiles the extension in (SQLITE_CORE: tests/test_sql_ext.c,
 * the fuzz targets) and registers it on a connection itself. */
#ifndef EL_SQL_SQLITE_EXT_H
#define EL_SQL_SQLITE_EXT_H

#include <sqlite3.h>

/* Registers the vec_* functions and the nearest module on db; api is the
 * loading SQLite's table (unused, may be NULL, under SQLITE_CORE). An SQLite
 * result code. */
int sqlite3_embedlabsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

#endif
