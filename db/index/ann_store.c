/* db/index/ann_store.c: the index image and the unit vectors of an embedding in
 * lab.db (db/index/ann_store.h), written in large parts and read back with blob
 * I/O into one aligned buffer each, one blob handle moved from part to part. */
#include "db/index/ann_store.h"

#ifdef EL_SQLITE_EXT
SQLITE_EXTENSION_INIT3
#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* The most parts either table may give one embedding: 2^16 parts of
 * 2^28 bytes, 16 TiB, far above any index or matrix this code can build. */
#define MAX_PARTS (1 << 16)

int32_t ann_chunk_rows(int32_t dim, uint64_t part_bytes) {
    if (part_bytes == 0 || part_bytes > ANN_PART_BYTES)
        part_bytes = ANN_PART_BYTES;
    int64_t rows = (int64_t)part_bytes / (4 * (int64_t)(dim > 0 ? dim : 1));
    return rows > 0 ? (int32_t)rows : 1;
}

/* The tables are made here, when the first index is built, and not by a
 * numbered migration in db/lab.c: a lab.db without them is complete (no
 * index is a valid state: exact search), an older embedlab opens a file
 * that has them, and every reader treats a missing table as no index.
 * The triggers keep an index from outliving the vectors it was built from:
 * any write to an embedding's `vectors` rows deletes its index and chunks. */
static const char tables_sql[] = "CREATE TABLE IF NOT EXISTS main.ann_index(\n"
                                 "  id INTEGER PRIMARY KEY,\n" /* a rowid table: sqlite3_blob_open needs one */
                                 "  embedding_id INTEGER NOT NULL REFERENCES embeddings(id) ON DELETE CASCADE,\n"
                                 "  part INTEGER NOT NULL,\n"
                                 "  bytes BLOB NOT NULL,\n"
                                 "  UNIQUE (embedding_id, part));\n"
                                 "CREATE TABLE IF NOT EXISTS main.vector_chunks(\n"
                                 "  id INTEGER PRIMARY KEY,\n"
                                 "  embedding_id INTEGER NOT NULL REFERENCES embeddings(id) ON DELETE CASCADE,\n"
                                 "  chunk INTEGER NOT NULL,\n"
                                 "  bytes BLOB NOT NULL,\n"
                                 "  UNIQUE (embedding_id, chunk));\n";

/* The triggers, each as sqlite_master keeps it after
 * "CREATE TRIGGER IF NOT EXISTS main." (SQLite drops those words), and
 * the text is the same as every embedlab since the index wrote it. */
static const char *const triggers[][2] = {
    {"ann_stale_on_insert", "CREATE TRIGGER ann_stale_on_insert AFTER INSERT ON vectors BEGIN\n"
                            "  DELETE FROM ann_index WHERE embedding_id = NEW.embedding_id;\n"
                            "  DELETE FROM vector_chunks WHERE embedding_id = NEW.embedding_id; END"},
    {"ann_stale_on_update", "CREATE TRIGGER ann_stale_on_update AFTER UPDATE ON vectors BEGIN\n"
                            "  DELETE FROM ann_index WHERE embedding_id IN (OLD.embedding_id, NEW.embedding_id);\n"
                            "  DELETE FROM vector_chunks WHERE embedding_id IN (OLD.embedding_id, NEW.embedding_id); "
                            "END"},
    {"ann_stale_on_delete", "CREATE TRIGGER ann_stale_on_delete AFTER DELETE ON vectors BEGIN\n"
                            "  DELETE FROM ann_index WHERE embedding_id = OLD.embedding_id;\n"
                            "  DELETE FROM vector_chunks WHERE embedding_id = OLD.embedding_id; END"},
};

/* 1 when triggers[first .. first + n) (n of 1 to 3) are each in main as this
 * file makes them, 0 when not (one missing, or another body under its
 * name), -1 on error. One statement, as every index read asks for the
 * three: trigger names are unique in a schema, so n rows match only when
 * each is there as made (a short list repeats its last pair). */
