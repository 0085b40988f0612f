#!/bin/sh
# A lab.db from someone else (issue 18): every command that reads a lab
# database, run against copies of a real one made hostile in each way the
# issue lists, either works (exit 0) or fails with "embedlab: error: ..."
# and exit 1; never a signal, a sanitizer report, more than 30 s (timeout)
# or more than 3 GB of address space (ulimit -v; not under a sanitizer build,
# which cannot start under it). README.md, "A lab.db from someone else",
# states what is promised.
#
# A check that can only pass with another helper's fix of issue 18 is marked
# with `pending ITEM` before it: while it fails it prints "# skip: ..."
# (scripts/run-tests.sh counts it skipped) and does not fail the script. Once that fix is merged, set
# HOSTILE_STRICT=1 (or delete the marker) to hold it like the rest.
. "$(dirname "$0")/lib.sh"

sql() { sqlite3 -cmd ".timeout 30000" "$@"; }
lim=3000000
ldd "$E" | grep -q libasan && lim=unlimited

# ---- a real lab: two embeddings (one with a learned spm tokenizer), an
# ---- index, three runs (one on each input), a sweep.
reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
awk 'BEGIN { srand(1); split("the a film movie plot actor it was and of scene story great loved awful boring", w, " ");
  print 16, 16; for (i = 1; i <= 16; i++) { printf "%s", w[i]; for (k = 0; k < 16; k++) printf " %.4f", rand() - 0.5; printf "\n" } }' >"$T/v.txt"
printf 'great loved 9\nawful boring 8\nfilm movie 7\nplot actor 2\n' >"$T/pairs.txt"
printf ': s\ngreat loved awful boring\nfilm movie plot actor\n' >"$T/q.txt"
B="$T/base.db"
D="--data $T/train.tsv --test-data $T/test.tsv --epochs 1 --threads 1"
{
    $E embed import --db "$B" --name e1 --format text "$T/v.txt" &&
        $E embed train --db "$B" --data "$T/train.tsv" --tokenizer spm:bpe:60 --name sp --dim 8 --min-count 1 \
            --epochs 1 --threads 1 &&
        $E train --db "$B" $D --embedding e1 --dim 16 &&
        $E train --db "$B" $D &&
        $E train --db "$B" $D --embedding sp --dim 8 &&
        $E sweep --db "$B" $D --dims 8 --cells rnn --inputs onehot --seeds 1 &&
        $E embed index --db "$B" e1
} >"$T/setup.log" 2>&1 && ok "a real lab to make hostile" || {
    notok "a real lab to make hostile"
    tail "$T/setup.log"
    exit 1
}
$E embed import --db "$T/clean.db" --name other --format text "$T/v.txt" >/dev/null 2>&1

# ---- the commands that read a lab database: NAME|ARGS (run with
# ---- EMBEDLAB_DB the hostile copy; one word per argument).
commands() {
    cat <<EOF
embed list|embed list
embed export|embed export --embedding e1 $T/out.txt
embed export sp|embed export --embedding sp --format binary $T/out.bin
embed eval|embed eval --embedding e1 --pairs $T/pairs.txt --analogies $T/q.txt
embed index --check|embed index e1 --check
nearest|nearest --embedding e1 great -k 3
nearest spm|nearest --embedding sp ▁movie -k 3
analogy|analogy --embedding e1 great loved awful
runs|runs
predict|predict --run 1 a great film
predict spm|predict --run 3 a great film
eval|eval --run 1
eval --data|eval --run 3 --data $T/test.tsv
ensemble|ensemble --runs 1,2,3
report|report
report --html|report --html $T/r.html
plot sweep|plot sweep --out $T/p.png
plot curves|plot curves 1 2 --out $T/c.png
plot words|plot words --embedding e1 great loved awful boring --out $T/w.png
data tokenize --embedding|data tokenize --embedding sp a great film
data tokenize --run|data tokenize --run 3 a great film
sweep resume|sweep $D --dims 8 --cells rnn --inputs onehot --seeds 1
train|train $D --embedding e1 --dim 16
runs rm|runs rm 2
EOF
}

