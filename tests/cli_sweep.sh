#!/bin/sh
# The experiment runner: a tiny sweep completes, resumes after Ctrl-C without
# redoing finished runs, shards merge into the unsharded result, plots are
# drawn, and the report's numbers are the SQL aggregates.
. "$(dirname "$0")/lib.sh"

reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
GRID="--data $T/train.tsv --test-data $T/test.tsv --dims 4,8 --cells rnn,gru --inputs random,word2vec --seeds 1
      --vocab 30 --maxlen 14 --epochs 3 --patience 0 --opt adam --lr 0.01 --threads 2"
# word2vec with one thread, so that every shard trains the very same vectors
sweep() { $E sweep $GRID "$@" --embed-options "--min-count 1 --epochs 2 --threads 1"; }

run "sweep --help" 0 $E sweep --help
for sub in runs merge report plot; do run "$sub --help" 0 $E $sub --help; done
run "unknown input kind" 2 $E sweep --db "$T/x.db" --inputs onehot,glove
run "bad shard" 2 $E sweep --db "$T/x.db" --shard 2/2
run "--dim in a sweep" 2 $E sweep --db "$T/x.db" --dim 8
run "bad value in a list" 2 $E sweep --db "$T/x.db" --units 8,zero
run "--jobs 0" 2 $E sweep --db "$T/x.db" --jobs 0
has err "embedlab: error: --jobs must be a whole number from 1 to 256 or auto, got '0'"
run "an unknown cell, refused as the run's --cell refuses it" 2 $E sweep --db "$T/x.db" --cells rnn,foo
has err "embedlab: error: --cells: unknown cell 'foo' (known: rnn, lstm, gru)$"
run "sweep --help lists the run's options and the grid's" 0 $E sweep --help
has out "^  --recurrent-dropout F "
has out "^  --jobs J|auto  "
has out "--cells LIST *each point's --cell: rnn, lstm, gru (default rnn,lstm,gru)"
has out "word2vec, word2vec-frozen, emb:NAME,"
run "a bad word2vec option, refused before anything runs" 2 $E sweep --db "$T/x.db" --embed-options "--windoww 3"
has err "bad or unknown option --windoww '3'"
run "an axis over any option of the run, --opt=LIST as getopt reads it" 0 $E sweep --db "$T/x.db" --dry-run \
    --inputs onehot --cells rnn --seeds 1 --recurrent-dropout=0,0.25 --pad pre,post
has out "A new sweep: 4 configurations, 0 finished, 4 to run"
has out "to run    cell=rnn input=onehot recurrent-dropout=0.25 pad=post seed=1"
run "a tiny sweep, --jobs auto by default" 0 sweep --db "$T/one.db"
has err "8 to run with 2 job(s) x 1 thread(s)"
same "the costliest configuration starts first" "$(grep -m1 'start' "$T/err" | grep -o 'cell=[a-z]* input=[a-z]* dim=[0-9]*')" \
    "cell=gru input=random dim=8"
same "8 configurations finished" "$(sqlite3 "$T/one.db" "SELECT count(*) FROM runs WHERE status = 'finished' AND sweep_id = 1")" 8
same "one word2vec embedding per dim" "$(sqlite3 "$T/one.db" "SELECT count(*) FROM embeddings")" 2
same "no claim on an embedding left behind" "$(sqlite3 "$T/one.db" "SELECT count(*) FROM embedding_claims")" 0
run "running it again does nothing" 0 sweep --db "$T/one.db" --jobs 2
same "still 8 runs" "$(sqlite3 "$T/one.db" "SELECT count(*) FROM runs WHERE kind = 'classifier'")" 8
grep -q "8 already finished, 0 to run" "$T/err" && ok "the rerun says so" || notok "rerun message"
run "--dry-run on the finished sweep" 0 sweep --db "$T/one.db" --dry-run
has out "This sweep: 8 configurations, 8 finished, 0 to run"
same "--dry-run lists every configuration" "$(grep -c '^finished ' "$T/out")" 8
same "--dry-run records nothing" "$(sqlite3 "$T/one.db" "SELECT count(*) FROM runs")" 8
run "--dry-run without a lab database" 0 sweep --db "$T/dry.db" --dry-run --shard 1/2
has out "A new sweep: 4 configurations of 8 (shard 1/2), 0 finished, 4 to run"
has out "(dim 8): to train first"
[ ! -e "$T/dry.db" ] && ok "--dry-run makes no lab database" || notok "--dry-run made $T/dry.db"