static int triggers_found(sqlite3 *db, int first, int n) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'vectors' "
                           "AND ((name = ?1 AND sql = ?2) OR (name = ?3 AND sql = ?4) OR (name = ?5 AND sql = ?6))",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    for (int k = 0; k < 3; k++) {
        int i = first + (k < n ? k : n - 1);
        sqlite3_bind_text(st, 2 * k + 1, triggers[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2 * k + 2, triggers[i][1], -1, SQLITE_STATIC);
    }
    int ok = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) == n : -1;
    sqlite3_finalize(st);
    return ok;
}

int ann_store_triggers_ok(sqlite3 *db) { return triggers_found(db, 0, 3); }

int ann_store_tables(sqlite3 *db, char *err, size_t errcap) {
    char *msg = NULL;
    int rc = sqlite3_exec(db, tables_sql, NULL, NULL, &msg);
    /* A trigger missing or changed (a hostile or hand-edited lab) is made
     * anew, so that a rebuilt index is kept in step again. */
    for (int i = 0; rc == SQLITE_OK && i < 3; i++) {
        int ok = triggers_found(db, i, 1);
        if (ok == 1)
            continue;
        char *sql = ok < 0 ? NULL
                           : sqlite3_mprintf("DROP TRIGGER IF EXISTS main.%s; CREATE TRIGGER IF NOT EXISTS main.%s",
                                             triggers[i][0], triggers[i][1] + strlen("CREATE TRIGGER "));
        rc = sql ? sqlite3_exec(db, sql, NULL, NULL, &msg) : SQLITE_ERROR;
        sqlite3_free(sql);
    }
    if (rc != SQLITE_OK) {
        ann_say(err, errcap, "creating the index tables: %s", msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        return ANN_EINVAL;
    }
    return ANN_OK;
}

/* 1 when both tables are there, 0 when not, -1 on error. */
static int have_tables(sqlite3 *db) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name IN ('ann_index', "
                           "'vector_chunks')",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int have = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) == 2 : -1;
    sqlite3_finalize(st);
    return have;
}

int ann_store_drop(sqlite3 *db, int64_t eid, char *err, size_t errcap) {
    int have = have_tables(db);
    if (have <= 0) {
        if (have < 0)
            ann_say(err, errcap, "database: %s", sqlite3_errmsg(db));
        return have < 0 ? ANN_EINVAL : ANN_OK;
    }
    static const char *const sql[] = {"DELETE FROM main.ann_index WHERE embedding_id = ?",
                                      "DELETE FROM main.vector_chunks WHERE embedding_id = ?"};
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *st;
        int rc = sqlite3_prepare_v2(db, sql[i], -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int64(st, 1, eid);
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_OK) {
            ann_say(err, errcap, "deleting an index: %s", sqlite3_errmsg(db));
            return ANN_EINVAL;
        }
    }
    return ANN_OK;
}

