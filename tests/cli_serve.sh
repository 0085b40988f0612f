#!/bin/sh
# embedlab serve over HTTP with curl: the JSON endpoints against a fixture
# lab.db of tiny real runs (tests/serve_fixture.sh), checked with jq; bad
# requests are 4xx and the server lives on; the page and its assets only;
# a deleted, replaced or other-version lab.db is a clear 503; the
# connection is read-only (the file's bytes never change); --host warns;
# and a `train` writing the same file beside it never meets "database is
# locked".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_fixture.sh"
DB="$T/lab.db"

run "serve --help" 0 $E serve --help
has out "Usage: embedlab serve"
run "bad --port" 2 $E serve --port 0
run "a missing --db is an error, not a new file" 1 $E serve --db "$T/none.db" --port 18999
has err "embedlab: error: no lab database at $T/none.db"
[ -e "$T/none.db" ] && notok "serve made $T/none.db" || ok "serve made no file"

if serve_fixture "$DB"; then ok "fixture lab.db of tiny runs"; else notok "fixture lab.db"; exit 1; fi
if serve_start "$DB"; then ok "serve started"; else notok "serve started"; cat "$T/serve.err"; exit 1; fi
has_body() { if grep -q -- "$1" "$T/body"; then ok "body has '$1'"; else notok "body lacks '$1'"; head -c 400 "$T/body"; fi; }
jqv() { jq -r "$1" "$T/body" 2>/dev/null; }

get "$URL/"
same "GET / is the page" "$code $(grep -c '<script src="/app.js"' "$T/body")" "200 1"
get "$URL/app.js"
same "GET /app.js" "$code" 200
get "$URL/api/status"
same "status: schema and counts" "$code $(jqv '.schema, .runs, .embeddings, .sweeps' | tr '\n' ' ')" "200 10 14 1 1 "

get "$URL/api/runs"
same "runs: 14, in id order" "$(jqv '[.runs[].id] | map(tostring) | join(",")')" "1,2,3,4,5,6,7,8,9,10,11,12,13,14"
same "run 13: its columns" "$(jqv '.runs[12] | [.status, .config.cell, .config.input_kind, .config.dim, .config.tokenizer, .config.seed, .epochs, .config.units] | map(tostring) | join(" ")')" \
    "finished lstm random 4 words 7 3 4"
same "run 13's test accuracy as results holds it" "$(jqv '.runs[12].test_acc')" \
    "$(sqlite3 "$DB" "SELECT test_acc FROM results WHERE run_id = 13")"
same "run 13's best validation accuracy" "$(jqv '.runs[12].best_val_acc')" \
    "$(sqlite3 "$DB" "SELECT max(val_acc) FROM epochs WHERE run_id = 13")"

get "$URL/api/runs?lean=1"
same "runs, lean: the same runs as rows of the table's columns" \
    "$(jq -r '.fields as $f | [.rows[] | [$f, .] | transpose | map({(.[0]): .[1]}) | add | [.id, .status, .cell, .dim, .seed, .test_acc, .best_val_acc] | map(tostring) | join(" ")] | join(";")' "$T/body")" \
    "$(curl -s "$URL/api/runs" | jq -r '[.runs[] | [.id, .status, .config.cell, .config.dim, .config.seed, .test_acc, .best_val_acc] | map(tostring) | join(" ")] | join(";")')"
get "$URL/api/runs/13/epochs"
same "one run's epochs" "$code $(jqv '.epochs | length') $(jqv '.epochs[2][1]') $(jqv '.fields[4]')" "200 3 3 val_loss"
cursor=$(jqv '.cursor')
get "$URL/api/epochs?runs=13,14&since=$cursor"
same "nothing new after the cursor" "$(jqv '.epochs | length')" 0
get "$URL/api/epochs?runs=13,14&since=0"
same "two runs' epochs" "$(jqv '.epochs | length') $(jqv '[.runs[].status] | join(",")')" "6 finished,finished"

get "$URL/api/sweeps"
same "sweeps: one, 12 finished" "$(jqv '.sweeps[0] | [.id, .name, .runs, .finished] | map(tostring) | join(" ")')" "1 fixture 12 12"
get "$URL/api/sweeps/1"
same "sweep points: 2 baselines and 4 (cell, dim) points" "$(jqv '[.points[] | .baseline] | sort | map(tostring) | join("")')" "000011"
p=$(jqv '.points[] | select(.cell == "rnn" and .dim == 4) | [.n, (.runs | map(tostring) | join(",")), .mean] | map(tostring) | join(" ")')
mean=$(sqlite3 "$DB" "SELECT avg(test_acc) FROM results WHERE run_id IN (3, 4)")
same "rnn at dim 4: two seeds, runs 3 and 4, their mean" "$p" "2 3,4 $mean"
sd=$(jqv '.points[] | select(.cell == "rnn" and .dim == 4) | .sd')
want=$(sqlite3 "$DB" "SELECT abs(a.test_acc - b.test_acc) / sqrt(2) FROM results a, results b WHERE a.run_id = 3 AND b.run_id = 4")
same "its sample sd" "$(printf '%.10f' "$sd")" "$(printf '%.10f' "$want")"

