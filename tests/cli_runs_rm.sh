#!/bin/sh
# embedlab runs rm: a run goes with every row keyed by it (each table whose
# foreign key points at runs, read from the schema), other runs stay whole;
# a learned tokenizer's model goes with its last user; an unknown id or a run
# of a live process removes nothing; a lost run can go, and so can every run
# of some statuses or of a sweep; the bytes freed are said and --vacuum gives
# them back; a kill during rm leaves all or nothing; the file checks clean.
. "$(dirname "$0")/lib.sh"

reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
DB=$T/lab.db
sql() { sqlite3 -cmd ".timeout 30000" "$DB" "$1"; }
O="--db $DB --data $T/train.tsv --test-data $T/test.tsv --epochs 2 --vocab 50 --maxlen 8 --units 4 --dim 4 --threads 1"

# rows WHERE: "table=N ..." for each of them, N its rows whose run_id matches WHERE (e.g. "= 3", "> 0").
rows() {
    for tc in $tables; do printf '%s=%s ' "${tc%%:*}" "$(sql "SELECT count(*) FROM ${tc%%:*} WHERE ${tc#*:} $1")"; done
}
clean() {
    same "$1: integrity_check" "$(sql "PRAGMA integrity_check")" ok
    same "$1: foreign_key_check" "$(sql "PRAGMA foreign_key_check")" ""
}

run "train run 1" 0 $E train $O --seed 1
run "train run 2 (spm)" 0 $E train $O --seed 2 --tokenizer spm:unigram:40
run "train run 3" 0 $E train $O --seed 3
run "train run 4 (the same spm model)" 0 $E train $O --seed 4 --tokenizer spm:unigram:40
# The tables keyed by a run (a foreign key to runs), from the schema itself,
# so that a table added later is counted too.
tables=$(sql "SELECT m.name || ':' || f.\"from\" FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
              WHERE m.type = 'table' AND f.\"table\" = 'runs' ORDER BY m.name")
same "the tables keyed by a run" "$(echo $tables)" "epochs:run_id models:run_id predictions:run_id results:run_id"
same "run 1's rows" "$(rows "= 1")" "epochs=2 models=1 predictions=1 results=1 "
others=$(rows "!= 1")
run_cols() { sql "SELECT group_concat(id || status, ' ') FROM runs"; }

run "runs rm 1" 0 $E runs rm --db "$DB" 1
has out "^Removed 1 run (1) and its rows: epochs 2, results 1, models 1, predictions 1$"
has out "of $DB's pages\|No whole page of $DB was freed"
same "run 1's rows are gone from every table" "$(rows "= 1")" "epochs=0 models=0 predictions=0 results=0 "
same "its runs row is gone" "$(run_cols)" "2finished 3finished 4finished"
same "the other runs' rows are untouched" "$(rows "!= 1")" "$others"
run "ensemble of a removed run" 1 $E ensemble --db "$DB" --runs 1,3
has err "embedlab: error: run 1 is not a finished run"
run "predict with a removed run" 1 $E predict --db "$DB" --run 1 "a great film"
has err "embedlab: error: no classifier run with id 1"
run "the others still predict" 0 $E predict --db "$DB" --run 3 "a great film"
clean "after rm"

# A learned tokenizer's model goes with the last run that uses it.
same "one spm model for runs 2 and 4" "$(sql "SELECT count(*) FROM tokenizers")" 1
run "rm run 2" 0 $E runs rm --db "$DB" 2
same "the model stays while run 4 uses it" "$(sql "SELECT count(*) FROM tokenizers")" 1
run "run 4 still predicts" 0 $E predict --db "$DB" --run 4 "a great film"
run "rm run 4" 0 $E runs rm --db "$DB" 4,4
has out "^Removed 1 run (4)"
has out "^Removed its tokenizer model (spm:unigram:40), which nothing else uses$"
same "the model went with its last run" "$(sql "SELECT count(*) FROM tokenizers")" 0

# An unknown id: nothing removed, the known ones named with it included.
run "rm of a known and an unknown id" 1 $E runs rm --db "$DB" 3 99
has err "^embedlab: error: no classifier run with id 99 (see 'embedlab runs'); nothing removed$"
same "run 3 is still there" "$(run_cols)" "3finished"
run "rm --sweep of no sweep" 1 $E runs rm --db "$DB" --sweep 7
has err "no sweep with id 7"

# A run of a live process is refused; once that process is killed, the run
# is lost and can go, as can an interrupted one, by status.
$E train $O --seed 5 --epochs 100000 --patience 0 >"$T/live.out" 2>&1 &
pid=$!
wait_rows "$DB" "SELECT count(*) FROM epochs e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running'" 1 30 ||
    notok "the live run did not start"
live=$(sql "SELECT id FROM runs WHERE status = 'running'")
run "rm of a running run" 1 $E runs rm --db "$DB" "$live"
has err "^embedlab: error: run $live is running (pid $pid on $(uname -n)): stop that process first"
run "--status cannot name running" 2 $E runs rm --db "$DB" --status running
run "rm --status lost while it lives" 0 $E runs rm --db "$DB" --status lost
has out "^No runs matched: nothing removed$"
same "the live run is untouched" "$(sql "SELECT status || (SELECT count(*) > 0 FROM epochs WHERE run_id = $live) FROM runs
    WHERE id = $live")" running1
kill -9 $pid
wait $pid 2>/dev/null
$E train $O --seed 6 --epochs 100000 --patience 0 >/dev/null 2>&1 &
pid=$!
# (its own epoch, not the lost run's: a SIGINT before its handler is set is ignored, as for any background job of sh)
wait_rows "$DB" "SELECT count(*) FROM epochs e JOIN runs r ON r.id = e.run_id WHERE r.status = 'running' AND r.id > $live" \
    1 30 || notok "the run to interrupt did not start"
kill -INT $pid
wait $pid
run "runs shows the killed run lost" 0 $E runs --db "$DB"
has out "^ *$live  *- lost "
run "rm --status lost,interrupted" 0 $E runs rm --db "$DB" --status lost,interrupted
has out "^Removed 2 runs ($live, $((live + 1))) and their rows: epochs [1-9]"
same "only run 3 is left" "$(run_cols)" "3finished"
same "no rows of theirs left" "$(rows "> 3")" "epochs=0 models=0 predictions=0 results=0 "
clean "after the lost and interrupted runs went"

# A sweep's runs; a rerun of the sweep trains them again.
S="--db $DB --data $T/train.tsv --test-data $T/test.tsv --dims 4 --cells rnn,gru --inputs random --seeds 1 --vocab 30
   --maxlen 8 --epochs 2 --patience 0 --threads 1"
run "a sweep of two runs" 0 $E sweep $S
sw=$(sql "SELECT max(id) FROM sweeps")
run "rm --sweep" 0 $E runs rm --db "$DB" --sweep "$sw"
has out "^Removed 2 runs "
same "the sweep's runs are gone, run 3 stays" "$(run_cols)" "3finished"
run "the sweep again" 0 $E sweep $S
same "it trained both points again" "$(sql "SELECT count(*) FROM runs WHERE sweep_id = $sw AND status = 'finished'")" 2
run "rm --status finished --sweep" 0 $E runs rm --db "$DB" --status finished --sweep "$sw"
same "again only run 3 is left" "$(run_cols)" "3finished"

# The bytes freed, and --vacuum: an 8 MB model (a fine-tuned subword-input
# run's holds about 88 MB) is freed pages, the file keeps its size until
# --vacuum.
run "a run to fatten" 0 $E train $O --seed 7
big=$(sql "SELECT max(id) FROM runs")
sql "UPDATE models SET params = randomblob(8000000) WHERE run_id = $big"
run "rm without --vacuum" 0 $E runs rm --db "$DB" "$big"
freed=$(sed -n 's/^Freed .* (\([0-9]*\) bytes) of .*/\1/p' "$T/out")
ok_if() { if [ "$2" ]; then ok "$1"; else notok "$1"; fi; }
ok_if "it says at least the model's 8000000 bytes are freed (said: '$freed')" "$([ "${freed:-0}" -ge 8000000 ] && echo y)"
has out "the file keeps its size and later writes reuse them (--vacuum shrinks it)"
ok_if "the file kept its size: at least 8000000 bytes of free pages" \
    "$([ "$(sql "SELECT freelist_count * page_size FROM pragma_freelist_count, pragma_page_size")" -ge 8000000 ] && echo y)"
run "train again" 0 $E train $O --seed 8
big=$(sql "SELECT max(id) FROM runs")
sql "UPDATE models SET params = randomblob(8000000) WHERE run_id = $big"
run "rm --vacuum" 0 $E runs rm --db "$DB" "$big" --vacuum
has out "^Vacuumed $DB: [0-9.]* MiB -> [0-9.]* KiB$"
ok_if "the file is small again ($(wc -c <"$DB") bytes)" "$([ "$(wc -c <"$DB")" -lt 2000000 ] && echo y)"
clean "after --vacuum"

# SIGKILL during rm: every run with all its rows, or none of them.
for s in 11 12 13 14 15; do $E train $O --seed $s >/dev/null 2>&1; done
sql "UPDATE models SET params = randomblob(8000000)"
sql "VACUUM INTO '$T/five.db'"
whole=0 all=$(sql "SELECT count(*) FROM runs")
for r in 1 2 3 4 5; do
    cp "$T/five.db" "$T/k.db"
    $E runs rm --db "$T/k.db" --status finished >/dev/null 2>&1 &
    kpid=$!
    sleep "$(awk -v r=$r 'BEGIN { printf "%.3f", 0.02 + 0.01 * r * r }')" # rm takes 0.1 to 0.3 s
    kill -9 $kpid 2>/dev/null
    wait $kpid 2>/dev/null
    got=$(sqlite3 "$T/k.db" "SELECT count(*) FROM runs; SELECT count(*) FROM models; SELECT count(*) > 0 FROM epochs;
                             PRAGMA integrity_check" | tr '\n' ' ')
    case "$got" in "$all $all 1 ok " | "0 0 0 ok ") whole=$((whole + 1)) ;; *) notok "killed rm (round $r) left: $got" ;; esac
    echo "# killed rm, round $r: runs, models, epochs?, integrity: $got"
done
same "each killed rm left all or nothing" "$whole" 5

# Usage, help, and 'runs' as before.
run "runs rm without ids" 2 $E runs rm --db "$DB"
has err "give the IDs of the runs to remove, or --status LIST or --sweep ID"
run "ids and --status" 2 $E runs rm --db "$DB" 3 --status lost
run "a bad status" 2 $E runs rm --db "$DB" --status gone
run "a bad id" 2 $E runs rm --db "$DB" 3x
run "an empty id" 2 $E runs rm --db "$DB" 3,
run "runs rm --help" 0 $E runs rm --help
has out "running that sweep again trains the removed points again"
run "runs --help" 0 $E runs --help
has out "embedlab runs rm"
run "embedlab --help" 0 $E --help
has out "runs rm removes"
run "runs lists as before" 0 $E runs --db "$DB"
has out "^  run sweep status"
run "runs list" 0 $E runs list --db "$DB"
has out "^    3     - finished"
run "an unknown runs argument" 2 $E runs frobnicate --db "$DB"
exit $bad