# verdict WHAT STATUS ERRFILE: 0 or 1 with "embedlab: error:", no sanitizer
# report; prints the ok/not ok line.
verdict() {
    if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$3"; then
        v_why="a sanitizer report"
    elif [ "$2" -eq 124 ] || [ "$2" -eq 137 ]; then
        v_why="over $tlim s"
    elif [ "$2" -gt 128 ]; then
        v_why="killed by signal $(($2 - 128))"
    elif [ "$2" -eq 1 ] && ! grep -q "^embedlab: error: " "$3"; then
        v_why="exit 1 without 'embedlab: error:'"
    elif [ "$2" -ne 0 ] && [ "$2" -ne 1 ]; then
        v_why="exit $2"
    elif [ "$2" -ne 0 ] && [ -n "$must_work" ]; then
        v_why="exit $2 on the real lab, where every command must work"
    else
        ok "$1 (exit $2)"
        return
    fi
    if [ -n "$pending_item" ] && [ "${HOSTILE_STRICT:-0}" != 1 ]; then
        echo "# skip: $1: $v_why (depends on issue 18 $pending_item; HOSTILE_STRICT=1 holds it)"
    else
        notok "$1: $v_why"
        sed 's/^/#   /' "$3" | tail -5
    fi
}
pending_item=
# pending ITEM: the checks of the next variant depend on that fix.
pending() { pending_item=$1; }

# against DB WHAT: every command (those matching $only, when set) on a fresh
# copy of DB, each within $tlim seconds, then merge of it.
tlim=30 only=
against() {
    commands | grep -- "${only:-.}" >"$T/commands"
    while IFS='|' read -r name args; do
        cp "$1" "$T/cur.db" 2>/dev/null || : >"$T/cur.db"
        rm -f "$T/cur.db-wal" "$T/cur.db-shm" "$T/cur.db-journal"
        # shellcheck disable=SC2086
        EMBEDLAB_DB="$T/cur.db" timeout -s KILL $tlim sh -c 'ulimit -v "$0" && exec "$@"' "$lim" $E $args \
            >"$T/out" 2>"$T/err" </dev/null
        verdict "$2: $name" $? "$T/err"
    done <"$T/commands"
    cp "$T/clean.db" "$T/into.db"
    cp "$1" "$T/cur.db" 2>/dev/null || : >"$T/cur.db"
    timeout -s KILL 30 sh -c 'ulimit -v "$0" && exec "$@"' "$lim" $E merge "$T/into.db" "$T/cur.db" \
        >"$T/out" 2>"$T/err" </dev/null
    verdict "$2: merge it into a clean lab" $? "$T/err"
    # what merge took in must read back: the clean lab's commands on it
    timeout -s KILL 30 $E runs --db "$T/into.db" >"$T/out" 2>"$T/err" </dev/null
    verdict "$2: runs of the merged lab" $? "$T/err"
    pending_item=
}

# hostile NAME SQL: a copy of the real lab with SQL applied (sqlite3's shell,
# foreign keys off as there), every command against it.
hostile() {
    cp "$B" "$T/h.db"
    if sql "$T/h.db" "$2" 2>"$T/sqlerr"; then
        against "$T/h.db" "$1"
    else
        notok "making '$1': $(cat "$T/sqlerr")"
        pending_item=
    fi
}

# The control: on the real lab every command works (so that an exit 1 below
# is the hostility's doing, not a command line that cannot work).
must_work=1
against "$B" "the real lab"
must_work=

# Tables shadowed by stored views (the table moved aside, a view in its
# name): vectors that lie about their words and blobs, runs and results that
# are views over other rows.
hostile "views shadowing vectors, runs and results" "
CREATE TABLE vectors_real AS SELECT * FROM vectors; DROP TABLE vectors;
CREATE VIEW vectors(embedding_id, word, rank, count, vec) AS
  SELECT embedding_id, word, rank, count, vec FROM vectors_real
  UNION ALL SELECT embedding_id, word || 'x', rank, count, zeroblob(5) FROM vectors_real;
CREATE TABLE results_real AS SELECT * FROM results; DROP TABLE results;
CREATE VIEW results AS SELECT * FROM results_real UNION ALL SELECT * FROM results_real;
CREATE TABLE runs_real AS SELECT * FROM runs; DROP TABLE runs;
CREATE VIEW runs AS SELECT * FROM runs_real UNION ALL SELECT * FROM runs_real;"

# Stored triggers that fire on what a command writes: wipe vectors and
# models on a new run, raise on an epoch, rewrite status.
hostile "triggers on the lab's tables" "
CREATE TRIGGER h1 AFTER INSERT ON runs BEGIN DELETE FROM vectors; DELETE FROM models; END;
CREATE TRIGGER h2 BEFORE INSERT ON epochs BEGIN SELECT RAISE(ABORT, 'hostile trigger'); END;
CREATE TRIGGER h3 AFTER UPDATE ON runs BEGIN UPDATE runs SET status = 'finished' WHERE id = NEW.id + 100; END;
CREATE TRIGGER h4 BEFORE DELETE ON runs BEGIN UPDATE embeddings SET dim = dim * 1000; END;"

