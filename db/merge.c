/* db/merge.c: one transaction of INSERT ... SELECT over an attached file,
 * with temporary tables mapping the source's ids to the target's. */
#include "db/merge.h"

#include <stdio.h>

#include "core/common.h"
#include "core/names.h"
#include "db/lab.h"
#include "db/tokenizers.h"

static const char merge_sql[] =
    /* Learned tokenizers' models by their bytes: one row per model in the target. */
    "CREATE TEMP TABLE tok_map(src INTEGER PRIMARY KEY, dst INTEGER);\n"
    "INSERT INTO tokenizers(spec, model, hash, created)\n"
    "  SELECT spec, model, hash, min(created) FROM src.tokenizers s WHERE NOT EXISTS (SELECT 1 FROM main.tokenizers m\n"
    "    WHERE m.spec = s.spec AND m.hash = s.hash AND m.model = s.model) GROUP BY spec, hash, model ORDER BY "
    "min(id);\n"
    "INSERT INTO tok_map SELECT s.id, (SELECT min(m.id) FROM main.tokenizers m\n"
    "  WHERE m.spec = s.spec AND m.hash = s.hash AND m.model = s.model) FROM src.tokenizers s;\n"
    /* Embeddings by content (temp.emb_plan, db/merge_embeddings.c): new ones copied with their vectors and
       n-gram rows, under their name or a copy's. */
    "CREATE TEMP TABLE emb_map(src INTEGER PRIMARY KEY, dst INTEGER);\n"
    "INSERT INTO embeddings(name, dim, params, corpus, tokens, vocab_size, seconds, words_per_sec, source, created,\n"
    "    provenance, tokenizer, tokenizer_id, query_form)\n"
    "  SELECT p.name, dim, params, corpus, tokens, vocab_size, seconds, words_per_sec, source, created, provenance,\n"
    "    tokenizer, (SELECT dst FROM tok_map t WHERE t.src = e.tokenizer_id), query_form\n"
    "  FROM src.embeddings e JOIN temp.emb_plan p ON p.src = e.id WHERE p.dst IS NULL ORDER BY e.id;\n"
    "INSERT INTO emb_map SELECT p.src, coalesce(p.dst, (SELECT m.id FROM main.embeddings m WHERE m.name = p.name))\n"
    "  FROM temp.emb_plan p;\n"
    /* N-gram rows before vectors: a target without vectors yet is one just copied. */
    "INSERT INTO ngrams(embedding_id, bucket, vec)\n"
    "  SELECT e.dst, g.bucket, g.vec FROM src.ngrams g JOIN emb_map e ON e.src = g.embedding_id\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM main.vectors x WHERE x.embedding_id = e.dst);\n"
    "INSERT INTO vectors(embedding_id, word, rank, count, vec)\n"
    "  SELECT e.dst, v.word, v.rank, v.count, v.vec FROM src.vectors v JOIN emb_map e ON e.src = v.embedding_id\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM main.vectors x WHERE x.embedding_id = e.dst);\n"
    /* Sweeps by their grid spec (the same sweep sharded is one sweep). */
    "CREATE TEMP TABLE sweep_map(src INTEGER PRIMARY KEY, dst INTEGER);\n"
    "INSERT INTO sweeps(name, config, host, created)\n"
    "  SELECT name, config, host, created FROM src.sweeps s WHERE NOT EXISTS\n"
    "    (SELECT 1 FROM main.sweeps m WHERE json_extract(m.config, '$.spec') = json_extract(s.config, '$.spec'))\n"
    "  ORDER BY id;\n"
    "INSERT INTO sweep_map SELECT s.id, (SELECT min(m.id) FROM main.sweeps m\n"
    "  WHERE json_extract(m.config, '$.spec') = json_extract(s.config, '$.spec')) FROM src.sweeps s;\n"
    /* Runs, unless the very same run is already there. */
    "CREATE TEMP TABLE run_map(src INTEGER PRIMARY KEY, dst INTEGER);\n"
    "CREATE TEMP TABLE new_runs AS SELECT r.*, sm.dst AS new_sweep, em.dst AS new_emb FROM src.runs r\n"
    "  LEFT JOIN sweep_map sm ON sm.src = r.sweep_id LEFT JOIN emb_map em ON em.src = r.embedding_id\n"
    "  WHERE NOT EXISTS (SELECT 1 FROM main.runs m WHERE m.sweep_key IS r.sweep_key AND m.host IS r.host\n"
    "    AND m.pid IS r.pid AND m.started = r.started AND m.config = r.config) ORDER BY r.id;\n"
    "INSERT INTO runs(sweep_id, sweep_key, kind, config, status, error, embedding_id, host, pid, started, finished,\n"
    "    pid_start, heartbeat, provenance, tokenizer_id)\n"
    "  SELECT new_sweep, sweep_key, kind, config, status, error, new_emb, host, pid, started, finished,\n"
    "    pid_start, heartbeat, provenance, (SELECT dst FROM tok_map t WHERE t.src = n.tokenizer_id)\n"
    "  FROM new_runs n ORDER BY id;\n"
    /* AUTOINCREMENT ids of the rows just added are consecutive and in order. */
    "INSERT INTO run_map SELECT id, (SELECT max(id) FROM main.runs) - (SELECT count(*) FROM new_runs)\n"
    "  + row_number() OVER (ORDER BY id) FROM new_runs;\n"
    "INSERT INTO epochs SELECT m.dst, e.epoch, e.train_loss, e.train_acc, e.val_loss, e.val_acc, e.seconds\n"
    "  FROM src.epochs e JOIN run_map m ON m.src = e.run_id;\n"
    "INSERT INTO results SELECT m.dst, r.test_loss, r.test_acc, r.val_loss, r.val_acc, r.best_epoch, r.epochs,\n"
    "  r.params, r.seconds, r.seconds_per_epoch, r.input_bytes, r.onehot_bytes\n"
    "  FROM src.results r JOIN run_map m ON m.src = r.run_id;\n"
    "INSERT INTO models(run_id, format, params, vocab, hash) SELECT m.dst, x.format, x.params, x.vocab, x.hash\n"
    "  FROM src.models x JOIN run_map m ON m.src = x.run_id;\n"
    "INSERT INTO predictions SELECT m.dst, p.n, p.probs, p.labels FROM src.predictions p JOIN run_map m\n"
    "  ON m.src = p.run_id;\n";

