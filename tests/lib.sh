# tests/lib.sh: what the command-line tests share. Source it first; it sets
#   E     the embedlab binary (absolute path; $EMBEDLAB overrides)
#   T     a scratch folder, removed on exit
# and prints TAP-like lines that scripts/run-tests.sh counts:
#   run WHAT STATUS CMD...   run CMD (stdout in $T/out, stderr in $T/err), expect STATUS
#   has out|err TEXT         the last run's stdout or stderr matches TEXT (grep)
#   same WHAT GOT WANT       two strings are equal
#   ok WHAT / notok WHAT     a check of the script's own
#   peak_threads CMD...      run CMD and print the most threads it had at once
#                            (sampled from /proc; a short command may be missed)
#   wait_rows DB SQL N SECS  wait until the count SQL gives in DB reaches N
# A script ends with `exit $bad`.
set -u
E=${EMBEDLAB:-build/embedlab}
E=$(cd "$(dirname "$E")" && pwd)/$(basename "$E")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
bad=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; bad=1; }
run() {
    what=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok "$what"; else
        notok "$what (exit $got, wanted $want)"
        sed 's/^/#   /' "$T/err" | tail -8
    fi
}
has() { if grep -q -- "$2" "$T/$1"; then ok "$1 says '$2'"; else notok "$1 lacks '$2'"; sed 's/^/#   /' "$T/$1" | head -20; fi; }
same() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1: '$2' != '$3'"; fi; }

# wait_rows DB SQL N SECONDS: polls DB (a missing or busy database counts 0)
# every 0.05 s until SQL's count is at least N; status 1 after SECONDS.
wait_rows() {
    wr_i=0 wr_max=$(awk -v s="$4" 'BEGIN { print int(s * 20) }')
    while [ "$(sqlite3 -cmd ".timeout 30000" "$1" "$2" 2>/dev/null || echo 0)" -lt "$3" ]; do
        [ $wr_i -ge "$wr_max" ] && return 1
        sleep 0.05
        wr_i=$((wr_i + 1))
    done
}

peak_threads() {
    "$@" >"$T/out" 2>"$T/err" &
    pt_pid=$! pt_max=0
    while kill -0 $pt_pid 2>/dev/null; do
        pt_n=$(awk '/^Threads:/ { print $2 }' /proc/$pt_pid/status 2>/dev/null || echo 0)
        [ "${pt_n:-0}" -gt $pt_max ] && pt_max=$pt_n
        sleep 0.005
    done
    wait $pt_pid || pt_max="failed($?)"
    echo $pt_max
}

# reviews FILE: 900 tiny labeled reviews (LABEL<TAB>TEXT, a fixed seed) in FILE;
# the first 600 lines serve as a train split, the last 300 as a test split.
reviews() {
    awk 'BEGIN { srand(5); split("the a film movie plot actor it was and of scene story", f, " ");
      for (i = 0; i < 900; i++) { y = int(rand() * 2); line = "";
        for (k = 0; k < 10; k++) line = line f[1 + int(rand() * 12)] " ";
        line = line (y ? (rand() < 0.5 ? "great" : "loved") : (rand() < 0.5 ? "awful" : "boring"));
        print y "\t" line } }' >"$1"
}

# ko FILE N SEED: N Korean LABEL<TAB>TEXT reviews from hand-written words
# (four subject words and a sentiment word), random under SEED, in FILE.
ko() {
    awk -v n="$2" -v seed="$3" 'BEGIN { srand(seed);
      split("영화가 영화는 영화를 배우의 연기는 감독이 음악도 스토리가 장면이 결말은", w, " ");
      split("최고다 최고입니다 재밌다 감동적이다 좋았다 ㅋㅋㅋㅋ 추천합니다", p, " ");
      split("별로다 지루하다 최악이다 실망했다 ㅠㅠ 아깝다 노잼", q, " ");
      for (i = 0; i < n; i++) { y = int(rand() * 2); line = "";
        for (k = 0; k < 4; k++) line = line w[1 + int(rand() * 10)] " ";
        line = line (y ? p[1 + int(rand() * 7)] : q[1 + int(rand() * 7)]) "!";
        print y "\t" line } }' >"$1"
}