# A learned tokenizer's model replaced by garbage bytes, by nothing, by one
# byte (the hash then disagrees; a model with a recomputed hash is
# fuzz/fuzz_tokenizers.c's and the SentencePiece helper's).
hostile "garbage tokenizer models" "
UPDATE tokenizers SET model = randomblob(3000) WHERE id = (SELECT min(id) FROM tokenizers);
UPDATE tokenizers SET model = x'0a' WHERE id != (SELECT min(id) FROM tokenizers);"
hostile "a NULL tokenizer model and spec" "
CREATE TABLE t2 AS SELECT * FROM tokenizers; DROP TABLE tokenizers; CREATE TABLE tokenizers AS SELECT * FROM t2;
DROP TABLE t2; UPDATE tokenizers SET model = NULL, spec = 'spm:bpe:999999999', hash = NULL;"

# Stored models: NULL and short blobs, an unknown format. (That predict
# answers from them at all, silently wrong, is item 10's, the stored-models
# helper's; here: no crash.)
hostile "damaged models rows" "
CREATE TABLE m2 AS SELECT * FROM models; DROP TABLE models; CREATE TABLE models AS SELECT * FROM m2; DROP TABLE m2;
UPDATE models SET params = NULL WHERE run_id = 1;
UPDATE models SET params = substr(params, 1, 17), vocab = x'00ff' WHERE run_id = 2;
UPDATE models SET format = 'from-the-future-9' WHERE run_id = 3;
UPDATE predictions SET probs = x'0000', n = 1000000000;"

# An embedding whose dim disagrees with its blobs; a short blob; NULL and
# empty words; ranks that collide.
hostile "dimensions that disagree with the blobs" "
UPDATE embeddings SET dim = 17 WHERE name = 'e1';
UPDATE vectors SET vec = substr(vec, 1, 10) WHERE rank = 3;
UPDATE embeddings SET dim = 3 WHERE name = 'sp';
UPDATE vectors SET word = '', rank = 1 WHERE rank = 5;"

# Sizes declared huge: vocabulary, dimensions, a run's units, maxlen and
# vocab; an ANN index's bytes.
hostile "huge declared sizes" "
UPDATE embeddings SET vocab_size = 4000000000, dim = 1000000000, tokens = 9223372036854775807;
UPDATE runs SET config = json_set(config, '$.units', 4096, '$.maxlen', 2147483647, '$.vocab', 1000000000,
  '$.layers', 1000, '$.batch', 2147483647);
UPDATE predictions SET n = 9223372036854775807;
UPDATE ann_index SET bytes = substr(bytes, 1, 40) || randomblob(100); UPDATE vector_chunks SET bytes = x'00';"

# A plausible size alone: units 4096 for run 1 (its stored parameters are for
# 8). predict and eval initialised the model before checking (cost in units
# cubed, over a minute); here within 10 s.
tlim=10 only='^predict|\|^eval|'
hostile "units 4096 over parameters for 8" "UPDATE runs SET config = json_set(config, '\$.units', 4096) WHERE id = 1;"
tlim=30 only=

# The nearest-word index with its triggers dropped, then vectors changed
# and deleted: the index is stale and must be said to be (the CLI checks;
# SQL nearest() is the extension helper's).
hostile "an index whose triggers were dropped" "
DROP TRIGGER IF EXISTS ann_stale_on_insert; DROP TRIGGER IF EXISTS ann_stale_on_update;
DROP TRIGGER IF EXISTS ann_stale_on_delete;
UPDATE vectors SET vec = zeroblob(64) WHERE rank < 4;
DELETE FROM vectors WHERE word = 'loved';"

# A schema version from the future.
hostile "a schema version from the future" "PRAGMA user_version = 9999;"