get "$URL/api/compare?runs=13,14"
same "compare: the differing fields" "$(jqv '.differs | join(",")')" "cell,dim,embedding,input_kind,seed,subwords"
n_dis=$(jqv '.disagree_count')
want=$(python3 -c "
import sqlite3, struct
db = sqlite3.connect('$DB')
p = [struct.unpack('<%df' % n, b) for n, b in db.execute('SELECT n, probs FROM predictions WHERE run_id IN (13, 14) ORDER BY run_id')]
print(sum((a >= 0.5) != (b >= 0.5) for a, b in zip(*p)))")
same "compare: disagreements as the stored predictions give them" "$n_dis" "$want"
i=$(jqv '.disagree[0].review')
line=$(sed -n "$((i + 1))p" "$T/test.tsv" | cut -f2)
same "compare: a disagreement's review as written, not its words" "$(jqv '.disagree[0].raw') $(jqv '.disagree[0].text')" \
    "true $line"
case "$line" in *"<br />"*) ok "the review's text holds markup" ;; *) notok "the review's text holds no markup: $line" ;; esac

get "$URL/api/embeddings"
same "embeddings: tiny, 8 dims, subwords" "$(jqv '.embeddings[0] | [.name, .dim, .trainer, .subwords] | map(tostring) | join(" ")')" "tiny 8 word2vec 1"
get "$URL/api/nearest?embedding=tiny&word=great&k=5"
same "nearest: the CLI's words" "$(jqv '[.results[].word] | join(" ")')" \
    "$($E nearest --db "$DB" --embedding tiny great -k 5 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
get "$URL/api/nearest?embedding=tiny&word=Great&k=3"
same "nearest: Great is looked up as great" "$(jqv '.query[0].looked_up')" great
get "$URL/api/nearest?embedding=tiny&word=greatest&k=3"
same "nearest: an unseen word from its n-grams, the known ones listed" \
    "$(jqv '.query[0].from') $(jqv '.query[0].known | index("<gr") != null')" "ngrams true"
get "$URL/api/analogy?embedding=tiny&a=awful&b=boring&c=great&k=3"
same "analogy: the CLI's words" "$(jqv '[.results[].word] | join(" ")')" \
    "$($E analogy --db "$DB" --embedding tiny awful boring great -k 3 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
get "$URL/api/project?embedding=tiny&n=10&method=pca"
same "project: 10 words, 20 coordinates" "$code $(jqv '.words | length') $(jqv '.xy | length')" "200 10 20"
# The projector's neighbour graph over every word of tiny: row 'great' holds
# the words and cosines `embedlab nearest` gives (an exact search of the
# same vocabulary), best first, never the word itself.
words=$(sqlite3 "$DB" "SELECT vocab_size FROM embeddings WHERE name = 'tiny'")
get "$URL/api/knn?embedding=tiny&n=$words&k=5"
same "knn: n words, k neighbours each" "$code $(jqv '.n') $(jqv '.k') $(jqv '.nbr | length') $(jqv '.sim | length')" \
    "200 $words 5 $((words * 5)) $((words * 5))"
row=$(jqv '.words | index("great")')
jq -r --argjson i "$row" 'range(0; 5) as $t | .words[.nbr[$i * 5 + $t]] + " " + (.sim[$i * 5 + $t] | tostring)' \
    "$T/body" >"$T/knn.txt"
$E nearest --db "$DB" --embedding tiny great -k 5 2>/dev/null | awk '{ print $1, $2 }' >"$T/cli.txt"
if [ -s "$T/cli.txt" ] && paste -d' ' "$T/knn.txt" "$T/cli.txt" |
    awk '{ d = $2 - $4; if ($1 != $3 || d > 2e-4 || d < -2e-4) exit 1 }'; then
    ok "knn: great's neighbours and cosines as the CLI gives them"
else
    notok "knn: great's neighbours and cosines: $(tr '\n' ' ' <"$T/knn.txt") against $(tr '\n' ' ' <"$T/cli.txt")"
