#!/bin/sh
# A finished run's stored model from a lab.db someone else made (issue 18
# items 7 and 10): predict and eval check the models row before using it.
#   - a configuration whose model does not fit the stored parameters (units
#     4096) fails at once, naming the run: the sizes are checked before the
#     model is made, and loading does no random initialisation (the old code
#     spent over a minute in orthogonal init first);
#   - a damaged row (vocab NULL, other bytes than its hash, a format this
#     build does not read) is an error naming the run, never an answer;
#   - a row stored before models.hash existed loads as it did.
. "$(dirname "$0")/lib.sh"

reviews "$T/r.tsv"
DB="$T/lab.db"
sql() { sqlite3 "$DB" "$1"; }
run "train" 0 $E train --db "$DB" --data "$T/r.tsv" --dim 8 --units 8 --epochs 1 --vocab 50 --maxlen 12 --threads 1
run "predict" 0 $E predict --db "$DB" --run 1 "a great film, loved it"
answer=$(cat "$T/out")
same "the hash is recorded when the run finishes" "$(sql "SELECT length(hash) FROM models")" 16

# Each damage on a copy, so each is the only one.
damaged() {
    cp "$DB" "$T/bad.db"
    sqlite3 "$T/bad.db" "$1"
}
damaged "UPDATE runs SET config = json_set(config, '\$.units', 4096)"
run "predict, units 4096 against 8 units' parameters" 1 timeout 20 $E predict --db "$T/bad.db" --run 1 "a great film"
has err "embedlab: error: run 1: stored parameters have [0-9]* bytes, the model needs [0-9]*"
run "eval, the same" 1 timeout 20 $E eval --db "$T/bad.db" --run 1
has err "run 1: stored parameters have"
damaged "UPDATE runs SET config = json_set(config, '\$.units', 2000000000)"
run "predict, units 2e9 (sizes that overflow)" 1 timeout 20 $E predict --db "$T/bad.db" --run 1 "a great film"
has err "embedlab: error: run 1: "

damaged "UPDATE models SET vocab = NULL"
run "predict, models.vocab NULL" 1 $E predict --db "$T/bad.db" --run 1 "a great film, loved it"
has err "embedlab: error: run 1: its stored model is damaged (models.vocab is NULL)"
damaged "UPDATE models SET vocab = NULL, hash = NULL"
run "predict, models.vocab NULL in a row without a hash" 1 $E predict --db "$T/bad.db" --run 1 "a great film"
has err "models.vocab is NULL"
damaged "UPDATE models SET params = zeroblob(length(params))"
run "predict, parameters that do not match the hash" 1 $E predict --db "$T/bad.db" --run 1 "a great film"
has err "embedlab: error: run 1: its stored model does not match its hash"
damaged "UPDATE models SET format = 'float16-le', hash = NULL"
run "predict, an unknown format (no hash)" 1 $E predict --db "$T/bad.db" --run 1 "a great film"
has err "run 1: its parameters are stored as 'float16-le', which this build does not read"
run "eval, the same" 1 $E eval --db "$T/bad.db" --run 1
has err "stored as 'float16-le'"
damaged "UPDATE models SET hash = NULL"
run "predict, a row stored before the hash" 0 $E predict --db "$T/bad.db" --run 1 "a great film, loved it"
same "the same answer" "$(cat "$T/out")" "$answer"
exit $bad
