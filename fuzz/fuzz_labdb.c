/* fuzz/fuzz_labdb.c: opening a crafted or foreign file as a lab notebook
 * (db/lab.c) and the read paths over it: the embeddings with their vectors
 * and n-gram rows,
 * the runs with their status (run_status: db/owner.c), a run's config
 * (experiments/run_record.c). Every outcome must be a lab notebook or an error message
 * (SQLite's "file is not a database" is one): no crash, hang or leak. The
 * input is written to a file of its own in /tmp, removed after. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "experiments/run_record.h"

/* Rows read per table: enough to reach every read path. */
#define MAX_ROWS 8

static void read_embeddings(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT name FROM embeddings ORDER BY id LIMIT 8", -1, &st, NULL) != SQLITE_OK)
        return;
    char names[MAX_ROWS][64];
    int n = 0;
    while (n < MAX_ROWS && sqlite3_step(st) == SQLITE_ROW)
        snprintf(names[n++], sizeof names[0], "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        Embedding e;
        if (db_embedding_load_subwords(db, names[i], &e, NULL) == 0)
            emb_free(&e);
    }
}

static void read_runs(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.id, s.status, r.config, r.sweep_key FROM runs r JOIN run_status s ON "
                           "s.run_id = r.id ORDER BY r.id LIMIT 8",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    int64_t ids[MAX_ROWS];
    int n = 0;
    while (n < MAX_ROWS && sqlite3_step(st) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        ClassifierConfig c;
        run_config(db, ids[i], &c);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static unsigned counter;
    char path[128], side[160];
    snprintf(path, sizeof path, "/tmp/fuzz_labdb-%d-%u.db", (int)getpid(), counter++);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    sqlite3 *db;
    if (lab_open_existing(path, &db) == 0) {
        read_embeddings(db);
        read_runs(db);
        lab_close(db);
    }
    el_clear_error();
    const char *suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; i < 4; i++) {
        snprintf(side, sizeof side, "%s%s", path, suffixes[i]);
        unlink(side);
    }
    return 0;
}