fi
same "knn: no word is its own neighbour" "$(jq '[.nbr as $b | range(0; .n) as $i | range(0; .k) as $t | select($b[$i * .k + $t] == $i)] | length' "$T/body")" 0
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary '{"runs": [13, 14], "text": "a great film, loved it"}' "$URL/api/predict")
same "predict: two runs' probabilities" "$code $(jqv '[.predictions[] | .p > 0 and .p < 1] | all')" "200 true"
p13=$(jqv '.predictions[0].p')
printf 'x\ta great film, loved it\n' >"$T/one.txt"
cli=$($E predict --db "$DB" --run 13 "a great film, loved it" 2>/dev/null | grep -o '0\.[0-9]*' | head -1)
same "predict: run 13 as 'embedlab predict' says" "$(printf '%.4f' "$p13")" "$(printf '%.4f' "$cli")"

# Procrustes: tiny against a copy of itself turned by a random rotation in
# 16 dimensions (its 8 padded with zeros), imported while the server runs.
$E embed export --db "$DB" --embedding tiny --format text "$T/tiny.txt" >/dev/null 2>&1
python3 - "$T/tiny.txt" "$T/rot.txt" <<'PY'
import math, random, sys
random.seed(3)
lines = open(sys.argv[1]).read().split('\n')
n, d = map(int, lines[0].split())
D = 16
q = []  # a random orthogonal D x D, by Gram-Schmidt
while len(q) < D:
    v = [random.gauss(0, 1) for _ in range(D)]
    for u in q:
        p = sum(a * b for a, b in zip(v, u))
        v = [a - p * b for a, b in zip(v, u)]
    s = math.sqrt(sum(a * a for a in v))
    q.append([a / s for a in v])
out = ['%d %d' % (n, D)]
for line in lines[1:n + 1]:
    w, *xs = line.split(' ')
    x = [float(t) for t in xs[:d]] + [0.0] * (D - d)
    out.append(w + ' ' + ' '.join('%.8g' % sum(q[i][j] * x[j] for j in range(D)) for i in range(D)))
open(sys.argv[2], 'w').write('\n'.join(out) + '\n')
PY
run "import the turned copy" 0 $E embed import --db "$DB" --name tiny-rot --format text "$T/rot.txt"
run "index it" 0 $E embed index --db "$DB" tiny-rot
get "$URL/api/nearest?embedding=tiny-rot&word=great&k=5"
same "nearest through the stored index: the CLI's words" "$(jqv .index) $(jqv '[.results[].word] | join(" ")')" \
    "true $($E nearest --db "$DB" --embedding tiny-rot great -k 5 2>/dev/null | awk '{ print $1 }' | tr '\n' ' ' | sed 's/ $//')"
sum_before=$(cat "$DB" "$DB-wal" 2>/dev/null | md5sum)
get "$URL/api/align?a=tiny&b=tiny-rot&n=100&top=3"
same "align: 8 against 16 dims, every word shared" "$code $(jqv '.dims | map(tostring) | join(" ")') $(jqv .shared)" "200 8 16 16"
if awk -v c="$(jqv .mean_cos)" -v w="$(jqv '.moved_most[0].cos')" 'BEGIN { exit !(c > 0.999 && w > 0.99) }'; then
    ok "align: the rotation is undone (every cosine about 1)"; else notok "align: mean cos $(jqv .mean_cos)"; fi
get "$URL/api/align?a=tiny&b=nope"
same "align: an unknown embedding is 404" "$code" 404

# Bad requests: 4xx with a JSON error, and the server lives on.
for req in "/api/nearest?embedding=tiny&word=great&k=0" "/api/nearest?embedding=tiny&word=great&k=100000" \
    "/api/nearest?embedding=tiny" "/api/nearest?embedding=nope&word=great" "/api/project?embedding=tiny&n=1" \
    "/api/project?embedding=tiny&n=999999" "/api/project?embedding=tiny&method=tsne" \
    "/api/knn?embedding=tiny&k=0" "/api/knn?embedding=tiny&k=51" "/api/knn?embedding=tiny&n=1" \
    "/api/knn?embedding=tiny&n=20001" "/api/knn?embedding=nope" "/api/knn" "/api/epochs?runs=1,x" \
    "/api/epochs" "/api/epochs?runs=1&since=-1" "/api/runs?lean=2" "/api/runs/abc/epochs" "/api/runs/1/models" "/api/sweeps/0" \
    "/api/sweeps/99" "/api/compare?runs=" "/../../etc/passwd" "/etc/passwd" "/api/nope" "/app.js/.." "/%2e%2e/app.js"; do
    get --path-as-is "$URL$req"
    case "$code" in 4??) if jq -e .error "$T/body" >/dev/null 2>&1; then ok "$req: $code with an error"; else
        notok "$req: $code without a JSON error"; fi ;; *) notok "$req: status $code" ;; esac
