#!/bin/sh
# Subword embeddings (embed train --subwords) from the command line: the
# n-gram rows in lab.db, nearest and analogy of words never seen in
# training, the SQL nearest() of them in the stock sqlite3 shell, crafted
# rows refused, export unchanged, merge and rm.
. "$(dirname "$0")/lib.sh"
EXT=${EMBEDLAB_EXT:-build/embedlab_sqlite}
DB=$T/lab.db
sql() { sqlite3 "$DB" "$@"; }

# Korean-like inflection: 6 stems x 6 endings, one stem per sentence, with
# 30 context words shared by all. The ending 도 is never seen.
awk 'BEGIN { srand(8); ns = split("영화 배우 감독 음악 장면 결말", st, " ");
  ne = split("가 는 를 에서 였다 이다", en, " ");
  for (s = 0; s < 3000; s++) { f = 1 + int(rand() * ns); line = "";
    for (i = 0; i < 10; i++)
      line = line (rand() < 0.4 ? st[f] en[1 + int(rand() * ne)] : sprintf("c%d", int(rand() * 30))) " ";
    print line } }' >"$T/corpus.txt"
TRAIN="--db $DB --corpus $T/corpus.txt --dim 16 --min-count 1 --sample 0 --epochs 5 --threads 1"

# Bad settings are bad usage.
for setting in 0-3 4-3 3-33 3 3- -3 a-b 3-6x; do
    run "--subwords $setting is refused" 2 $E embed train $TRAIN --name bad --subwords "$setting"
done
has err "1 <= MIN <= MAX <= 32"
run "--buckets without --subwords" 2 $E embed train $TRAIN --name bad --buckets 100
run "--buckets 0" 2 $E embed train $TRAIN --name bad --subwords 3-6 --buckets 0
same "nothing was stored" "$(sql "SELECT count(*) FROM embeddings" 2>/dev/null || echo 0)" 0

run "train with --subwords 1-3" 0 $E embed train $TRAIN --name k --subwords 1-3
has out "Trained k: 66 words x 16 dims and [0-9]* n-gram rows (1-3 characters)"
rows=$(sed -n 's/.* and \([0-9]*\) n-gram rows.*/\1/p' "$T/out")
same "ngrams has the model's rows" "$(sql "SELECT count(*) FROM ngrams WHERE embedding_id = (SELECT id FROM embeddings
                                          WHERE name = 'k')")" "$rows"
same "the setting is in params" "$(sql "SELECT json_extract(params, '$.minn') || '-' || json_extract(params, '$.maxn')
                                        || ' ' || json_extract(params, '$.buckets') FROM embeddings WHERE name = 'k'")" \
    "1-3 2000000"
run "train without subwords" 0 $E embed train $TRAIN --name plain
run "default name says subwords" 0 $E embed train $TRAIN --subwords 2-4 --buckets 1000 --epochs 1
has out "Trained corpus.txt-sg-ns-d16-s1-sub2-4:"
same "--buckets is kept" "$(sql "SELECT json_extract(params, '$.buckets') FROM embeddings WHERE name LIKE '%sub2-4'")" 1000
run "list" 0 $E embed list --db "$DB"
has out "^k .* 16 sg/ns *1-3 "
has out "^plain .* 16 sg/ns *- "

# A word never seen: its vector from its n-grams, said on stderr.
run "nearest of an unseen form" 0 $E nearest --db "$DB" --embedding k 영화도 -k 5
has err "'영화도' is not in the vocabulary: its vector is built from 5 of its 10 character n-grams"
cp "$T/out" "$T/cli_unseen"
same "its neighbours are forms of its stem" "$(grep -c '^영화' "$T/cli_unseen")" 5
run "nearest of a vocabulary word" 0 $E nearest --db "$DB" --embedding k 영화가 -k 5
same "the word itself is excluded" "$(grep -c '^영화가 ' "$T/out")" 0
same "no note for a vocabulary word" "$(cat "$T/err")" ""
run "no n-gram known" 1 $E nearest --db "$DB" --embedding k zzz
has err "embedlab: error: 'zzz' is not in embedding 'k' (66 words) and none of its 10 character n-grams was seen"
run "no subwords: unknown word" 1 $E nearest --db "$DB" --embedding plain 영화도
has err "embedlab: error: '영화도' is not in embedding 'plain' (66 words)$"
run "analogy with an unseen word" 0 $E analogy --db "$DB" --embedding k 영화가 영화도 배우가 -k 3
has err "'영화도' is not in the vocabulary"
same "its answers are forms of 배우" "$(grep -c '^배우' "$T/out")" 3

# Word similarity: pairs with an unseen word count through its n-grams.
printf '영화가 영화는 9\n영화도 영화를 8\n영화가 배우가 2\nzzz 영화가 1\n배우도 배우는 9\n' >"$T/pairs.txt"
run "eval --pairs with subwords" 0 $E embed eval --db "$DB" --embedding k --pairs "$T/pairs.txt"
has out "over 4 of 5 pairs"
has out "^2 of them with a word not in the vocabulary, built from its n-grams"
run "eval --pairs without subwords" 0 $E embed eval --db "$DB" --embedding plain --pairs "$T/pairs.txt"
has out "over 2 of 5 pairs"

# The SQL nearest() of an unseen word in the stock sqlite3 shell: what the CLI says.
run "SQL nearest() of an unseen word" 0 sqlite3 "$DB" -cmd ".load $EXT" \
    "SELECT word, printf('%.4f', similarity) FROM nearest('k', '영화도', 5);"
