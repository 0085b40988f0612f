#!/bin/sh
# The nearest-word index through the command line and the SQL extension:
# `embed index` builds it and says its recall and load time; nearest,
# analogy and SQL nearest() use it with exact scores; --exact and
# nearest(..., 'exact') give the exact answers they gave before there was an
# index; a damaged index is rebuilt by the CLI and refused by SQL (exact
# still answers); stale vectors are caught; rm + import under the same name
# and a write to the vectors leave no old index behind.
. "$(dirname "$0")/lib.sh"
EXT=${EMBEDLAB_EXT:-build/embedlab_sqlite}
DB=$T/lab.db
sql() { sqlite3 "$DB" -cmd ".load $EXT" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }

# 3000 words x 16 dims around 40 centres (Box-Muller from awk's seeded rand).
clustered() {
    awk -v seed="$1" 'function g() { return sqrt(-2 * log(rand() + 1e-12)) * cos(6.2831853 * rand()) }
        BEGIN { srand(7); for (c = 0; c < 40; c++) for (j = 0; j < 16; j++) C[c, j] = g()
                srand(seed); print 3000, 16
                for (i = 0; i < 3000; i++) { c = int(rand() * 40); line = "w" i
                    for (j = 0; j < 16; j++) line = line sprintf(" %.6f", C[c, j] + 0.3 * g()); print line } }'
}
clustered 1 >"$T/c.txt"
run "import (small: no index of its own)" 0 $E embed import --db "$DB" --name c --format text "$T/c.txt"
if grep -q Indexed "$T/out"; then notok "a small import builds no index"; else ok "a small import builds no index"; fi
run "check without an index" 0 $E embed index --db "$DB" --check c
has out "has no index"
for w in w1 w77 w2999; do
    $E nearest --db "$DB" --embedding c "$w" -k 10 >"$T/exact-$w.txt"
done
$E analogy --db "$DB" --embedding c w1 w2 w3 >"$T/exact-analogy.txt"
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10);"
cp "$T/out" "$T/sql-exact.txt"

run "embed index --help" 0 $E embed index --help
has out "Usage: embedlab embed index NAME"
run "embed index without a name" 2 $E embed index --db "$DB"
run "embed index of an unknown embedding" 1 $E embed index --db "$DB" nope
run "embed index" 0 $E embed index --db "$DB" c
has out "Indexed c: .* lists, nprobe .*recall@10 0\.99"
has out "loads in .* ms"

# Indexed answers: exact scores, best first, and (recall 0.995) nearly
# always the same words; --exact is exactly the answer from before.
run "nearest with the index" 0 $E nearest --db "$DB" --embedding c w77 -k 10 --time
has err "load: index and unit vectors .* MB.*no rows read"
has err "search: .*(index)"
same "index answers w77 as exact search" "$(cat "$T/out")" "$(cat "$T/exact-w77.txt")"
for w in w1 w77 w2999; do
    run "nearest --exact $w" 0 $E nearest --db "$DB" --embedding c "$w" -k 10 --exact
    same "--exact $w equals the answer before the index" "$(cat "$T/out")" "$(cat "$T/exact-$w.txt")"
done
run "analogy --exact" 0 $E analogy --db "$DB" --embedding c w1 w2 w3 --exact
same "analogy --exact equals the answer before the index" "$(cat "$T/out")" "$(cat "$T/exact-analogy.txt")"
run "analogy with the index" 0 $E analogy --db "$DB" --embedding c w1 w2 w3
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10, 'exact');"
same "SQL 'exact' equals nearest() before the index" "$(cat "$T/out")" "$(cat "$T/sql-exact.txt")"
# The index re-scores from its stored unit vectors, exact search from rows
# normalised at load: the same words, similarities within a float's last bit
# (a sixth digit can round either way), so five digits are compared.
five() { awk -F'|' '{ printf "%s|%.5f\n", $1, $2 }' "$1"; }
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10);"
same "SQL with the index answers w77 as before" "$(five "$T/out")" "$(five "$T/sql-exact.txt")"
sql "SELECT count(*) FROM nearest('c', 'w77', 10, 'fast');"
has err "the mode must be 'auto'"

# Recall over 100 query words, SQL index against SQL exact, at least 0.99.
sql "WITH q(w) AS (SELECT word FROM vectors WHERE rank % 30 = 1),
     e AS (SELECT q.w, n.word FROM q, nearest('c', q.w, 10, 'exact') n),
     a AS (SELECT q.w, n.word FROM q, nearest('c', q.w, 10) n)
     SELECT (SELECT count(*) FROM a JOIN e USING (w, word)) * 1.0 / (SELECT count(*) FROM e) >= 0.99;"