# Shards merged = one unsharded sweep, run for run.
run "shard 0/2" 0 sweep --db "$T/s0.db" --shard 0/2 --jobs 1
has err "sweep 1: 4 configurations of 8 (shard 0/2); 0 already finished, 4 to run with 1 job(s) x 2 thread(s)"
run "shard 1/2" 0 sweep --db "$T/s1.db" --shard 1/2 --jobs 2
run "merge" 0 $E merge "$T/merged.db" "$T/s0.db" "$T/s1.db"
q="SELECT sweep_key, printf('%.6f %.6f', test_acc, test_loss) FROM runs JOIN results ON run_id = id ORDER BY sweep_key"
same "merged shards give the unsharded runs and results" "$(sqlite3 "$T/merged.db" "$q" | md5sum)" "$(sqlite3 "$T/one.db" "$q" | md5sum)"
same "merged into one sweep" "$(sqlite3 "$T/merged.db" "SELECT count(*) FROM sweeps")" 1
run "merging a missing shard" 1 $E merge "$T/never.db" "$T/s9.db"
[ ! -e "$T/never.db" ] && [ ! -e "$T/s9.db" ] && ok "and no file is made" || notok "merge made a file"
sqlite3 "$T/foreign.db" "CREATE TABLE t(x)"
run "merging a foreign database" 1 $E merge "$T/never.db" "$T/foreign.db"
[ ! -e "$T/never.db" ] && ok "and OUT is not made" || notok "merge made OUT from a foreign input"
for c in "runs" "report" "plot sweep" "nearest --embedding x good"; do
    run "$c on a missing lab database" 1 $E $c --db "$T/none.db"
done
has err "no lab database at $T/none.db"
[ ! -e "$T/none.db" ] && ok "readers leave no empty lab database behind" || notok "a reader made $T/none.db"
run "merging a shard again adds nothing" 0 $E merge "$T/merged.db" "$T/s1.db"
grep -q "0 runs, 0 embeddings added" "$T/out" && ok "nothing added twice" || notok "a shard was added twice"

# Never more threads than --threads, however they are split into jobs (a
# parallel region of one job used to nest a second team beside the first).
# The data as an aclImdb tree, whose loader runs a parallel region of its own
# before the jobs start.
mkdir -p "$T/imdb/train/pos" "$T/imdb/train/neg" "$T/imdb/test/pos" "$T/imdb/test/neg"
awk -v d="$T/imdb" -F'\t' '{ f = d "/" (NR <= 600 ? "train" : "test") "/" ($1 ? "pos" : "neg") "/" NR "_" ($1 ? 8 : 2) ".txt"
  printf "%s", $2 > f; close(f) }' "$T/all.tsv"
BUSY="--data $T/imdb --dims 8 --cells lstm --inputs random --seeds 1,2
      --vocab 30 --maxlen 14 --epochs 15 --patience 0 --units 32"
for tj in "1 1" "2 1" "2 2" "2 auto"; do
    set -- $tj
    same "--threads $1 --jobs $2: at most $1 threads" "$(peak_threads $E sweep --db "$T/busy-$1-$2.db" $BUSY --threads $1 --jobs $2)" $1
done
# and the commands a sweep runs, on their own (embed train long enough, about a
# second, for its threads to be seen: word2vec got faster)
for t in 1 2; do
    same "train --threads $t: at most $t threads" "$(peak_threads $E train --db "$T/busy-t.db" --data "$T/imdb" \
        --vocab 30 --maxlen 14 --epochs 30 --units 32 --cell lstm --threads $t)" $t
    same "embed train --threads $t: at most $t threads" "$(peak_threads $E embed train --db "$T/busy-t.db" \
        --data "$T/imdb" --name busy$t --min-count 1 --epochs 2000 --dim 32 --threads $t)" $t
done

# Ctrl-C in the middle, then the same command resumes.
SLOW="--data $T/train.tsv --test-data $T/test.tsv --dims 8 --cells lstm --inputs random --seeds 1,2,3,4
      --vocab 30 --maxlen 14 --epochs 40 --patience 0 --units 32 --threads 1 --jobs 1"
$E sweep --db "$T/int.db" $SLOW >"$T/out" 2>"$T/err" &
pid=$!
wait_rows "$T/int.db" "SELECT count(*) FROM runs WHERE status = 'finished'" 1 30
kill -INT $pid
wait $pid
same "Ctrl-C stops the sweep with status 130" $? 130
first=$(sqlite3 "$T/int.db" "SELECT group_concat(id) FROM runs WHERE status = 'finished'")
same "the running one is marked interrupted" "$(sqlite3 "$T/int.db" "SELECT count(*) FROM runs WHERE status = 'interrupted'")" 1
run "rerun finishes the sweep" 0 $E sweep --db "$T/int.db" $SLOW
same "every point finished exactly once" "$(sqlite3 "$T/int.db" "SELECT count(*) || ' ' || count(DISTINCT sweep_key) FROM runs WHERE status = 'finished'")" "4 4"
same "finished runs were not redone" "$(sqlite3 "$T/int.db" "SELECT group_concat(id) FROM runs WHERE status = 'finished' AND id IN ($first)")" "$first"

