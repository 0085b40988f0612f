#!/bin/sh
# word2vec from the command line, vectors in lab.db, nearest() in the real
# sqlite3 shell, word2vec file formats (and gensim, when it is installed).
. "$(dirname "$0")/lib.sh"
EXT=${EMBEDLAB_EXT:-build/embedlab_sqlite}
DB=$T/lab.db
dump() { sqlite3 "$DB" .dump | md5sum; }

# A corpus with planted structure: words of a group only meet each other.
awk 'BEGIN { srand(4); for (s = 0; s < 3000; s++) { g = int(rand() * 4); line = "";
      for (i = 0; i < 10; i++) line = line sprintf("g%dw%d ", g, int(rand() * 6)); print line } }' >"$T/corpus.txt"

for sub in "embed" "embed train" "embed list" "embed rm" "embed eval" "embed export" "embed import" "nearest" "analogy"; do
    run "$sub --help" 0 $E $sub --help
done
run "train on a text file" 0 $E embed train --db "$DB" --corpus "$T/corpus.txt" --name planted --dim 16 --window 3 \
    --min-count 1 --sample 0 --epochs 5 --threads 1 --seed 7
has out "Trained planted: 24 words x 16 dims"
# The progress line's rate per thread, counted as word2vec.c counts it.
run "train with --progress" 0 $E embed train --db "$DB" --corpus "$T/corpus.txt" --name planted-progress --dim 16 \
    --min-count 1 --epochs 2 --threads 2 --progress
has err "word2vec \[#*\] 100.0% .* took .*  [0-9.]*k words/s/thread"
run "rm the progress run" 0 $E embed rm --db "$DB" planted-progress
run "same name again is refused" 1 $E embed train --db "$DB" --corpus "$T/corpus.txt" --name planted --min-count 1
has err "an embedding named 'planted' already exists"
run "bad --model" 2 $E embed train --db "$DB" --model skipgram
run "bad --dim" 2 $E embed train --db "$DB" --dim 0
run "list" 0 $E embed list --db "$DB"
has out "planted .* 24 .* 16 sg/ns"
run "nearest" 0 $E nearest --db "$DB" --embedding planted g1w1 -k 5
n=$((n + 1))
if [ "$(cut -c1-2 "$T/out" | sort -u)" = "g1" ] && [ "$(wc -l <"$T/out")" -eq 5 ]; then echo "ok $n - neighbours of g1w1 are its group"; else
    echo "not ok $n - neighbours of g1w1:"; sed 's/^/#   /' "$T/out"; bad=1; fi
cp "$T/out" "$T/cli_nearest"
run "unknown word" 1 $E nearest --db "$DB" --embedding planted nosuchword
has err "embedlab: error: 'nosuchword' is not in embedding 'planted'"
run "unknown embedding" 1 $E nearest --db "$DB" --embedding nope g1w1
has err "no embedding named 'nope'"
run "analogy" 0 $E analogy --db "$DB" --embedding planted g1w1 g1w2 g2w1 -k 3

# The SQL extension in the stock sqlite3 shell gives what the CLI gives.
run "nearest() in sqlite3" 0 sqlite3 "$DB" -cmd ".load $EXT" \
    "SELECT word, printf('%.4f', similarity) FROM nearest('planted', 'g1w1', 5);"
tr '|' ' ' <"$T/out" >"$T/sql_nearest"
n=$((n + 1))
if awk '{print $1, $2}' "$T/cli_nearest" | diff - "$T/sql_nearest" >/dev/null; then echo "ok $n - sqlite3 nearest() equals embedlab nearest"; else
    echo "not ok $n - sqlite3 and CLI differ"; bad=1; fi
run "nearest() by vector blob" 0 sqlite3 "$DB" -cmd ".load $EXT" \
    "SELECT word FROM nearest('planted', (SELECT vec FROM vectors WHERE word = 'g1w1'), 1);"
