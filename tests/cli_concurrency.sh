#!/bin/sh
# Several processes on one lab database: a new lab.db opened by 8 processes
# at once; two identical sweeps started together, and two resuming a killed
# sweep, run every grid point exactly once in one sweep; readers work while a
# sweep writes.
. "$(dirname "$0")/lib.sh"

reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"

# waitall PID...: waits for each; $failed is how many exited with a status other than 0.
waitall() {
    failed=0
    for wa_pid in "$@"; do wait "$wa_pid" || failed=$((failed + 1)); done
}
# sql DB QUERY: sqlite3 that waits for the lab's writers rather than failing "locked".
sql() { sqlite3 -cmd ".timeout 30000" "$@"; }

# 1. The first open of a new lab.db, by 8 writers at once, 5 times.
printf '2 3\nfoo 1 2 3\nbar 4 5 6\n' >"$T/v.txt"
bad=0 opened=0
for round in 1 2 3 4 5; do
    pids=""
    for i in 1 2 3 4 5 6 7 8; do
        $E embed import --db "$T/new$round.db" --name "e$i" --format text "$T/v.txt" >/dev/null 2>"$T/imp$round-$i" &
        pids="$pids $!"
    done
    waitall $pids
    opened=$((opened + 8 - failed))
    [ "$failed" -eq 0 ] || { cat "$T"/imp$round-* | sort | uniq -c | sed 's/^/#   /'; }
    [ "$(sql "$T/new$round.db" "SELECT count(*) FROM embeddings")" = 8 ] || failed=$((failed + 1))
    [ "$failed" -eq 0 ] || bad=1
done
[ $bad -eq 0 ] && ok "8 processes making one new lab.db at once, 5 times: all 40 succeed" ||
    notok "8 processes making one new lab.db at once: $opened of 40 succeeded"
bad=0

SLOW="--data $T/train.tsv --test-data $T/test.tsv --dims 4 --cells rnn,lstm --inputs random,word2vec --seeds 1,2,3
      --vocab 30 --maxlen 14 --epochs 20 --patience 0 --units 32 --threads 1 --jobs 1"
EOPTS="--min-count 1 --epochs 300 --threads 1"
# (the sweeps are started as $E itself, not through a shell function, so that $! is their pid)
# exactly_once DB WHAT: one sweep, whose 12 points each have exactly one finished run.
exactly_once() {
    same "$2: one sweep" "$(sql "$1" "SELECT count(*) FROM sweeps")" 1
    same "$2: 12 points, each finished exactly once" \
        "$(sql "$1" "SELECT count(*) || ' runs, ' || count(DISTINCT sweep_key) || ' points' FROM runs
                         WHERE status = 'finished' AND kind = 'classifier'")" "12 runs, 12 points"
}

# 2. Two identical sweeps started together on a new lab.db.
$E sweep $SLOW --embed-options "$EOPTS" --db "$T/two.db" >"$T/o1" 2>"$T/e1" &
p1=$!
$E sweep $SLOW --embed-options "$EOPTS" --db "$T/two.db" >"$T/o2" 2>"$T/e2" &
p2=$!
waitall $p1 $p2
same "two sweeps of one grid at once both succeed" $failed 0
exactly_once "$T/two.db" "two sweeps at once"
same "no run left behind" "$(sql "$T/two.db" "SELECT count(*) FROM runs WHERE status != 'finished'")" 0
same "one word2vec embedding, trained once" \
    "$(sql "$T/two.db" "SELECT count(*) FROM embeddings") $(cat "$T/e1" "$T/e2" | grep -c 'embedlab: training the word2vec')" "1 1"
echo "# sweep 1 ran $(grep -c ' done ' "$T/e1") points, sweep 2 ran $(grep -c ' done ' "$T/e2")"
run "the report counts 3 seeds per configuration" 0 $E report --db "$T/two.db"
grep -q '± .* (6)' "$T/out" && notok "the report pools 6 runs" || ok "no configuration has 6 runs"

# 3. A sweep killed with SIGKILL, resumed from two terminals at once; a
# reader (runs, report) while they write.
$E sweep $SLOW --embed-options "$EOPTS" --db "$T/kill.db" >/dev/null 2>&1 &
pk=$!
wait_rows "$T/kill.db" "SELECT count(*) FROM runs WHERE status = 'finished'" 2 15
kill -9 $pk
{ wait $pk; } 2>/dev/null
same "the sweep was killed with SIGKILL" $? 137
left=$(sql "$T/kill.db" "SELECT count(*) FROM runs WHERE status = 'running'")
run "runs after the kill" 0 $E runs --db "$T/kill.db"
same "its running run shows as lost" "$(grep -c '^ *[0-9].* lost ' "$T/out")" "$left"
same "a lost run shows '-' for its results, not 0.0000" \
    "$(awk '$1 ~ /^[0-9]+$/ && $3 == "lost" { print $(NF - 3), $(NF - 2), $(NF - 1) }' "$T/out" | sort -u)" "$([ "$left" -gt 0 ] && echo '- - -')"
$E sweep $SLOW --embed-options "$EOPTS" --db "$T/kill.db" >"$T/o1" 2>"$T/e1" &
p1=$!
$E sweep $SLOW --embed-options "$EOPTS" --db "$T/kill.db" >"$T/o2" 2>"$T/e2" &
p2=$!
readers=0 failed_readers=0
while kill -0 $p1 2>/dev/null || kill -0 $p2 2>/dev/null; do
    $E runs --db "$T/kill.db" >/dev/null 2>"$T/rerr" || { failed_readers=$((failed_readers + 1)); cat "$T/rerr"; }
    $E report --db "$T/kill.db" >/dev/null 2>"$T/rerr" || { failed_readers=$((failed_readers + 1)); cat "$T/rerr"; }
    readers=$((readers + 2))
done
waitall $p1 $p2
same "two sweeps resuming the killed one both succeed" $failed 0
exactly_once "$T/kill.db" "resumed twice at once"
same "the killed run is marked lost" "$(sql "$T/kill.db" "SELECT count(*) FROM runs WHERE status = 'lost'")" "$left"
same "no run left running" "$(sql "$T/kill.db" "SELECT count(*) FROM runs WHERE status = 'running'")" 0
same "$readers readers (runs, report) during the sweeps: none failed" $failed_readers 0
same "integrity" "$(sql "$T/kill.db" "PRAGMA integrity_check")" ok
exit $bad