# Plots and the report.
cd "$T"
if command -v gnuplot >/dev/null 2>&1; then
    run "plot sweep (png)" 0 $E plot sweep --db one.db
    run "plot sweep (svg)" 0 $E plot sweep 1 --db one.db --format svg
    run "plot curves" 0 $E plot curves 1 2 --db one.db --out curves.svg
    run "plot words" 0 $E plot words --db one.db --embedding "$(sqlite3 one.db "SELECT name FROM embeddings LIMIT 1")" great loved awful boring film
    run "plot lengths" 0 $E plot lengths --data train.tsv --out lengths.png
    for f in plots/sweep-1.png plots/sweep-1.svg curves.svg plots/words-*.png lengths.png plots/sweep-1.gp plots/sweep-1.dat; do
        [ -s "$f" ] && ok "$f is written" || notok "$f is missing or empty"; done
    run "plot an unknown run" 1 $E plot curves 99 --db one.db
else
    echo "# skipped: gnuplot is not installed, so the plot checks did not run"
fi
run "report" 0 $E report --db one.db --html report.html
cp "$T/out" "$T/report.md"
has out "^## Where the runs ran"
has out "^- 8 run(s) on .*OpenBLAS kernel .*embedlab [0-9a-f]"
# The report's cell for gru/random/dim 8 is avg and sample std of its runs.
want=$(sqlite3 one.db "SELECT printf('%.4f ± %.4f (%d)', avg(test_acc),
        CASE WHEN count(*) > 1 THEN sqrt((sum(test_acc * test_acc) - count(*) * avg(test_acc) * avg(test_acc)) / (count(*) - 1)) ELSE 0 END,
        count(*)) FROM run_results WHERE cell = 'gru' AND embedding = 'random' AND dim = 8 AND status = 'finished'")
got=$(grep '^| gru | random |.*± [0-9.]* ([0-9]*)' "$T/report.md" | awk -F'|' '{print $5}' | sed 's/^ *//; s/ *$//')
same "report equals the SQL aggregate" "$got" "$want"
grep -q "^- gru: " "$T/report.md" && ok "a conclusion per cell" || notok "no conclusion for gru"
[ -s report.html ] && grep -q "data:image/png;base64," report.html && ok "HTML report with the plot embedded" || notok "HTML report"
run "runs --sweep" 0 $E runs --db one.db --sweep 1
same "runs lists 8" "$(grep -c finished "$T/out")" 8
has out "adam 0.01 "

# A grid that varies another option: its values are never averaged together.
run "a sweep over --units" 0 $E sweep --db set.db --data train.tsv --test-data test.tsv --dims 8 --cells rnn \
    --inputs onehot,random --seeds 1,2 --units 4,16 --vocab 30 --maxlen 14 --epochs 3 --patience 0 --opt adam --lr 0.001
run "report of it" 0 $E report --db set.db
cp "$T/out" "$T/set.md"
for u in 4 16; do
    want=$(sqlite3 set.db "SELECT printf('%.4f ± %.4f (%d)', avg(test_acc),
            sqrt(max(sum(test_acc * test_acc) - count(*) * avg(test_acc) * avg(test_acc), 0) / (count(*) - 1)), count(*))
            FROM run_results WHERE embedding = 'random' AND input = 'embed' AND units = $u AND status = 'finished'")
    got=$(grep "^| rnn | random | units=$u |.*± [0-9.]* ([0-9]*)" "$T/set.md" | awk -F'|' '{print $5}' | sed 's/^ *//; s/ *$//')
    same "units=$u has a row of its own, equal to the SQL aggregate" "$got" "$want"
    grep -q "^- rnn (units=$u): random-8 .* one-hot" "$T/set.md" && ok "a conclusion for units=$u" || notok "no conclusion for units=$u"
    # Each input against its one-hot baseline: the points gained or lost, and
    # the cost as multiples of one-hot's, from the same runs.
    want=$(sqlite3 set.db "SELECT printf('%+.1f', 100 * (avg(CASE WHEN input = 'embed' THEN test_acc END)
            - avg(CASE WHEN input = 'onehot' THEN test_acc END))) || ' | ' ||
            printf('%.0f (%.2fx)', avg(CASE WHEN input = 'embed' THEN params END),
            avg(CASE WHEN input = 'embed' THEN params END) / avg(CASE WHEN input = 'onehot' THEN params END))
            FROM run_results WHERE units = $u AND status = 'finished'")
    got=$(grep "^| rnn | random | units=$u | 8 | [+-]" "$T/set.md" | awk -F'|' '{ sub(/ ±.*/, "", $6); print $6 "|" $7 }' |
        sed 's/^ *//; s/ *$//; s/ *| */ | /')
    same "units=$u against one-hot: points and parameters equal the SQL aggregates" "$got" "$want"
done
has_onehot_table=$(grep -c '^## Each input against one-hot' "$T/set.md")
same "the against-one-hot table is written once" "$has_onehot_table" 1
same "settings in numeric order (units=4 before units=16)" \
    "$(grep -o '^| rnn | random | units=[0-9]* |.*± [0-9.]* ([0-9]*)' "$T/set.md" | grep -o 'units=[0-9]*' | tr '\n' ' ')" "units=4 units=16 "
if command -v gnuplot >/dev/null 2>&1; then
    run "plot it" 0 $E plot sweep --db set.db --out set.png
    same "one line per setting, one baseline per setting" "$(grep -c "title '.*units=" set.gp)" 4
fi
exit $bad
