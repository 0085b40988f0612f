#!/bin/sh
# A query word goes through its embedding's tokenizer normalisation
# (embed/text/tok_norm.c, tok_query_word) in nearest, analogy and SQL nearest():
# upper case and full-width or compatibility forms find the unicode
# embedding's words, the change is said on stderr, a word in the vocabulary
# as given stays as it is (an imported embedding keeps its spelling), and a
# subword embedding builds an unseen word's vector from its normal form.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
EXT=$(cd "$(dirname "$E")" && pwd)/embedlab_sqlite

awk 'BEGIN { srand(7); split("Movie movie film plot actor story great awful scene ending", w, " ");
  for (i = 0; i < 2000; i++) { line = "";
    for (k = 0; k < 8; k++) line = line w[1 + int(rand() * 10)] " ";
    print line } }' >"$T/text.txt"
EMB="--db $DB --corpus $T/text.txt --dim 8 --min-count 1 --sample 0 --epochs 2 --threads 1"
run "a unicode embedding" 0 $E embed train $EMB --name u --tokenizer unicode
run "a unicode subword embedding" 0 $E embed train $EMB --name us --tokenizer unicode --subwords 2-4
same "the unicode vocabulary is case-folded" "$(sqlite3 "$DB" "SELECT count(*) FROM vectors v JOIN embeddings e ON
    e.id = v.embedding_id WHERE e.name = 'u' AND word IN ('movie', 'Movie')")" 1

run "nearest movie" 0 $E nearest --db "$DB" --embedding u movie -k 3
movie=$(cat "$T/out")
for q in Movie MOVIE "ＭＯＶＩＥ" "ｍｏｖｉｅ"; do
    run "nearest $q" 0 $E nearest --db "$DB" --embedding u "$q" -k 3
    same "nearest $q answers as movie" "$(cat "$T/out")" "$movie"
    has err "'$q' is looked up as 'movie' (embedding 'u' has its words from tokenizer unicode)"
done
run "nearest with a compatibility ligature (U+FB01)" 0 $E nearest --db "$DB" --embedding u "ﬁlm" -k 3
has err "'ﬁlm' is looked up as 'film'"
run "nearest movie says nothing of normalising" 0 $E nearest --db "$DB" --embedding u movie -k 3
if grep -q "looked up" "$T/err"; then notok "a word as stored: no note"; else ok "a word as stored: no note"; fi
run "analogy in capitals" 0 $E analogy --db "$DB" --embedding u MOVIE Film "ＰＬＯＴ" -k 2
has err "'Film' is looked up as 'film'"
has err "'ＰＬＯＴ' is looked up as 'plot'"
run "analogy in the stored forms" 0 $E analogy --db "$DB" --embedding u movie film plot -k 2
a=$(cat "$T/out")
run "analogy in capitals again" 0 $E analogy --db "$DB" --embedding u MOVIE Film "ＰＬＯＴ" -k 2
same "the same answers" "$(cat "$T/out")" "$a"
run "nearest with an index" 0 $E embed index --db "$DB" u
run "nearest Movie through the index" 0 $E nearest --db "$DB" --embedding u Movie -k 3
same "the index answers as movie" "$(cat "$T/out")" "$movie"

# A subword embedding: an unseen word's n-grams are its normal form's.
run "nearest MOVIES (unseen) in a subword embedding" 0 $E nearest --db "$DB" --embedding us MOVIES -k 3
has err "'MOVIES' is looked up as 'movies'"
has err "'movies' is not in the vocabulary: its vector is built from"
b=$(cat "$T/out")
run "nearest movies" 0 $E nearest --db "$DB" --embedding us movies -k 3
same "MOVIES answers as movies" "$(cat "$T/out")" "$b"

# SQL nearest(): the same lookups.
sq() { sqlite3 "$DB" -cmd ".load $EXT" "$1" 2>&1; }
same "SQL nearest('u', 'Movie') is nearest('u', 'movie')" \
    "$(sq "SELECT group_concat(word) FROM nearest('u', 'Movie', 3)")" \
    "$(sq "SELECT group_concat(word) FROM nearest('u', 'movie', 3)")"
same "SQL nearest of the full-width form, exact" \
    "$(sq "SELECT group_concat(word) FROM nearest('u', 'ＭＯＶＩＥ', 3, 'exact')")" \
    "$(sq "SELECT group_concat(word) FROM nearest('u', 'movie', 3, 'exact')")"
same "SQL nearest of an unseen word in capitals" \
    "$(sq "SELECT group_concat(word) FROM nearest('us', 'MOVIES', 3)")" \
    "$(sq "SELECT group_concat(word) FROM nearest('us', 'movies', 3)")"
has_sql() { if sq "$1" | grep -q -- "$2"; then ok "SQL says '$2'"; else notok "SQL lacks '$2'"; fi; }
has_sql "SELECT * FROM nearest('u', 'Zebra', 3)" "nearest: 'zebra' is not in embedding 'u'"

# words: the words spec lowercases too; an imported embedding that has both
# spellings keeps the one asked for.
run "a words embedding" 0 $E embed train $EMB --name w
run "nearest Movie (words)" 0 $E nearest --db "$DB" --embedding w Movie -k 2
has err "'Movie' is looked up as 'movie' (embedding 'w' has its words from tokenizer words)"
printf '3 2\nParis 1 0\nparis 0 1\nLondon 1 0.1\n' >"$T/cased.txt"
run "import a cased embedding" 0 $E embed import --db "$DB" --name cased --format text "$T/cased.txt"
same "import records the words tokenizer" "$(sqlite3 "$DB" "SELECT tokenizer FROM embeddings WHERE name = 'cased'")" words
run "nearest Paris (imported, as given)" 0 $E nearest --db "$DB" --embedding cased Paris -k 1
same "Paris is Paris" "$(awk '{ print $1 }' "$T/out")" London
if grep -q "looked up" "$T/err"; then notok "no note for a stored word"; else ok "no note for a stored word"; fi
same "SQL nearest('cased', 'Paris')" "$(sq "SELECT word FROM nearest('cased', 'Paris', 1)")" London
exit $bad
