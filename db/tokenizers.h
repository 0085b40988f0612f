/* db/tokenizers.h: learned tokenizers' models in the lab notebook (table
 * tokenizers, schema 7).
 *
 * A fixed kind (words, unicode, chars) is whole in its spec, which the
 * embedding (embeddings.tokenizer) or the run (runs.config $.tokenizer)
 * records. A learned kind (spm) also needs its model: the bytes
 * tokenizer_save() gives go into one tokenizers row, shared by every
 * embedding and run that used them (embeddings.tokenizer_id,
 * runs.tokenizer_id), so the same bytes tokenize again years later.
 *
 *   db_tokenizer_store  the row of a ready learned tokenizer (made once per
 *                       spec and model hash); 0 for a fixed kind
 *   db_tokenizer_open   a ready tokenizer of a spec and, for a learned kind,
 *                       the model of a row, every byte checked
 *   db_tokenizer_check_all  every row opened as db_tokenizer_open would
 *                       (what merge asks of a lab before copying its rows)
 *   db_tokenizer_drop_unused  a row no embedding or run points to any more
 *   db_tokenizer_hash   the model's identity, as stored in tokenizers.hash */
#ifndef EL_DB_TOKENIZERS_H
#define EL_DB_TOKENIZERS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "embed/text/tokenizer.h"

/* *id: the row holding t's model (an existing one with the same spec and
 * model hash, else a new one), or 0 when t is a fixed kind. Runs inside the
 * caller's transaction if there is one. 0, or -1 with a message. */
int db_tokenizer_store(sqlite3 *db, const Tokenizer *t, int64_t *id);

/* A ready tokenizer of spec into *out (the caller frees it): a fixed kind
 * needs no row (id is ignored); a learned one loads the model of row id,
 * which must hold the same spec and a model whose hash is the stored one.
 * what names the owner in messages ("run 12", "embedding 'ko'"). 0, or -1
 * with a message. */
int db_tokenizer_open(sqlite3 *db, const char *spec, int64_t id, const char *what, Tokenizer **out);

/* Every tokenizers row of db opened and checked as db_tokenizer_open does
 * (spec, hash, a learned model embedlab's training could have written), so
 * that a row no command could use is not copied on (merge). what names the
 * database in messages. 0, or -1 with a message naming the first bad row. */
int db_tokenizer_check_all(sqlite3 *db, const char *what);

/* Points run at tokenizers row id (runs.tokenizer_id). 0, or -1 with a message. */
int db_tokenizer_attach_run(sqlite3 *db, int64_t run, int64_t id);

/* Deletes tokenizers row id when no embedding and no run points to it any
 * more (what embed rm and runs rm call after removing theirs): its spec to
 * spec[cap] then (spec may be NULL), else spec is left as it was. Runs inside
 * the caller's transaction. 0, or -1 with a message. */
int db_tokenizer_drop_unused(sqlite3 *db, int64_t id, char *spec, size_t cap);

/* 16 lowercase hex digits of hash_bytes over the bytes, in buf (>= 17 bytes). */
const char *db_tokenizer_hash(const void *bytes, size_t n, char *buf);

#endif