/* Inserts bytes[0..len) as rows (eid, 0..), part_max bytes each but the last. */
static int insert_parts(sqlite3 *db, const char *sql, int64_t eid, const uint8_t *bytes, uint64_t len,
                        uint64_t part_max, char *err, size_t errcap) {
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        ann_say(err, errcap, "saving an index: %s", sqlite3_errmsg(db));
        return ANN_EINVAL;
    }
    int rc = ANN_OK;
    for (uint64_t at = 0, part = 0; rc == ANN_OK && at < len; at += part_max, part++) {
        uint64_t size = len - at < part_max ? len - at : part_max;
        sqlite3_bind_int64(st, 1, eid);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)part);
        sqlite3_bind_blob64(st, 3, bytes + at, size, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            ann_say(err, errcap, "saving an index: %s", sqlite3_errmsg(db));
            rc = ANN_EINVAL;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int ann_store_save(sqlite3 *db, int64_t eid, const AnnIndex *ix, const float *unit, uint64_t part_bytes, char *err,
                   size_t errcap) {
    if (part_bytes == 0 || part_bytes > ANN_PART_BYTES)
        part_bytes = ANN_PART_BYTES;
    if (ann_store_tables(db, err, errcap) != ANN_OK)
        return ANN_EINVAL;
    if (sqlite3_exec(db, "SAVEPOINT ann_store", NULL, NULL, NULL) != SQLITE_OK) {
        ann_say(err, errcap, "saving an index: %s", sqlite3_errmsg(db));
        return ANN_EINVAL;
    }
    const uint8_t *image = ix->bytes;
    uint64_t row_bytes = 4 * (uint64_t)ix->d;
    int rc = ann_store_drop(db, eid, err, errcap);
    if (rc == ANN_OK)
        rc = insert_parts(db, "INSERT INTO main.ann_index(embedding_id, part, bytes) VALUES (?, ?, ?)", eid, image,
                          ix->image_bytes, part_bytes, err, errcap);
    if (rc == ANN_OK)
        rc = insert_parts(db, "INSERT INTO main.vector_chunks(embedding_id, chunk, bytes) VALUES (?, ?, ?)", eid,
                          (const uint8_t *)unit, (uint64_t)ix->n * row_bytes,
                          (uint64_t)ann_chunk_rows(ix->d, part_bytes) * row_bytes, err, errcap);
    if (rc != ANN_OK) {
        sqlite3_exec(db, "ROLLBACK TO ann_store; RELEASE ann_store", NULL, NULL, NULL);
        return rc;
    }
    if (sqlite3_exec(db, "RELEASE ann_store", NULL, NULL, NULL) != SQLITE_OK) {
        ann_say(err, errcap, "saving an index: %s", sqlite3_errmsg(db));
        sqlite3_exec(db, "ROLLBACK TO ann_store; RELEASE ann_store", NULL, NULL, NULL);
        return ANN_EINVAL;
    }
    return ANN_OK;
}

/* The rowids of table's rows for eid, numbered 0, 1, ... in order, with
 * their blob sizes. */
typedef struct {
    sqlite3_int64 *rowid;
    uint64_t *size;
    int m;
    uint64_t total;
} Parts;

static void parts_free(Parts *p) {
    free(p->rowid);
    free(p->size);
    memset(p, 0, sizeof *p);
}

/* Points *b at the bytes of table's row rowid: the first call (*b NULL)
 * opens a handle, later ones move it (sqlite3_blob_reopen), since opening
 * one prepares a statement, most of reading a small part. A move that
 * fails leaves the handle unusable: it is closed, and an open says what
 * is wrong with the row. SQLITE_OK, or the open's error (*b NULL then). */
static int blob_at(sqlite3 *db, const char *table, sqlite3_int64 rowid, sqlite3_blob **b) {
    if (*b && sqlite3_blob_reopen(*b, rowid) == SQLITE_OK)
        return SQLITE_OK;
    sqlite3_blob_close(*b);
    *b = NULL;
    return sqlite3_blob_open(db, "main", table, "bytes", rowid, 0, b);
}

/* Lists the parts (`what` names them in messages). ANN_EMISSING for none;
 * ANN_ECORRUPT when they are not numbered 0..m-1, or one is empty, over
 * ANN_PART_BYTES or not a multiple of `unit` bytes, or one but the last
 * differs from the first in size (the last may be shorter). */
static int list_parts(sqlite3 *db, const char *table, const char *what, int64_t eid, uint64_t unit, Parts *p, char *err,
                      size_t errcap) {
    memset(p, 0, sizeof *p);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id, %s FROM main.%s WHERE embedding_id = ? ORDER BY 2",
             strcmp(table, "ann_index") == 0 ? "part" : "chunk", table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        ann_say(err, errcap, "reading the %s: %s", what, sqlite3_errmsg(db));
        return ANN_ECORRUPT;
    }
    sqlite3_bind_int64(st, 1, eid);
    int rc = ANN_OK, step, cap = 0;
    while (rc == ANN_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || sqlite3_column_int64(st, 1) != p->m || p->m == MAX_PARTS) {
            ann_say(err, errcap, "the %s's parts are not numbered 0, 1, ... (damaged: rebuild it)", what);
            rc = ANN_ECORRUPT;
            break;
        }
        if (p->m == cap) {
            cap = cap ? 2 * cap : 16;
            sqlite3_int64 *r = realloc(p->rowid, (size_t)cap * sizeof *r);
            if (r)
                p->rowid = r;
            uint64_t *s = realloc(p->size, (size_t)cap * sizeof *s);
            if (s)
                p->size = s;
            if (!r || !s) {
                ann_say(err, errcap, "out of memory");
                rc = ANN_ENOMEM;
                break;
            }
        }
        p->rowid[p->m++] = sqlite3_column_int64(st, 0);
    }
    if (rc == ANN_OK && step != SQLITE_DONE) {
        ann_say(err, errcap, "reading the %s: %s", what, sqlite3_errmsg(db));
        rc = ANN_ECORRUPT;
    }
    sqlite3_finalize(st);
    sqlite3_blob *b = NULL;
    for (int i = 0; rc == ANN_OK && i < p->m; i++) {
        if (blob_at(db, table, p->rowid[i], &b) != SQLITE_OK) {
            ann_say(err, errcap, "the %s's part %d is not a blob (damaged: rebuild it)", what, i);
            rc = ANN_ECORRUPT;
            break;
        }
        p->size[i] = (uint64_t)sqlite3_blob_bytes(b);
        uint64_t size = p->size[i];
        if (size == 0 || size > ANN_PART_BYTES || size % unit != 0 || (i > 0 && size > p->size[0]) ||
            (i > 0 && i + 1 < p->m && size != p->size[0])) {
            ann_say(err, errcap, "the %s's part %d has %llu bytes (damaged: rebuild it)", what, i,
                    (unsigned long long)p->size[i]);
            rc = ANN_ECORRUPT;
        }
        p->total += p->size[i];
    }
    sqlite3_blob_close(b);
    if (rc == ANN_OK && p->m == 0)
        rc = ANN_EMISSING;
    if (rc != ANN_OK)
        parts_free(p);
    return rc;
}

