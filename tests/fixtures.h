/* tests/fixtures.h: small helpers for tests that make their own fixtures.
 * Every fixture lives under a fresh temporary folder; tests never read the
 * real data. */
#ifndef EL_TEST_FIXTURES_H
#define EL_TEST_FIXTURES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "core/common.h"
#include "db/lab.h"
#include "embed/word2vec.h"

/* A fresh folder under $TMPDIR; the caller frees the returned path. */
static inline char *fixture_dir(void) {
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/embedlab-test-XXXXXX", base && *base ? base : "/tmp");
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    return strdup(dir);
}

/* Writes len bytes to dir/name (creating parent folders); returns the full path. */
static inline char *fixture_write(const char *dir, const char *name, const char *data, size_t len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *p = path + strlen(dir) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return strdup(path);
}

static inline char *fixture_text(const char *dir, const char *name, const char *text) {
    return fixture_write(dir, name, text, strlen(text));
}

/* Whole contents of a file (NUL-terminated); *len gets its size. */
static inline char *fixture_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static inline void fixture_rmtree(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

/* A new lab database dir/lab.db, open in *db. */
static inline void fixture_lab(const char *dir, sqlite3 **db) {
    char path[4096];
    snprintf(path, sizeof path, "%s/lab.db", dir);
    assert_int_equal(lab_open(path, db), 0);
}

/* The first column of the one row sql gives, as a whole number. */
static inline long long fixture_db_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The same as text ("(null)" for NULL); the caller frees it. */
static inline char *fixture_db_text(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *t = (const char *)sqlite3_column_text(st, 0);
    char *v = strdup(t ? t : "(null)");
    sqlite3_finalize(st);
    return v;
}

/* Word2vec settings of the small subword fixtures: dim, character n-grams
 * minn..maxn, epochs; every word kept (min count 1, no subsampling), quiet,
 * one thread so that a seed gives the same vectors. */
static inline void fixture_subword_params(W2vParams *p, int dim, int minn, int maxn, int epochs) {
    w2v_defaults(p);
    p->dim = dim;
    p->min_count = 1;
    p->sample = 0;
    p->epochs = epochs;
    p->quiet = 1;
    p->minn = minn;
    p->maxn = maxn;
    el_set_threads(1);
}

#endif