# Tables without their constraints, rows full of NULLs and wrong types.
hostile "constraints gone, NULLs and wrong types" "
CREATE TABLE r2 AS SELECT * FROM runs; DROP TABLE runs; CREATE TABLE runs AS SELECT * FROM r2; DROP TABLE r2;
UPDATE runs SET config = '{not json', status = 'weird', kind = NULL WHERE id = 1;
UPDATE runs SET config = NULL, started = 'yesterday' WHERE id = 2;
CREATE TABLE e2 AS SELECT * FROM embeddings; DROP TABLE embeddings; CREATE TABLE embeddings AS SELECT * FROM e2;
DROP TABLE e2; INSERT INTO embeddings(id, name, dim) VALUES (77, 'e1', 16), (78, NULL, NULL);
UPDATE epochs SET val_loss = 'abc', train_acc = NULL;
UPDATE results SET test_acc = x'ff', params = -5;
CREATE TABLE s2 AS SELECT * FROM sweeps; DROP TABLE sweeps; CREATE TABLE sweeps AS SELECT * FROM s2; DROP TABLE s2;
UPDATE sweeps SET config = '[1,2', name = NULL;"
# NULL text (the rows inserted above have no created) never reaches a %s:
# glibc would print "(null)", and it is undefined behaviour.
EMBEDLAB_DB="$T/h.db" $E embed list >"$T/out" 2>"$T/err"
if grep -q "(null)" "$T/out"; then notok "embed list printed (null)"; else ok "embed list prints no (null) for NULL text"; fi

# A query form that names none (embeddings.query_form, written by hand or
# merged from such a lab): an error from the CLI and from SQL, never a
# crash; a word in the vocabulary as given needs no form and still works.
hostile "query forms that name none" "UPDATE embeddings SET query_form = 'klingon' WHERE name = 'e1';
UPDATE embeddings SET query_form = 7 WHERE name = 'sp';"
EMBEDLAB_DB="$T/h.db" $E nearest --embedding e1 GREAT -k 3 >"$T/out" 2>"$T/err"
same "nearest GREAT under query form 'klingon': exit 1" $? 1
has err "^embedlab: error: embedding 'e1' records query form 'klingon', which is none of 'given', 'words' and"
if [ -e "$(dirname "$E")/embedlab_sqlite.so" ]; then
    # sq_err WHAT QUERY PATTERN: the query is an SQL error (exit 1) matching PATTERN.
    sq_err() {
        timeout -s KILL 30 sqlite3 "$T/h.db" -cmd ".load $(dirname "$E")/embedlab_sqlite" "$2" >"$T/out" 2>"$T/err"
        st=$?
        if [ $st -eq 1 ] && grep -q -- "$3" "$T/err"; then ok "$1"; else
            notok "$1 (exit $st)"
            sed 's/^/#   /' "$T/err" | head -5
        fi
    }
    sq_err "SQL nearest('e1', 'GREAT') under query form 'klingon'" "SELECT * FROM nearest('e1', 'GREAT', 3)" \
        "nearest: embedding 'e1' records query form 'klingon', which is none of"
    sq_err "SQL nearest('sp', 'MOVIE') under query form 7" "SELECT * FROM nearest('sp', 'MOVIE', 3, 'exact')" \
        "nearest: embedding 'sp' records query form '7', which is none of"
    same "SQL nearest('e1', 'great') needs no form" "$(sqlite3 "$T/h.db" -cmd ".load $(dirname "$E")/embedlab_sqlite" \
        "SELECT count(*) FROM nearest('e1', 'great', 3)" 2>&1)" 3
fi

# Not a lab at all: a truncated file, random bytes, an empty file.
head -c 9000 "$B" >"$T/trunc.db"
against "$T/trunc.db" "a truncated lab"
head -c 65536 /dev/urandom >"$T/random.db"
against "$T/random.db" "random bytes"

# SQL from the user's own sqlite3 shell over a hostile lab: a TEMP view
# shadowing vectors whose rows call nearest() again (issue 18 item 1).
if [ -e "$(dirname "$E")/embedlab_sqlite.so" ]; then
    cp "$B" "$T/cur.db"
    timeout -s KILL 30 sqlite3 "$T/cur.db" -cmd ".load $(dirname "$E")/embedlab_sqlite" \
        "CREATE TEMP VIEW vectors AS SELECT * FROM main.vectors WHERE (SELECT count(*) FROM nearest('e1','great',1)) >= 0;
         SELECT * FROM nearest('e1', 'great', 1);" >"$T/out" 2>"$T/err"
    st=$?
    # sqlite3's shell exits 1 on an SQL error: an error is the wanted outcome.
    [ $st -eq 1 ] && ! grep -q "^embedlab: error: " "$T/err" && sed -i '1s/^/embedlab: error: /' "$T/err"
    verdict "SQL: nearest() inside a TEMP view over vectors" $st "$T/err"
fi
pending_item=
exit $bad