/* A buffer of len bytes for free(), 64-byte aligned; from 2 MiB on, aligned
 * to 2 MiB and asked to be backed by huge pages: loading gigabytes into
 * fresh memory otherwise costs a page fault per 4 KiB, which on a virtual
 * machine here took longer than reading the bytes (64 MB: 670 ms of faults,
 * 13 ms with huge pages). NULL when out of memory. */
static void *big_alloc(uint64_t len) {
    size_t huge = (size_t)2 << 20, align = len >= huge ? huge : 64;
    void *buf = NULL;
    if (len > SIZE_MAX - huge || posix_memalign(&buf, align, len ? (size_t)len : 1) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    if (align == huge)
        madvise(buf, (size_t)len & ~(huge - 1), MADV_HUGEPAGE); /* a hint: failing changes nothing */
#endif
    return buf;
}

/* Reads the listed parts, in order, into one new 64-byte-aligned buffer. */
static int read_parts(sqlite3 *db, const char *table, const char *what, const Parts *p, uint8_t **out, char *err,
                      size_t errcap) {
    void *buf = big_alloc(p->total);
    if (!buf) {
        ann_say(err, errcap, "out of memory for the %s (%llu bytes)", what, (unsigned long long)p->total);
        return ANN_ENOMEM;
    }
    uint8_t *at = buf;
    sqlite3_blob *b = NULL;
    for (int i = 0; i < p->m; i++) {
        int rc = blob_at(db, table, p->rowid[i], &b);
        if (rc == SQLITE_OK && (uint64_t)sqlite3_blob_bytes(b) != p->size[i])
            rc = SQLITE_ERROR;
        if (rc == SQLITE_OK)
            rc = sqlite3_blob_read(b, at, (int)p->size[i], 0);
        if (rc != SQLITE_OK) {
            ann_say(err, errcap, "reading the %s's part %d: %s", what, i,
                    rc == SQLITE_ERROR ? "it changed while read" : sqlite3_errmsg(db));
            sqlite3_blob_close(b);
            free(buf);
            return ANN_ECORRUPT;
        }
        at += p->size[i];
    }
    sqlite3_blob_close(b);
    *out = buf;
    return ANN_OK;
}

int ann_store_has_index(sqlite3 *db, int64_t eid) {
    if (have_tables(db) != 1)
        return 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT EXISTS (SELECT 1 FROM main.ann_index WHERE embedding_id = ?)", -1, &st, NULL) !=
        SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, eid);
    int has = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return has;
}