has out "^g1w1$"
run "vec functions" 0 sqlite3 "$DB" -cmd ".load $EXT" \
    "SELECT printf('%.6f %.6f', vec_cosine(a.vec, a.vec), abs(vec_dot(a.vec, a.vec) - vec_norm(a.vec) * vec_norm(a.vec))),
            json_array_length(vec_json(a.vec)), length(vec_f32(vec_json(a.vec))) = length(a.vec) AND vec_f32(vec_json(a.vec)) = a.vec
     FROM vectors a WHERE word = 'g1w1';"
# (the difference's sign is rounding's, which the trained vector decides: its size is what is checked)
has out "^1.000000 0.000000|16|1$"
# Bad arguments are SQL errors, never crashes.
for q in "SELECT * FROM nearest('planted', 'g1w1', 0)" \
         "SELECT * FROM nearest('planted', 'g1w1', -3)" \
         "SELECT * FROM nearest('planted', NULL, 3)" \
         "SELECT * FROM nearest(NULL, 'g1w1', 3)" \
         "SELECT * FROM nearest('planted', 'g1w1', NULL)" \
         "SELECT * FROM nearest('planted', 'g1w1', 'ten')" \
         "SELECT * FROM nearest('planted', 'g1w1')" \
         "SELECT * FROM nearest('nope', 'g1w1', 3)" \
         "SELECT * FROM nearest('planted', 'zzz', 3)" \
         "SELECT * FROM nearest('planted', x'00000000', 3)" \
         "SELECT * FROM nearest('planted', zeroblob(64), 3)" \
         "SELECT * FROM nearest('planted', 42, 3)" \
         "SELECT vec_dot(x'0000803f', x'0000803f0000803f')" \
         "SELECT vec_cosine(x'000080', x'000080')" \
         "SELECT vec_norm(NULL)" \
         "SELECT vec_norm('text')" \
         "SELECT vec_json(x'')" \
         "SELECT vec_cosine(x'00000000', x'00000000')" \
         "SELECT vec_f32('[1, two]')" \
         "SELECT vec_f32('[]')"; do
    sqlite3 "$DB" -cmd ".load $EXT" "$q" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q "Error" "$T/err"; then ok "SQL error for: $q"; else
        notok "no clean SQL error (exit $rc) for: $q"; cat "$T/err" | sed 's/^/#   /'; fi
done
# Fuzz the argument handling: random blobs, texts and numbers.
fuzz_ok=1
for i in $(seq 1 40); do
    len=$(( (i * 7) % 70 ))
    sqlite3 "$DB" -cmd ".load $EXT" \
        "SELECT count(*) FROM nearest('planted', randomblob($len), $((i % 5)));" \
        "SELECT vec_dot(randomblob($len), randomblob($len)), vec_json(randomblob($len)), vec_cosine(randomblob(64), vec) FROM vectors LIMIT 2;" \
        >/dev/null 2>&1
    [ $? -ge 2 ] && fuzz_ok=0
done
if [ $fuzz_ok -eq 1 ]; then ok "fuzzed SQL arguments never crash sqlite3"; else notok "sqlite3 crashed on fuzzed arguments"; fi

