#!/bin/sh
# embedlab train --reuse: a finished run that would record the same (settings,
# --threads, the embedding's row, the tokenizer model, the reviews' content)
# is reported with the line a run prints, and nothing is trained or recorded;
# anything else that differs trains a new run (an option, the seed, the
# threads, a data file edited in place, an embedding made again under its
# name), while the same reviews in other bytes (CRLF) are the same data. A
# killed run is not finished, so a rerun trains it again.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
sql() { sqlite3 -cmd ".timeout 30000" "$DB" "$1"; }
runs() { sql "SELECT count(*) FROM runs"; }
reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
base="--db $DB --data $T/train.tsv --test-data $T/test.tsv --units 4 --dim 4 --epochs 2"
# reused WHAT ID: the last command reported run ID as reused, with its stored line.
reused() {
    has err "embedlab: run $2 reused"
    same "$1: the stored line" "$(tail -n 1 "$T/out")" "$(cat "$T/line$2")"
}
# trained WHAT: the last command trained a new run (the newest row, finished).
trained() {
    if grep -q "reused" "$T/err"; then notok "$1: reused a run"; else ok "$1: trained"; fi
    same "$1: a new finished run" "$(sql "SELECT id || ' ' || status FROM runs ORDER BY id DESC LIMIT 1")" \
        "$(runs) finished"
    tail -n 1 "$T/out" >"$T/line$(runs)"
}

run "--help documents --reuse" 0 $E train --help
has out "^  --reuse  "

run "a first run" 0 $E train $base --threads 1
tail -n 1 "$T/out" >"$T/line1"
run "the same with --reuse" 0 $E train $base --threads 1 --reuse
reused "the same with --reuse" 1
same "no run recorded" "$(runs) $(sql "SELECT count(*) FROM epochs") $(sql "SELECT count(*) FROM results")" "1 2 1"
run "without --reuse nothing changes" 0 $E train $base --threads 1
trained "without --reuse"
run "the newest equal run is reported" 0 $E train $base --threads 1 --reuse
reused "two equal runs" 2

run "another option" 0 $E train $base --threads 1 --reuse --units 5
trained "--units 5"
run "another seed" 0 $E train $base --threads 1 --reuse --seed 2
trained "--seed 2"
run "another thread count" 0 $E train $base --threads 2 --reuse
trained "--threads 2 (threads are matched)"
run "the same, moved to the end, reused" 0 $E train $base --reuse --seed 2 --threads 1
reused "the options in another order" 4

# The same path with other contents: one label flipped.
awk -F '\t' 'BEGIN { OFS = "\t" } NR == 1 { $1 = 1 - $1 } { print }' "$T/train.tsv" >"$T/edited.tsv"
cp "$T/edited.tsv" "$T/train.tsv"
run "the train file edited in place" 0 $E train $base --threads 1 --reuse
trained "an edited train file"
same "its fingerprint differs" \
    "$(sql "SELECT count(DISTINCT json_extract(config, '\$.data_hash')) FROM runs WHERE id IN (1, $(runs))")" 2
run "then reused" 0 $E train $base --threads 1 --reuse
reused "the edited file's run" "$(runs)"
# The same reviews in other bytes (CRLF line ends) read as the same tokens:
# the same fingerprint, reused; trained again, the results are the same.
edited=$(runs)
sed 's/$/\r/' "$T/train.tsv" >"$T/crlf.tsv"
cp "$T/crlf.tsv" "$T/train.tsv"
run "the train file with CRLF line ends" 0 $E train $base --threads 1 --reuse
reused "the same reviews in CRLF" "$edited"
run "trained again" 0 $E train $base --threads 1
trained "the same reviews in CRLF, without --reuse"
results() { sed 's/^Run [0-9]* //; s/, [0-9.]* s per epoch//' "$1"; }
same "the same results" "$(results "$T/line$(runs)")" "$(results "$T/line$edited")"
tail -n 1 "$T/test.tsv" | sed 's/$/ again/' >>"$T/test.tsv"
run "the test file edited in place" 0 $E train $base --threads 1 --reuse
trained "an edited test file"

# An embedding removed and made again under its name is another row.
awk 'BEGIN { print 12, 4; split("the a film movie plot actor it was and of scene story", w, " ");
  for (i = 1; i <= 12; i++) printf "%s %d 0.5 -0.25 %d.5\n", w[i], i % 3, i }' >"$T/vec.txt"
run "an embedding" 0 $E embed import --db "$DB" --name e "$T/vec.txt"
run "a run from it" 0 $E train $base --threads 1 --reuse --embedding e
trained "from embedding e"
run "reused" 0 $E train $base --threads 1 --reuse --embedding e
reused "from embedding e" "$(runs)"
run "the embedding removed" 0 $E embed rm --db "$DB" e
run "and imported again under its name" 0 $E embed import --db "$DB" --name e "$T/vec.txt"
run "a run from the new row" 0 $E train $base --threads 1 --reuse --embedding e
trained "from the new embedding e"

# A run killed (SIGKILL) after an epoch is not finished: a rerun trains.
long="--db $DB --data $T/train.tsv --test-data $T/test.tsv --units 4 --dim 4 --epochs 150 --patience 0 --threads 1"
$E train $long --reuse >"$T/out" 2>"$T/err" &
pid=$!
k=$(runs)
if wait_rows "$DB" "SELECT count(*) FROM epochs WHERE run_id = $((k + 1))" 1 120; then ok "an epoch recorded"; else
    notok "no epoch recorded"; fi
kill -9 $pid
{ wait $pid; } 2>/dev/null
same "the killed run is not finished" "$(sql "SELECT status FROM runs WHERE id = $((k + 1))")" running
run "the rerun with --reuse" 0 $E train $long --reuse
trained "after a kill"
run "and the one after it" 0 $E train $long --reuse
reused "after a kill" "$(runs)"
exit $bad
