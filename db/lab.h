/* db/lab.h: the lab notebook, one SQLite file that holds a whole study.
 *
 *   lab_open        open or create; refuses files that are not embedlab's
 *                   and leaves them byte-for-byte unchanged; migrates older ones
 *   lab_migrate_to  apply migrations up to a version (tests use it to build
 *                   an old database)
 *   lab_exec, lab_begin/commit/rollback   small helpers for transactions
 *   lab_vacuum      give the file's free pages back to the file system
 *
 * Every connection from lab_open also has the SQL function owner_alive() and
 * the temporary view run_status(run_id, status), where a 'running' run whose
 * process is gone reads 'lost'.
 *
 * Schema (version LAB_SCHEMA_VERSION, kept in PRAGMA user_version; PRAGMA
 * application_id marks the file as embedlab's):
 *   embeddings  one row per set of word vectors, with its training parameters
 *   vectors     one row per word: a float32 little-endian blob (db/embeddings.c)
 *   ngrams      an embedding trained with subwords: one row per character
 *               n-gram bucket in use, its vector as in vectors
 *   sweeps      one row per sweep, with its grid as JSON
 *   runs        every classifier or embedding run: config JSON, status, owner
 *               (host, pid, its start time, a heartbeat: db/owner.h)
 *   epochs      per-epoch train/validation metrics of a run
 *   results     final metrics of a run
 *   models      trained parameters of a run, with their vocabulary and a
 *               content hash (db/runs.h run_read_model checks it)
 *   embedding_claims  embeddings a sweep is training now, with their owner
 *   tokenizers  a learned tokenizer's model (spm), which embeddings and runs
 *               point to (db/tokenizers.h); embeddings.tokenizer is the spec,
 *               embeddings.query_form its kind's query form (embed/text/tokenizer.h
 *               TokQueryForm, by name)
 *   predictions a finished run's test predictions, for ensembles (db/runs.h)
 */
#ifndef EL_LAB_H
#define EL_LAB_H

#include <sqlite3.h>
#include <stdint.h>

#define LAB_SCHEMA_VERSION 10
#define LAB_APPLICATION_ID 0x456d624c /* "EmbL" */

/* The database path: the --db option if given, else $EMBEDLAB_DB, else lab.db. */
const char *lab_path(const char *option);

/* Open (creating and migrating as needed) the lab notebook at path; -1 with a
 * message if the file is not one. Safe when several processes open (and so
 * create) the same new file at once: creation and migrations happen under the
 * write lock, with a 30 s busy timeout. lab_open_existing is for readers: a missing
 * file is an error, so that a mistyped --db does not leave an empty notebook. */
int lab_open(const char *path, sqlite3 **db);
int lab_open_existing(const char *path, sqlite3 **db);
void lab_close(sqlite3 *db);
/* For a reader beside writers (embedlab serve): opened with
 * SQLITE_OPEN_READONLY and PRAGMA query_only, a busy timeout, owner_alive()
 * and run_status as lab_open gives them; never creates or migrates: a
 * missing file, another file or another schema version is an error. */
int lab_open_readonly(const char *path, sqlite3 **db);
/* Migrates db up to version in one write transaction (nothing if it is there
 * already); turns foreign keys off, which lab_open turns on again after. */
int lab_migrate_to(sqlite3 *db, int version);

/* Run SQL without results; -1 with the SQLite message on error. */
int lab_exec(sqlite3 *db, const char *sql);
int lab_begin(sqlite3 *db);
int lab_commit(sqlite3 *db);
void lab_rollback(sqlite3 *db);

/* Rewrites the file without its free pages (VACUUM), then checkpoints the
 * WAL so that the file shrinks now rather than when the last connection
 * closes (unless another process is reading it). Slow on a big file, and it
 * needs free disk for about twice the database meanwhile (a copy, and the
 * WAL). *before and *after: the database's size in bytes (pages). 0, or -1
 * with a message. */
int lab_vacuum(sqlite3 *db, int64_t *before, int64_t *after);

/* The provenance of what this process writes (core/provenance.h), as an SQL
 * expression over named parameters :pv_*, for the provenance column of runs
 * and embeddings; lab_bind_provenance() binds them, with the threads used. */
#define LAB_PROVENANCE_JSON                                                                                            \
    "json_object('version', :pv_version, 'commit', :pv_commit, 'compiler', :pv_compiler, 'flags', :pv_flags, "         \
    "'cpu', :pv_cpu, 'isa', :pv_isa, 'blas', :pv_blas, 'blas_kernel', :pv_blas_kernel, 'blas_env', :pv_blas_env, "     \
    "'host', :pv_host, 'threads', :pv_threads)"
void lab_bind_provenance(sqlite3_stmt *st, int threads);

/* Prepare, with the error reported through el_fail. */
int lab_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);

/* Column i of st's row as text, "" for NULL: a lab.db from elsewhere may
 * hold NULL where embedlab writes text, and NULL must not reach a %s. */
const char *lab_text(sqlite3_stmt *st, int i);

#endif
