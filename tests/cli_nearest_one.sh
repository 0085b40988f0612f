#!/bin/sh
# One nearest-word query (db/index/nearest.h) behind its three front ends:
# `embedlab nearest`, SQL nearest() in the stock sqlite3 shell and
# /api/nearest of `embedlab serve` give the same words with the same scores
# for a word in the vocabulary, a word in capitals (looked up in its normal
# form), an unseen word built from its character n-grams, and an embedding
# answered through its nearest-word index; the CLI and the web agree on an
# analogy too. And each says the same when a word has no vector.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_fixture.sh"
DB=$T/lab.db
EXT=$(cd "$(dirname "$E")" && pwd)/embedlab_sqlite

awk 'BEGIN { srand(11); split("movie movies film plot actor story great awful scene ending acting director", w, " ");
  for (i = 0; i < 3000; i++) { line = "";
    for (k = 0; k < 8; k++) line = line w[1 + int(rand() * 12)] " ";
    print line } }' | sed 's/movies //g' >"$T/text.txt"
EMB="--db $DB --corpus $T/text.txt --dim 8 --min-count 1 --sample 0 --epochs 2 --threads 1"
run "a subword embedding" 0 $E embed train $EMB --name sw --tokenizer unicode --subwords 2-4
run "an embedding with an index" 0 $E embed train $EMB --name ix --tokenizer unicode
run "its index" 0 $E embed index --db "$DB" ix
if serve_start "$DB"; then ok "serve started"; else notok "serve started"; cat "$T/serve.err"; exit 1; fi

# Each front end's answer as lines "WORD SCORE", the score to 4 decimals
# (what the CLI prints).
cli() { $E nearest --db "$DB" --embedding "$1" "$2" -k 5 2>"$T/cli.err" | awk '{ printf "%s %.4f\n", $1, $2 }'; }
sql() {
    sqlite3 "$DB" -cmd ".load $EXT" "SELECT word || ' ' || printf('%.4f', similarity) FROM nearest('$1', '$2', 5)" 2>&1
}
web() {
    curl -s "$URL/api/nearest?embedding=$1&word=$2&k=5" >"$T/web.json"
    jq -r '.results[] | "\(.word) \(.score)"' "$T/web.json" | awk '{ printf "%s %.4f\n", $1, $2 }'
}
# The SQL and web scores to 7 significant digits (what the web writes).
sql7() { sqlite3 "$DB" -cmd ".load $EXT" "SELECT printf('%.7g', similarity) FROM nearest('$1', '$2', 5)"; }
web7() { jq -r '.results[].score' "$T/web.json" | awk '{ printf "%.7g\n", $1 }'; }

for q in "sw movie" "sw MOVIE" "sw movies" "ix film" "ix Film"; do
    set -- $q
    c=$(cli "$1" "$2")
    [ -n "$c" ] && ok "$q: the CLI answers" || notok "$q: the CLI answers"
    same "$q: SQL nearest() is the CLI's" "$(sql "$1" "$2")" "$c"
    same "$q: /api/nearest is the CLI's" "$(web "$1" "$2")" "$c"
    same "$q: SQL and the web to 7 digits" "$(sql7 "$1" "$2")" "$(web7)"
done
cli sw movies >/dev/null
web sw movies >/dev/null
has cli.err "'movies' is not in the vocabulary: its vector is built from"
same "the web says so too" "$(jq -r '.query[0].from' "$T/web.json")" ngrams
web ix film >/dev/null
same "the web answered through the index" "$(jq -r '.index' "$T/web.json")" true
cli ix MOVIE >/dev/null
has cli.err "'MOVIE' is looked up as 'movie'"

# An analogy: the CLI's and the web's words and scores.
a=$($E analogy --db "$DB" --embedding sw awful great movie -k 3 2>/dev/null | awk '{ printf "%s %.4f\n", $1, $2 }')
curl -s "$URL/api/analogy?embedding=sw&a=awful&b=great&c=movie&k=3" >"$T/web.json"
same "analogy: the web's is the CLI's" "$(jq -r '.results[] | "\(.word) \(.score)"' "$T/web.json" | awk '{ printf "%s %.4f\n", $1, $2 }')" "$a"

# A word with no vector: each front end refuses it, naming the word.
run "CLI: zebra has no vector" 1 $E nearest --db "$DB" --embedding ix zebra
has err "embedlab: error: 'zebra' is not in embedding 'ix'"
same "SQL: zebra has no vector" "$(sql ix zebra)" "Error: stepping, nearest: 'zebra' is not in embedding 'ix'"
curl -s -o "$T/body" -w '%{http_code}' "$URL/api/nearest?embedding=ix&word=zebra" >"$T/code"
same "web: zebra has no vector" "$(cat "$T/code") $(jq -r .error "$T/body")" \
    "404 'zebra' has no vector in embedding 'ix' (11 words; it has no subwords)"
serve_stop
exit $bad