tr '|' ' ' <"$T/out" >"$T/sql_unseen"
same "sqlite3 nearest() equals embedlab nearest" "$(awk '{ print $1, $2 }' "$T/cli_unseen")" "$(cat "$T/sql_unseen")"
run "SQL nearest() of a vocabulary word excludes it" 0 sqlite3 "$DB" -cmd ".load $EXT" \
    "SELECT count(*) FROM nearest('k', '영화가', 41) WHERE word = '영화가';"
has out "^0$"
for q in "SELECT * FROM nearest('k', 'zzz', 3)" "SELECT * FROM nearest('plain', '영화도', 3)"; do
    run "SQL error for: $q" 1 sqlite3 "$DB" -cmd ".load $EXT" "$q"
    has err "is not in embedding"
done

# Tables made by hand without a params column still work (no subwords).
run "nearest() over hand-made tables" 0 sqlite3 "$T/hand.db" -cmd ".load $EXT" \
    "CREATE TABLE embeddings(id INTEGER PRIMARY KEY, name TEXT, dim INT); CREATE TABLE vectors(embedding_id, word, rank,
     vec); INSERT INTO embeddings VALUES (1, 'h', 2); INSERT INTO vectors VALUES (1, 'a', 1, vec_f32('[1, 0]')),
     (1, 'b', 2, vec_f32('[1, 1]'));" "SELECT word FROM nearest('h', 'a', 1);"
has out "^b$"

# Crafted files: a clear error, never a crash, from the CLI and from SQL.
craft() {
    cp "$DB" "$T/bad.db"
    sqlite3 "$T/bad.db" "$1"
    run "CLI refuses: $2" 1 $E nearest --db "$T/bad.db" --embedding k 영화도
    has err "embedlab: error: .*$2"
    run "SQL refuses: $2" 1 sqlite3 "$T/bad.db" -cmd ".load $EXT" "SELECT * FROM nearest('k', '영화도', 3)"
    has err "$2"
}
K="(SELECT id FROM embeddings WHERE name = 'k')"
craft "UPDATE ngrams SET vec = x'00' WHERE embedding_id = $K AND bucket = (SELECT min(bucket) FROM ngrams
       WHERE embedding_id = $K)" \
    "has 1 bytes, expected 64"
craft "UPDATE ngrams SET bucket = 2000000 WHERE embedding_id = $K AND bucket = (SELECT max(bucket) FROM ngrams
       WHERE embedding_id = $K)" \
    "bucket 2000000"
craft "UPDATE embeddings SET params = json_set(params, '$.maxn', 99) WHERE name = 'k'" "subwords 1-99"
craft "UPDATE embeddings SET params = json_set(params, '$.buckets', 5) WHERE name = 'k'" "n-gram rows for 5 buckets"

# Export is plain word2vec (vocabulary words only) and gensim reads it.
run "export text" 0 $E embed export --db "$DB" --embedding k --format text "$T/k.txt"
same "the text export has the vocabulary's vectors" "$(head -1 "$T/k.txt") $(wc -l <"$T/k.txt")" "66 16 67"
run "export binary" 0 $E embed export --db "$DB" --embedding k --format binary "$T/k.bin"
if /usr/bin/python3 -c "import gensim" 2>/dev/null; then
    for fmt in bin txt; do
        b=False; [ $fmt = bin ] && b=True
        run "gensim loads the $fmt export" 0 /usr/bin/python3 -c "
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format('$T/k.$fmt', binary=$b)
assert len(kv.index_to_key) == 66 and kv.vector_size == 16"
    done
else
    echo "# skipped: python3-gensim is not installed, so the gensim checks did not run"
fi

# merge copies the n-gram rows with the embedding; rm removes them.
run "merge" 0 $E merge "$T/merged.db" "$DB"
same "merged n-gram rows" "$(sqlite3 "$T/merged.db" "SELECT count(*) FROM ngrams JOIN embeddings e ON e.id = embedding_id
                                                     WHERE e.name = 'k'")" "$rows"
same "merged rows are the same" \
    "$(sqlite3 "$T/merged.db" "SELECT md5 FROM (SELECT group_concat(hex(vec) || bucket, ',') AS md5 FROM (SELECT vec,
       bucket FROM ngrams JOIN embeddings e ON e.id = embedding_id WHERE e.name = 'k' ORDER BY bucket))")" \
    "$(sql "SELECT group_concat(hex(vec) || bucket, ',') FROM (SELECT vec, bucket FROM ngrams WHERE embedding_id = $K
            ORDER BY bucket)")"
run "nearest in the merged file" 0 $E nearest --db "$T/merged.db" --embedding k 영화도 -k 5
same "the same neighbours after merge" "$(cat "$T/out")" "$(cat "$T/cli_unseen")"
run "merge again adds nothing" 0 $E merge "$T/merged.db" "$DB"
same "n-gram rows once" "$(sqlite3 "$T/merged.db" "SELECT count(*) FROM ngrams")" "$(sql "SELECT count(*) FROM ngrams")"
run "embed rm" 0 $E embed rm --db "$DB" k
same "rm removes the n-gram rows" "$(sql "SELECT count(*) FROM ngrams WHERE embedding_id NOT IN
                                         (SELECT id FROM embeddings)")" 0
same "the other subword embedding keeps its rows" "$(sql "SELECT count(*) > 0 FROM ngrams")" 1
exit $bad