same "SQL recall@10 of the index >= 0.99" "$(cat "$T/out")" "1"

# A flipped byte in the stored image: SQL refuses it (exact still answers),
# the CLI rebuilds it.
flip() {
    python3 -c "import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchone()[0]
with c.blobopen(sys.argv[3], 'bytes', r) as b:
    b.seek(int(sys.argv[4])); x = b.read(1); b.seek(int(sys.argv[4])); b.write(bytes([x[0] ^ 16]))
c.commit()" "$DB" "$1" "$2" "$3"
}
flip "SELECT id FROM ann_index WHERE part = 0" ann_index 5000
sql "SELECT count(*) FROM nearest('c', 'w77', 10);"
has err "the index of 'c' cannot be used: .*checksum.*embedlab embed index c.*'exact'"
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10, 'exact');"
same "SQL 'exact' answers over a damaged index" "$(cat "$T/out")" "$(cat "$T/sql-exact.txt")"
run "embed index --check of a damaged index" 1 $E embed index --db "$DB" --check c
has err "checksum"
run "nearest rebuilds a damaged index" 0 $E nearest --db "$DB" --embedding c w77 -k 10
has err "the index of 'c' cannot be used (.*checksum.*): rebuilding it"
run "check after the rebuild" 0 $E embed index --db "$DB" --check c
has out "Index of c: .*recall@10"

# An index of an older format (version 1: fp32 centroids, fewer lists)
# names its version: SQL refuses it, the CLI rebuilds it.
python3 -c "import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); r = c.execute('SELECT id FROM ann_index WHERE part = 0').fetchone()[0]
with c.blobopen('ann_index', 'bytes', r) as b:
    b.seek(8); b.write((1).to_bytes(4, 'little'))
c.commit()" "$DB"
sql "SELECT count(*) FROM nearest('c', 'w77', 10);"
has err "cannot be used: .*format version 1; this build reads version 2 (rebuild it).*embedlab embed index c"
run "nearest rebuilds an index of format 1" 0 $E nearest --db "$DB" --embedding c w77 -k 10
has err "the index of 'c' cannot be used (.*format version 1.*): rebuilding it"
same "the rebuilt index answers w77 as exact search" "$(cat "$T/out")" "$(cat "$T/exact-w77.txt")"

# Stale: the stored vectors are not the ones the index was built from.
flip "SELECT id FROM vector_chunks WHERE chunk = 0" vector_chunks 40
sql "SELECT count(*) FROM nearest('c', 'w77', 10);"
has err "cannot be used: .*stale"
run "embed index rebuilds a stale one" 0 $E embed index --db "$DB" c
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10);"
same "SQL after the rebuild" "$(five "$T/out")" "$(five "$T/sql-exact.txt")"

# A write to the vectors drops the index: exact search again, no error.
sqlite3 "$DB" "UPDATE vectors SET vec = vec WHERE word = 'w5'"
same "an UPDATE of vectors drops the index" "$(sqlite3 "$DB" 'SELECT count(*) FROM ann_index')" "0"
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 10);"
same "SQL exact after the index is dropped" "$(cat "$T/out")" "$(cat "$T/sql-exact.txt")"

# Issue 18, item 11: a lab whose triggers were dropped (by hand, or a file
# made to deceive) lets the vectors change under the index. SQL refuses the
# index as stale, as the CLI does (which rebuilds it and the triggers);
# 'exact' answers from the rows. A word deleted under an index it was found
# by is an error that says so, not "SQL logic error".
run "embed index" 0 $E embed index --db "$DB" c
sqlite3 "$DB" "DROP TRIGGER ann_stale_on_update; UPDATE vectors SET vec = (SELECT vec FROM vectors WHERE word = 'w77')
  WHERE word = 'w5'"
same "the index stays when the triggers are gone" "$(sqlite3 "$DB" 'SELECT count(*) > 0 FROM ann_index')" "1"
sql "SELECT count(*) FROM nearest('c', 'w77', 10);"
has err "the index of 'c' cannot be used: the triggers .* missing or changed.*stale.*embedlab embed index c"
sql "SELECT word, printf('%.6f', similarity) FROM nearest('c', 'w77', 1, 'exact');"
same "SQL 'exact' sees the changed row" "$(cat "$T/out")" "w5|1.000000"
run "nearest rebuilds the index without its triggers" 0 $E nearest --db "$DB" --embedding c w77 -k 1
has err "the index of 'c' cannot be used (.*triggers.*): rebuilding it"
has out "w5 .*1.0000"
same "the rebuild made the trigger again" \
    "$(sqlite3 "$DB" "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ann_stale_on_%'")" "3"