done
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST "$URL/api/runs")
same "POST to a GET endpoint: 405" "$code" 405
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary '{"runs": "1", "text": 3}' "$URL/api/predict")
same "predict: a malformed body is 400" "$code" 400
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary 'not json' "$URL/api/predict")
same "predict: not JSON is 400" "$code" 400
head -c 70000 /dev/zero | tr '\0' 'a' >"$T/big"
code=$(curl -s -o "$T/body" -w '%{http_code}' -X POST --data-binary @"$T/big" "$URL/api/predict")
same "a body over 64 KiB: 413" "$code" 413
get "$URL/api/runs?$(seq 1 40 | sed 's/.*/p&=1/' | tr '\n' '&')"
same "40 query parameters: 413" "$code" 413
get "$URL/api/status"
same "the server lives on" "$code" 200

# Nothing the server did wrote to the file.
same "lab.db unchanged by serving" "$(cat "$DB" "$DB-wal" 2>/dev/null | md5sum)" "$sum_before"

# A train writing the same file meanwhile: neither side meets a lock.
$E train --db "$DB" --data "$T/train.tsv" --test-data "$T/test.tsv" --epochs 200 --patience 200 --vocab 50 \
    --maxlen 8 --units 4 --dim 4 --threads 1 >/dev/null 2>"$T/train.err" &
tr=$!
fails=0
while kill -0 $tr 2>/dev/null; do
    for u in /api/runs "/api/epochs?runs=15" /api/sweeps/1; do
        get "$URL$u"
        [ "$code" = 200 ] || fails=$((fails + 1))
    done
done
wait $tr
trc=$?
same "train beside serve: finished, every request answered" "$trc $fails" "0 0"
if grep -q "locked" "$T/train.err" "$T/serve.err"; then notok "no 'database is locked'"; else ok "no 'database is locked'"; fi
plain=$(curl -s "$URL/api/epochs?runs=15" | md5sum)
same "a large answer gzipped for a client that takes it, the same JSON" "$(curl -s --compressed "$URL/api/epochs?runs=15" | md5sum)" "$plain"
curl -s -D "$T/headers" -o /dev/null -H 'Accept-Encoding: gzip' "$URL/api/epochs?runs=15"
if grep -qi '^content-encoding: gzip' "$T/headers"; then ok "Content-Encoding: gzip"; else notok "no Content-Encoding: gzip"; fi
get "$URL/api/runs"
same "the new run is there, finished" "$(jqv '.runs[14] | [.id, .status] | map(tostring) | join(" ")')" "15 finished"

# The file deleted, replaced by another schema version, or not a lab: 503
# that says why; back in place, served again. The database moves with its
# -wal and -shm files, as a user moves it: the train above may have left its
# last commit in the WAL (serve's open connection keeps it from being
# checkpointed away), and a stale WAL beside a new file would be replayed into it.
mv "$DB" "$T/kept.db"
for x in wal shm; do [ ! -e "$DB-$x" ] || mv "$DB-$x" "$T/kept.db-$x"; done
get "$URL/api/runs"
same "deleted lab.db: 503" "$code" 503
has_body "no lab database at $DB"
sqlite3 "$DB" "PRAGMA application_id = $((0x456d624c)); PRAGMA user_version = 5; CREATE TABLE x(y)"
get "$URL/api/runs"
same "another schema version: 503" "$code" 503
has_body "schema version 5"
rm -f "$DB"
echo "not a database at all, just text" >"$DB"
get "$URL/api/sweeps"
same "a file that is not a database: 503" "$code" 503
has_body "not an SQLite database"
rm -f "$DB" "$DB-wal" "$DB-shm"
mv "$T/kept.db" "$DB"
for x in wal shm; do [ ! -e "$T/kept.db-$x" ] || mv "$T/kept.db-$x" "$DB-$x"; done
get "$URL/api/runs"
same "back in place: served" "$code $(jqv '.runs | length')" "200 15"
serve_stop

# Another address: a warning, and it serves there.
if serve_start "$DB" --host 0.0.0.0; then ok "serve --host 0.0.0.0"; else notok "serve --host 0.0.0.0"; fi
if grep -q "embedlab: warning: listening on 0.0.0.0" "$T/serve.err"; then ok "--host 0.0.0.0 warns"; else
    notok "--host 0.0.0.0 warns"; cat "$T/serve.err"; fi
serve_stop
if serve_start "$DB"; then ok "serve on 127.0.0.1"; fi
grep -q warning "$T/serve.err" && notok "the default host warns" || ok "the default host does not warn"
serve_stop
exit $bad
