#!/bin/sh
# embedlab serve in a real browser: headless Chromium (Debian's chromium,
# driven by puppeteer-core from tests/browser/, installed by
# scripts/browser-deps.sh) opens every view against a fixture lab.db of tiny
# real runs (tests/serve_fixture.sh) and checks what a person sees; then a
# live test: a `train` running beside the server, whose new epochs must reach
# the open page without a reload. Screenshots go to build/test-output/browser/.
# Without Chromium or puppeteer-core the test says so on a "# skip" line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/serve_fixture.sh"
top=$(cd "$(dirname "$0")/.." && pwd)
if ! [ -x /usr/bin/chromium ]; then
    echo "# skip: /usr/bin/chromium is not installed (scripts/deps.sh chromium): the browser test did not run"
    exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! [ -d "$top/tests/browser/node_modules/puppeteer-core" ]; then
    echo "# skip: node or puppeteer-core is missing (scripts/browser-deps.sh): the browser test did not run"
    exit 0
fi
out="$top/build/test-output/browser"
mkdir -p "$out"
DB="$T/lab.db"
if serve_fixture "$DB"; then ok "fixture lab.db of tiny runs"; else notok "fixture lab.db of tiny runs"; exit 1; fi
if serve_start "$DB"; then ok "serve started"; else notok "serve started"; cat "$T/serve.err"; exit 1; fi

# The planted embedding for the UMAP projector: 5 clusters of 300 words
# ("pC_I" in cluster C), each a random centre plus noise, in 50 dimensions.
python3 - "$T/planted.txt" <<'PY'
import random, sys
random.seed(5)
C, N, D = 5, 300, 50
centres = [[random.gauss(0, 1) for _ in range(D)] for _ in range(C)]
out = ['%d %d' % (C * N, D)]
for i in range(N):
    for c in range(C):
        out.append('p%d_%d ' % (c, i) + ' '.join('%.5f' % (x + random.gauss(0, 0.5)) for x in centres[c]))
open(sys.argv[1], 'w').write('\n'.join(out) + '\n')
PY
if $E embed import --db "$DB" --name planted --format text "$T/planted.txt" >/dev/null 2>&1; then
    ok "planted clusters imported"; else notok "planted clusters imported"; fi

# What the page must show, from the CLI and the database themselves.
nearest=$($E nearest --db "$DB" --embedding tiny great -k 10 2>/dev/null | awk '{ printf "%s\"%s\"", (NR > 1 ? "," : ""), $1 }')
acc=$(sqlite3 "$DB" "SELECT printf('%.4f', test_acc) FROM results WHERE run_id = 13")
words=$(sqlite3 "$DB" "SELECT vocab_size FROM embeddings WHERE name = 'tiny'")
cat >"$T/expect.json" <<JSON
{"runs": 14, "acc": {"run": 13, "text": "$acc"}, "curveRuns": "13,14", "curvePoints": 24, "sweepPoints": 4, "sweepRuns": 12,
 "word": "great", "nearest": [$nearest], "unseen": "greatest", "predictRuns": "13,14", "projectN": $words,
 "planted": {"name": "planted", "n": 1500, "clusters": 5}}
JSON
node "$top/tests/browser/lab.test.js" "$URL" "$out" "$T/expect.json" | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&browser: /" >"$T/views"
cat "$T/views"
grep -q "^ok " "$T/views" || notok "the browser test printed no result"
n=$((n + $(grep -c '^ok \|^not ok ' "$T/views")))
grep -q '^not ok ' "$T/views" && bad=1

# Live: a training of many short epochs writes lab.db while the page polls it.
# Epochs of about half a second (3,000 reviews, an LSTM of 48 units), so that
# each one is seen arriving.
awk 'BEGIN { srand(9); split("the a film movie plot actor it was and of scene story", f, " ");
  for (i = 0; i < 3000; i++) { y = int(rand() * 2); line = "";
    for (k = 0; k < 30; k++) line = line f[1 + int(rand() * 12)] " ";
    print y "\t" line (y ? "great" : "awful") } }' >"$T/big.tsv"
$E train --db "$DB" --data "$T/big.tsv" --test-data "$T/test.tsv" --epochs 1000 --patience 1000 \
    --vocab 50 --maxlen 30 --units 48 --cell lstm --dim 8 --threads 1 >/dev/null 2>"$T/live.err" &
live=$!
if wait_rows "$DB" "SELECT count(*) FROM epochs WHERE run_id = 15" 1 30; then ok "the live run trains"; else notok "the live run trains"; fi
echo '{"liveRun": 15}' >"$T/live.json"
node "$top/tests/browser/lab.test.js" "$URL" "$out" "$T/live.json" | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&live: /" >"$T/views"
cat "$T/views"
n=$((n + $(grep -c '^ok \|^not ok ' "$T/views")))
grep -q '^not ok ' "$T/views" && bad=1
kill -TERM $live 2>/dev/null
wait $live
same "the live run, stopped, is recorded as interrupted" "$(sqlite3 "$DB" "SELECT status FROM runs WHERE id = 15")" interrupted
if grep -q "database is locked" "$T/live.err" "$T/serve.err"; then notok "no 'database is locked' on either side"; else
    ok "no 'database is locked' on either side"; fi

# The runs view with 10,000 runs (copies of run 13 added in SQL): from
# navigation to a table drawn and sorted, in Chromium's Performance API. The
# bound is generous, for a loaded machine; the figure is printed.
serve_many "$DB" 10000
# Then the curves of 100 of them, each with run 13's epochs (4 points an
# epoch: training and validation loss and accuracy).
ids=$(sqlite3 "$DB" "SELECT group_concat(id) FROM (SELECT id FROM runs WHERE id > 15 ORDER BY id LIMIT 100)")
points=$(sqlite3 "$DB" "SELECT 400 * count(*) FROM epochs WHERE run_id = 13")
echo "{\"manyRuns\": 10000, \"bound\": 10000, \"curves\": {\"runs\": \"$ids\", \"points\": $points, \"bound\": 10000}}" >"$T/many.json"
node "$top/tests/browser/lab.test.js" "$URL" "$out" "$T/many.json" | sed "s/^\(not \)\{0,1\}ok [0-9]* - /&many runs: /" >"$T/views"
cat "$T/views"
n=$((n + $(grep -c '^ok \|^not ok ' "$T/views")))
grep -q '^not ok ' "$T/views" && bad=1
serve_stop
echo "# screenshots: $(ls "$out" | tr '\n' ' ')in build/test-output/browser/"
exit $bad
