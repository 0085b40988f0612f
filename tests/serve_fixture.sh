# tests/serve_fixture.sh: what tests/cli_serve.sh and tests/cli_browser.sh
# share (source it after tests/lib.sh).
#   serve_fixture DB   a lab database of tiny real runs: an embedding `tiny`
#                      with subwords, a sweep of 2 dims x 2 cells x random and
#                      one-hot inputs x 2 seeds (run ids 1..12), then two runs of
#                      `train` that differ in cell and seed; then the test file's
#                      reviews written as people write (same tokens, other text)
#   serve_many DB N    adds copies of run 13 (finished, its 3 epochs and results, each
#                      with another seed and accuracy) until DB holds N runs
#   serve_start DB [OPTIONS]  starts `embedlab serve` on a free port in the
#                      background: $URL its address, $SERVE_PID its process
#   serve_stop         stops it (the PID this script started)
#   get PATH           curl's body in $T/body, its status in $code

serve_fixture() {
    reviews "$T/all.tsv"
    head -600 "$T/all.tsv" >"$T/train.tsv"
    tail -300 "$T/all.tsv" >"$T/test.tsv"
    cut -f2 "$T/all.tsv" >"$T/corpus.txt"
    base="--db $1 --data $T/train.tsv --test-data $T/test.tsv --epochs 3 --vocab 50 --maxlen 8 --units 4 --threads 1"
    $E embed train --db "$1" --corpus "$T/corpus.txt" --name tiny --dim 8 --min-count 1 --subwords 2-4 \
        --threads 1 >/dev/null 2>&1 || return 1
    $E sweep $base --dims 4,8 --cells rnn,gru --inputs onehot,random --seeds 1,2 --jobs 1 --name fixture \
        >/dev/null 2>&1 || return 1
    $E train $base --dim 4 --cell lstm --seed 7 >/dev/null 2>&1 || return 1
    $E train $base --dim 8 --cell gru --seed 8 --embedding tiny >/dev/null 2>&1 || return 1
    # The test reviews as people type them: a capital, and punctuation and
    # markup the words spec drops, so they give the same tokens (the stored
    # predictions still hold) but their text is not their words.
    awk -F'\t' '{ printf "%s\t%s%s!! <br /><br />& \"<>\"\n", $1, toupper(substr($2, 1, 1)), substr($2, 2) }' \
        "$T/test.tsv" >"$T/test.raw" && mv "$T/test.raw" "$T/test.tsv"
}

serve_many() {
    lo=$(sqlite3 "$1" "SELECT max(id) + 1 FROM runs")
    sqlite3 "$1" "
WITH RECURSIVE i(k) AS (SELECT $lo UNION ALL SELECT k + 1 FROM i WHERE k < $2)
INSERT INTO runs(id, sweep_id, kind, config, status, host, started, finished)
  SELECT k, NULL, kind, json_set(config, '\$.seed', k, '\$.lr', 0.001 * (k % 7 + 1)), status, host, started, finished
  FROM i, runs WHERE runs.id = 13;
INSERT INTO results(run_id, test_loss, test_acc, val_loss, val_acc, best_epoch, epochs, params, seconds,
    seconds_per_epoch)
  SELECT r.id, s.test_loss, 0.5 + (r.id * 7919 % 1000) / 2000.0, s.val_loss, s.val_acc, s.best_epoch, s.epochs,
    s.params, s.seconds, s.seconds_per_epoch FROM runs r, results s WHERE r.id >= $lo AND s.run_id = 13;
INSERT INTO epochs(run_id, epoch, train_loss, train_acc, val_loss, val_acc, seconds)
  SELECT r.id, e.epoch, e.train_loss, e.train_acc, e.val_loss, e.val_acc, e.seconds
  FROM runs r, epochs e WHERE r.id >= $lo AND e.run_id = 13;"
}

serve_start() {
    db=$1
    shift
    for try in 1 2 3 4 5; do
        PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 20000))
        URL="http://127.0.0.1:$PORT"
        $E serve --db "$db" --port $PORT "$@" >"$T/serve.out" 2>"$T/serve.err" &
        SERVE_PID=$!
        for i in $(seq 1 100); do
            if curl -s -o /dev/null "$URL/api/status"; then return 0; fi
            kill -0 $SERVE_PID 2>/dev/null || break
            sleep 0.05
        done
        kill $SERVE_PID 2>/dev/null
        wait $SERVE_PID 2>/dev/null
    done
    return 1
}

serve_stop() {
    kill $SERVE_PID 2>/dev/null
    wait $SERVE_PID 2>/dev/null
}

get() {
    code=$(curl -s -o "$T/body" -w '%{http_code}' "$@")
}
