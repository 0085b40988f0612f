/* db/sqlite_ext.c: the loadable SQLite extension (build/embedlab_sqlite.so). */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "db/vecmath.h"

#ifdef _WIN32
__declspec(dllexport)
#endif
    int sqlite3_embedlabsqlite_init(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
    (void)db;
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    return SQLITE_OK;
}