int ann_store_load_index(sqlite3 *db, int64_t eid, uint8_t **image, size_t *len, AnnIndex *ix, char *err,
                         size_t errcap) {
    *image = NULL;
    *len = 0;
    memset(ix, 0, sizeof *ix);
    int have = have_tables(db);
    if (have <= 0) {
        ann_say(err, errcap, have < 0 ? "database: cannot read its tables" : "no index");
        return have < 0 ? ANN_ECORRUPT : ANN_EMISSING;
    }
    Parts p;
    int rc = list_parts(db, "ann_index", "index", eid, 1, &p, err, errcap);
    if (rc == ANN_EMISSING)
        ann_say(err, errcap, "no index");
    if (rc != ANN_OK)
        return rc;
    /* Without its triggers (dropped by hand, or a lab made to deceive) an
     * index may be from other vectors than the rows now hold, and only
     * reading every row could tell: it is not used. */
    int triggers_ok = ann_store_triggers_ok(db);
    if (triggers_ok != 1) {
        parts_free(&p);
        ann_say(err, errcap,
                triggers_ok < 0 ? "database: cannot read its triggers"
                                : "the triggers that keep the index in step with the vectors are missing or changed, "
                                  "so the index may be of other vectors (stale: rebuild it)");
        return triggers_ok < 0 ? ANN_ECORRUPT : ANN_ESTALE;
    }
    uint8_t *buf;
    rc = read_parts(db, "ann_index", "index", &p, &buf, err, errcap);
    size_t total = (size_t)p.total;
    parts_free(&p);
    if (rc != ANN_OK)
        return rc;
    rc = ann_open(buf, total, ix, err, errcap);
    if (rc != ANN_OK) {
        free(buf);
        return rc;
    }
    *image = buf;
    *len = total;
    return ANN_OK;
}

int ann_store_load_vectors(sqlite3 *db, int64_t eid, const AnnIndex *ix, float **unit, char *err, size_t errcap) {
    *unit = NULL;
    uint64_t row_bytes = 4 * (uint64_t)ix->d;
    Parts p;
    int rc = list_parts(db, "vector_chunks", "vector chunks", eid, row_bytes, &p, err, errcap);
    if (rc == ANN_EMISSING) {
        ann_say(err, errcap, "the index has no vector chunks (damaged: rebuild it)");
        rc = ANN_ECORRUPT;
    }
    if (rc != ANN_OK)
        return rc;
    if (p.total != (uint64_t)ix->n * row_bytes) {
        ann_say(err, errcap,
                "the vector chunks hold %llu bytes; the index's %d x %d vectors are %llu (damaged: rebuild it)",
                (unsigned long long)p.total, ix->n, ix->d, (unsigned long long)((uint64_t)ix->n * row_bytes));
        parts_free(&p);
        return ANN_ECORRUPT;
    }
    uint8_t *buf;
    rc = read_parts(db, "vector_chunks", "vector chunks", &p, &buf, err, errcap);
    parts_free(&p);
    if (rc != ANN_OK)
        return rc;
    rc = ann_check_vectors(ix, (const float *)buf, ix->n, ix->d, err, errcap);
    if (rc != ANN_OK) {
        free(buf);
        return rc;
    }
    *unit = (float *)buf;
    return ANN_OK;
}
