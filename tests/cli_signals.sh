#!/bin/sh
# Ctrl-C (SIGINT) and SIGTERM stop a command that blocks or tokenizes within
# a second or two, with the interrupted exit status (130) and "interrupted" on
# stderr, leaving lab.db whole and no run left 'running':
#   train and sweep --data FIFO with no writer (blocked in open: handlers
#   installed with signal() restarted it, so both signals were ignored);
#   train on a large generated corpus, killed while reading and tokenizing it
#   (the signal used to wait for the whole corpus, 10 s and more).
# And lines are bounded (core/common.h EL_MAX_LINE): --test-data /dev/zero, a
# generated line past 64 MiB and stdin from /dev/zero fail naming the file
# and line instead of reading without end.
. "$(dirname "$0")/lib.sh"

sql() { sqlite3 -cmd ".timeout 30000" "$@"; }

# stops SIG SECS WHAT CMD...: runs CMD, waits until it blocks or works (SECS),
# sends SIG and checks that it ends within 3 s with status 130.
stops() {
    st_sig=$1 st_after=$2 st_what=$3
    shift 3
    "$@" >"$T/out" 2>"$T/err" &
    st_pid=$!
    sleep "$st_after"
    kill -"$st_sig" $st_pid
    st_i=0
    while kill -0 $st_pid 2>/dev/null && [ $st_i -lt 30 ]; do
        sleep 0.1
        st_i=$((st_i + 1))
    done
    if kill -0 $st_pid 2>/dev/null; then
        notok "$st_what: still running 3 s after SIG$st_sig"
        kill -9 $st_pid
        wait $st_pid 2>/dev/null
        return
    fi
    wait $st_pid
    same "$st_what: stops on SIG$st_sig within 3 s, exit 130" $? 130
    has err "embedlab: error: interrupted"
}

# consistent DB WHAT: integrity_check passes and no run is left running.
consistent() {
    same "$2: lab.db whole" "$(sql "$1" "PRAGMA integrity_check")" ok
    same "$2: no run left running" "$(sql "$1" "SELECT count(*) FROM runs WHERE status = 'running'")" 0
}

mkfifo "$T/fifo"
for sig in INT TERM; do
    stops $sig 1 "train --data FIFO (no writer)" $E train --db "$T/fifo.db" --data "$T/fifo" --epochs 1
    consistent "$T/fifo.db" "train --data FIFO, SIG$sig"
done

stops TERM 1 "sweep --data FIFO (no writer)" $E sweep --db "$T/fifo.db" --data "$T/fifo" --dims 8 --cells rnn \
    --inputs onehot --seeds 1 --epochs 1
consistent "$T/fifo.db" "sweep --data FIFO"

# About 60 MB of reviews: reading and tokenizing them (unicode: NFKC and
# word boundaries) takes several seconds.
awk 'BEGIN { srand(7); for (i = 0; i < 200000; i++) { line = "";
  for (k = 0; k < 30; k++) line = line "wörd" int(rand() * 5000) " "; print (i % 2) "\t" line } }' >"$T/big.tsv"
for sig in TERM INT; do
    stops $sig 1.5 "train on a large corpus, killed while tokenizing" \
        $E train --db "$T/big.db" --data "$T/big.tsv" --tokenizer unicode --epochs 1 --threads 1
    consistent "$T/big.db" "train on a large corpus, SIG$sig"
done

# Bounded lines, under a 2 GB address-space limit besides the time limit
# (reading without end would take all memory). A sanitizer build cannot start
# under ulimit -v: there only the time limit holds.
lim=2000000
ldd "$E" | grep -q libasan && lim=unlimited
reviews "$T/all.tsv"
# bounded CMD...: CMD under both limits; 124 when the time ran out.
bounded() { timeout 60 sh -c 'ulimit -v "$0" && exec "$@"' "$lim" "$@"; }
run "--test-data /dev/zero is refused" 1 bounded $E train --db "$T/z.db" --data "$T/all.tsv" \
    --test-data /dev/zero --epochs 1
has err "embedlab: error: /dev/zero:1: line longer than 64 MiB"
{
    head -3 "$T/all.tsv"
    printf '1\t'
    head -c $((64 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'a'
    echo
    tail -3 "$T/all.tsv"
} >"$T/long.tsv"
run "a line past 64 MiB is refused" 1 bounded $E train --db "$T/z.db" --data "$T/long.tsv" --epochs 1
has err "embedlab: error: $T/long.tsv:4: line longer than 64 MiB"
run "embed import of a text file without line ends" 1 bounded $E embed import --db "$T/z.db" --name z \
    --format text /dev/zero
has err "/dev/zero:1: line longer than 64 MiB"
printf '2 2\na 1 0\nb 0 1\n' >"$T/v.txt"
$E embed import --db "$T/z.db" --name v --format text "$T/v.txt" >/dev/null 2>&1 || notok "embed import v"
run "embed eval --analogies /dev/zero" 1 bounded $E embed eval --db "$T/z.db" --embedding v --analogies /dev/zero
has err "/dev/zero:1: line longer than 64 MiB"
run "embed eval --pairs /dev/zero" 1 bounded $E embed eval --db "$T/z.db" --embedding v --pairs /dev/zero
has err "/dev/zero:1: line longer than 64 MiB"
bounded_stdin() { bounded "$@" </dev/zero; }
run "data tokenize from stdin /dev/zero" 1 bounded_stdin $E data tokenize
has err "stdin:1: line longer than 64 MiB"
run "data tokenize --data /dev/zero (spm)" 1 bounded $E data tokenize --tokenizer spm --data /dev/zero x
has err "/dev/zero:1: line longer than 64 MiB"
same "no run was recorded by the refused commands" "$(sql "$T/z.db" "SELECT count(*) FROM runs")" 0
exit $bad