# Export, import, errors that leave the database unchanged.
run "export binary" 0 $E embed export --db "$DB" --embedding planted --format binary "$T/v.bin"
run "export text" 0 $E embed export --db "$DB" --embedding planted --format text "$T/v.txt"
run "import binary" 0 $E embed import --db "$DB" --name back-bin --format binary "$T/v.bin"
run "import text" 0 $E embed import --db "$DB" --name back-txt --format text "$T/v.txt"
n=$((n + 1))
same=$(sqlite3 "$DB" "SELECT count(*) FROM vectors a JOIN vectors b ON a.word = b.word JOIN vectors c ON c.word = a.word
        WHERE a.embedding_id = (SELECT id FROM embeddings WHERE name = 'planted')
          AND b.embedding_id = (SELECT id FROM embeddings WHERE name = 'back-bin')
          AND c.embedding_id = (SELECT id FROM embeddings WHERE name = 'back-txt')
          AND a.vec = b.vec AND a.vec = c.vec")
if [ "$same" = 24 ]; then echo "ok $n - export/import round-trips bit-exactly (binary and text)"; else echo "not ok $n - only $same of 24 vectors equal"; bad=1; fi
before=$(dump)
head -c 200 "$T/v.bin" >"$T/trunc.bin"
run "truncated binary import" 1 $E embed import --db "$DB" --name trunc --format binary "$T/trunc.bin"
has err "byte"
sed '3s/ [^ ]*$//' "$T/v.txt" >"$T/short.txt"
run "dimension mismatch import" 1 $E embed import --db "$DB" --name short --format text "$T/short.txt"
has err "short.txt:3: 15 values, expected 16 (dimension mismatch)"
{ cat "$T/v.txt"; sed -n 2p "$T/v.txt"; } | sed '1s/^24 /25 /' >"$T/dup.txt"
run "duplicate word import" 1 $E embed import --db "$DB" --name dup --format text "$T/dup.txt"
has err "duplicate word"
run "existing name import" 1 $E embed import --db "$DB" --name planted --format text "$T/v.txt"
has err "already exists"
n=$((n + 1))
if [ "$(dump)" = "$before" ]; then echo "ok $n - failed imports left the database unchanged"; else echo "not ok $n - database changed"; bad=1; fi
run "rm" 0 $E embed rm --db "$DB" back-txt
run "rm unknown" 1 $E embed rm --db "$DB" back-txt

# A word imported with a zero vector has no direction: nearest refuses it, as
# SQL nearest() does, with the index and without (it listed every word at 0).
printf '3 2\nnil 0 0\nx 1 0\ny 0.5 1\n' >"$T/zero.txt"
run "import a zero vector" 0 $E embed import --db "$DB" --name zero --format text "$T/zero.txt"
for how in --exact index; do
    [ $how = index ] && $E embed index --db "$DB" zero >/dev/null
    run "nearest of a zero vector ($how)" 1 $E nearest --db "$DB" --embedding zero nil $([ $how = index ] || echo --exact)
    has err "embedlab: error: 'nil' has a zero vector in embedding 'zero'"
done
run "nearest of another word lists the zero vector last" 0 $E nearest --db "$DB" --embedding zero x
same "its neighbours" "$(awk '{ print $1 }' "$T/out" | tr '\n' ' ')" "y nil "

# gensim reads our files and agrees on the nearest words.
if /usr/bin/python3 -c "import gensim" 2>/dev/null; then
    for fmt in bin txt; do
        b=False; [ $fmt = bin ] && b=True
        /usr/bin/python3 -c "
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format('$T/v.$fmt', binary=$b)
for w, s in kv.most_similar('g1w1', topn=5): print(w, '%.4f' % s)" >"$T/gensim" 2>"$T/err"
        n=$((n + 1))
        if awk '{print $1, $2}' "$T/cli_nearest" | diff - "$T/gensim" >/dev/null; then echo "ok $n - gensim loads our $fmt export and agrees with embedlab nearest"; else
            echo "not ok $n - gensim ($fmt) disagrees:"; paste "$T/cli_nearest" "$T/gensim" | sed 's/^/#   /'; bad=1; fi
    done
    /usr/bin/python3 -c "
from gensim.models import KeyedVectors
kv = KeyedVectors.load_word2vec_format('$T/v.bin', binary=True)
kv.save_word2vec_format('$T/g.bin', binary=True)
kv.save_word2vec_format('$T/g.txt', binary=False)"
    run "import gensim's binary" 0 $E embed import --db "$DB" --name g-bin --format binary "$T/g.bin"
    run "import gensim's text" 0 $E embed import --db "$DB" --name g-txt --format text "$T/g.txt"
else
    echo "# skipped: python3-gensim is not installed, so the gensim interoperability checks did not run"
fi
exit $bad