static int count(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st;
    int n = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

int lab_check_names(sqlite3 *db, const char *path) {
    sqlite3_stmt *st;
    if (lab_prepare(db,
                    "SELECT 'embedding', name FROM embeddings UNION ALL SELECT 'sweep', name FROM sweeps WHERE name IS "
                    "NOT NULL UNION ALL SELECT 'embedding', json_extract(config, '$.embedding') FROM runs WHERE "
                    "json_type(config, '$.embedding') = 'text'",
                    &st) != 0)
        return -1;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0), *name = (const char *)sqlite3_column_text(st, 1);
        if (!name) /* NOT NULL in our schema; a file from elsewhere need not have it */
            rc = el_fail("merging %s: an %s without a name", path, kind);
        else if (name_check(kind, name) != 0)
            rc = el_fail("merging %s: %s", path, el_error());
    }
    sqlite3_finalize(st);
    return rc;
}

int lab_merge(sqlite3 *db, const char *path, int *runs_added, int *embeddings_added, char *notes, size_t size) {
    /* Open it as a lab first: that checks it is one, and migrates it. */
    sqlite3 *in;
    if (lab_open_existing(path, &in) != 0)
        return -1;
    /* A tokenizers row no command could load (a model embedlab did not
     * train: db/tokenizers.h) is refused here, not carried into a clean lab. */
    char what[1024];
    snprintf(what, sizeof what, "merging %s", path);
    int bad = lab_check_names(in, path) || db_tokenizer_check_all(in, what);
    lab_close(in);
    if (bad)
        return -1;
    sqlite3_stmt *st;
    if (lab_prepare(db, "ATTACH ? AS src", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : el_fail("cannot attach %s: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    if (rc != 0)
        return -1;
    int emb_before = count(db, "SELECT count(*) FROM main.embeddings");
    rc = lab_begin(db);
    if (rc == 0)
        rc = merge_plan_embeddings(db, path, notes, size);
    if (rc == 0)
        rc = lab_exec(db, merge_sql);
    if (rc == 0) {
        *runs_added = count(db, "SELECT count(*) FROM run_map");
        *embeddings_added = count(db, "SELECT count(*) FROM main.embeddings") - emb_before;
        rc = lab_commit(db);
    }
    if (rc != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "merging %s: %s", path, el_error());
        lab_rollback(db);
        el_fail("%s", msg);
    }
    lab_exec(db, "DROP TABLE IF EXISTS temp.emb_map; DROP TABLE IF EXISTS temp.sweep_map; "
                 "DROP TABLE IF EXISTS temp.run_map; DROP TABLE IF EXISTS temp.new_runs");
    lab_exec(db, "DROP TABLE IF EXISTS temp.tok_map; DROP TABLE IF EXISTS temp.emb_plan");
    sqlite3_exec(db, "DETACH src", NULL, NULL, NULL);
    return rc;
}
