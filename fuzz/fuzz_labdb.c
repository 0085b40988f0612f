/* fuzz/fuzz_labdb.c: opening a crafted or foreign file as a lab notebook
 * (db/lab.c) and the read paths over it: the embeddings with their vectors,
 * n-gram rows and tokenizer (a learned one's stored model: db/tokenizers.c),
 * every tokenizers row,
 * the runs with their status (run_status: db/owner.c), a run's config
 * (experiments/run/run_record.c), its tokenizer and its stored test predictions (db/runs.c)
 * with their soft vote (experiments/run/ensemble.c). Every outcome must be a lab notebook or an error message
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
#include "experiments/run/ensemble.h"
#include "experiments/run/run_record.h"
#include "db/tokenizers.h"

/* A ready tokenizer from the file must cut text; then it is freed. */
static void use_tokenizer(Tokenizer *t) {
    static const char text[] = "영화가 정말 최고다!!! ㅋㅋㅋ 10점 \xff";
    TokenBuf b;
    tokbuf_init(&b);
    tokenizer_tokens(t, text, sizeof text - 1, &b);
    tokbuf_free(&b);
    tokenizer_free(t);
}

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
        Tokenizer *t;
        if (db_embedding_tokenizer(db, names[i], &t, NULL) == 0)
            use_tokenizer(t);
    }
}

static void read_tokenizers(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT id, spec FROM tokenizers ORDER BY id LIMIT 8", -1, &st, NULL) != SQLITE_OK)
        return;
    int64_t ids[MAX_ROWS];
    char specs[MAX_ROWS][64];
    int n = 0;
    while (n < MAX_ROWS && sqlite3_step(st) == SQLITE_ROW) {
        ids[n] = sqlite3_column_int64(st, 0);
        snprintf(specs[n++], sizeof specs[0], "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        Tokenizer *t;
        if (db_tokenizer_open(db, specs[i], ids[i], "row", &t) == 0)
            use_tokenizer(t);
    }
}

static void read_runs(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT r.id, s.status, r.config, r.sweep_key, r.tokenizer_id FROM runs r JOIN run_status "
                           "s ON s.run_id = r.id ORDER BY r.id LIMIT 8",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    int64_t ids[MAX_ROWS], tok_ids[MAX_ROWS];
    int n = 0;
    while (n < MAX_ROWS && sqlite3_step(st) == SQLITE_ROW) {
        tok_ids[n] = sqlite3_column_int64(st, 4);
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    for (int i = 0; i < n; i++) {
        ClassifierConfig c;
        Tokenizer *t;
        if (run_config(db, ids[i], &c) == 0 && db_tokenizer_open(db, c.tokenizer, tok_ids[i], "run", &t) == 0)
            use_tokenizer(t);
        RunPredictions p; /* stored test predictions: sizes and labels checked */
        if (run_read_predictions(db, ids[i], &p) == 0)
            run_predictions_free(&p);
    }
    /* Their soft vote: runs whose stored reviews must match. */
    if (n > 0) {
        EnsembleResult e;
        if (ensemble_eval(db, ids, n, &e) == 0)
            ensemble_free(&e);
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
        read_tokenizers(db);
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