sql "SELECT word FROM nearest('c', 'w77', 1);"
same "SQL uses the rebuilt index" "$(cat "$T/rc") $(cat "$T/out")" "0 w5"
# A trigger of the same name that does nothing is no trigger.
sqlite3 "$DB" "DROP TRIGGER ann_stale_on_delete; CREATE TRIGGER ann_stale_on_delete AFTER DELETE ON vectors BEGIN
  SELECT 1; END; DELETE FROM vectors WHERE word = 'w5'"
sql "SELECT count(*) FROM nearest('c', 'w77', 10);"
has err "the index of 'c' cannot be used: the triggers .* missing or changed"
# Triggers put back as they were after the delete (a file made to deceive):
# the index finds a rank that is gone.
sqlite3 "$DB" "DROP TRIGGER ann_stale_on_delete; CREATE TRIGGER ann_stale_on_delete AFTER DELETE ON vectors BEGIN
  DELETE FROM ann_index WHERE embedding_id = OLD.embedding_id;
  DELETE FROM vector_chunks WHERE embedding_id = OLD.embedding_id; END"
sql "SELECT word FROM nearest('c', 'w77', 1);"
same "a deleted word found by the index is an SQL error" "$(cat "$T/rc")" "1"
has err "nearest: a word the index of 'c' found is gone from its vectors (the index is stale).*embedlab embed index c"
sqlite3 "$DB" "INSERT INTO vectors(embedding_id, word, rank, vec)
  SELECT embedding_id, 'w5', 6, vec FROM vectors WHERE word = 'w77'"
run "embed index" 0 $E embed index --db "$DB" c

# rm + import under the same name of other vectors: the new embedding's own
# index, none left of the old one.
run "embed index" 0 $E embed index --db "$DB" c
run "embed rm" 0 $E embed rm --db "$DB" c
same "rm drops the index" "$(sqlite3 "$DB" 'PRAGMA foreign_keys = ON; SELECT count(*) FROM ann_index')" "0"
clustered 2 >"$T/c2.txt"
run "import other vectors as c" 0 $E embed import --db "$DB" --name c --format text "$T/c2.txt"
run "nearest --exact over the new c" 0 $E nearest --db "$DB" --embedding c w77 -k 10 --exact
cp "$T/out" "$T/exact2.txt"
run "embed index of the new c" 0 $E embed index --db "$DB" c
run "nearest over the new c" 0 $E nearest --db "$DB" --embedding c w77 -k 10
same "the new index answers for the new vectors" "$(cat "$T/out")" "$(cat "$T/exact2.txt")"
# Loading the index alone is checked for memory too, before any read.
sqlite3 "$DB" "UPDATE embeddings SET vocab_size = 1000000000 WHERE name = 'c'"
run "nearest through a too large index is refused" 1 $E nearest --db "$DB" --embedding c w77
has err "needs about .* (the index of 'c': 1000000000 words x 16 dims)"
sqlite3 "$DB" "UPDATE embeddings SET vocab_size = 3000 WHERE name = 'c'"

# An indexed search can find no other word (one word, itself excluded): no
# rows, not an error (it used to be "out of memory": an empty result).
printf '1 3\na 1 0 0\n' >"$T/one.txt"
run "import one word" 0 $E embed import --db "$DB" --name one --format text "$T/one.txt"
run "index one word" 0 $E embed index --db "$DB" one
sql "SELECT count(*) FROM nearest('one', 'a', 5);"
same "SQL nearest() with no other word answers no rows" "$(cat "$T/rc") $(cat "$T/out")" "0 0"
run "nearest with no other word" 0 $E nearest --db "$DB" --embedding one a
has err "one has no word besides the 1 given"

# At ANN_AUTO_MIN_FLOATS (4,000,000 floats: here 1000 words x 4000 dims) an
# import builds the index itself and says so.
awk 'BEGIN { srand(3); print 1000, 4000; for (i = 0; i < 1000; i++) { line = "v" i
    for (j = 0; j < 4000; j++) line = line sprintf(" %.3f", rand() - 0.5); print line } }' >"$T/big.txt"
run "import at the threshold" 0 $E embed import --db "$DB" --name big --format text "$T/big.txt"
has out "Indexed big: .*recall@10"
has out "loads in .* ms"
exit $bad
