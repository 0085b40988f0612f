/* fuzz/fuzz_labdb.c: opening a crafted or foreign file as a lab notebook
 * (db/lab.c) and the read paths over it: the embeddings with their vectors,
 * n-gram rows and tokenizer (a learned one's stored model: db/tokenizers.c),
 * every tokenizers row,
 * the runs with their status (run_status: db/owner.c), a run's config
 * (experiments/run/run_record.c), its tokenizer and its stored test predictions (db/runs.c)
 * with their soft vote (experiments/run/ensemble.c). Every outcome must be a lab notebook or an error message
 * (SQLite's "file is not a database" is one): no crash, hang or leak. The
 * input is written to a file of its own in a scratch folder (fuzz/scratch.h:
 * memory, where there is /dev/shm), removed after.
 *
 * An input may carry SQL after the file: FILE "\n--SQL--\n" STATEMENTS. The
 * statements run on the file first (no ATTACH, a bounded number of steps), so
 * the lab read is one with views shadowing its tables, triggers over them,
 * dropped indexes or rewritten rows, as a lab.db from elsewhere may have; the
 * seeds in fuzz/corpus/labdb/ named sql-* start from them. Those and lab-* are
 * labs of schema versions 3 to 8, which every open migrates; those named
 * v10-* are the same files migrated to version 10 (then current) by
 * `embedlab runs`, so they reach the read paths as a current lab.db does,
 * without the migration that is most of an old file's time, and their SQL
 * meets the read paths where on the old file it stops the migration (a view
 * named runs cannot gain a column). The read paths
 * include those of predict (saved_run_load, saved_run_predict) and nearest
 * (the index load, ann_lab_load). */
#include "fuzz/scratch.h" /* first: it defines _GNU_SOURCE (memmem) */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/index/ann_lab.h"
#include "db/tokenizers.h"
#include "experiments/run/ensemble.h"
#include "experiments/run/run_record.h"
#include "experiments/run/saved_run.h"

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
        AnnLoaded a; /* nearest's path: the stored index and unit vectors */
        if (ann_lab_load(db, names[i], &a) == ANN_OK) {
            int32_t row = ann_lab_row(db, &a, "good");
            char *w = row >= 0 ? ann_lab_word(db, &a, row) : NULL;
            free(w);
            ann_lab_free(&a);
        }
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
        Experiment c;
        Tokenizer *t;
        if (run_config(db, ids[i], &c) == 0 && db_tokenizer_open(db, c.tokenizer, tok_ids[i], "run", &t) == 0)
            use_tokenizer(t);
        RunPredictions p; /* stored test predictions: sizes and labels checked */
        if (run_read_predictions(db, ids[i], &p) == 0)
            run_predictions_free(&p);
        SavedRun r; /* predict's path: config, stored model and vocabulary, tokenizer */
        if (saved_run_load(db, ids[i], &r) == 0) {
            char text[] = "a great film \xff 영화가 최고다";
            char *texts[] = {text};
            real prob;
            saved_run_predict(&r, texts, 1, &prob);
            saved_run_free(&r);
        }
    }
    /* Their soft vote: runs whose stored reviews must match. */
    if (n > 0) {
        EnsembleResult e;
        if (ensemble_eval(db, ids, n, &e) == 0)
            ensemble_free(&e);
    }
}

/* Only what stays inside the file: no ATTACH (it would make files
 * anywhere), no DETACH. */
static int authorize(void *ctx, int action, const char *a, const char *b, const char *c, const char *d) {
    (void)ctx, (void)a, (void)b, (void)c, (void)d;
    return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

/* Ends a statement after about 10 million steps: a recursive view or a
 * trigger storm is bounded, not a hang of the fuzzer's. */
static int progress(void *ctx) { return ++*(int *)ctx > 1000; }

/* Runs the input's statements on the file at path (errors ignored: what
 * went through is the lab). */
static void apply_sql(const char *path, const char *sql, size_t len) {
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        char *text = xstrndup(sql, len);
        int ticks = 0;
        sqlite3_set_authorizer(db, authorize, NULL);
        sqlite3_progress_handler(db, 10000, progress, &ticks);
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
        sqlite3_exec(db, text, NULL, NULL, NULL);
        free(text);
    }
    sqlite3_close(db);
}

static char dir[4096]; /* the scratch folder, for every input's file */

/* One thread, as fuzz_aclimdb and fuzz_web have: predict's forward pass
 * (saved_run_predict) is an OpenMP loop, and with more threads their
 * workers spin for a while after each input's loop, taking the core
 * the next input needs (a fifth of this target's time went there). The
 * loop's body runs the same on one thread, and the same input always runs
 * the same way. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    el_set_threads(1);
    return 0;
}

static void remove_dir(void) { scratch_rmtree(dir); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!dir[0]) {
        scratch_dir(dir, sizeof dir);
        atexit(remove_dir);
    }
    char path[4200], side[4300];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    static const char mark[] = "\n--SQL--\n";
    const uint8_t *sql = memmem(data, size, mark, sizeof mark - 1);
    size_t file_len = sql ? (size_t)(sql - data) : size;
    fwrite(data, 1, file_len, f);
    fclose(f);
    if (sql)
        apply_sql(path, (const char *)sql + sizeof mark - 1, size - file_len - (sizeof mark - 1));
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
