# experiments/recipes/members.sh: what the recipes (korean.sh, imdb.sh) share,
# sourced by them: classifiers trained or reused one by one within a time
# budget, then their soft vote. The recipe defines before sourcing:
#   E       the embedlab binary;   DB  its lab database
#   BUDGET  seconds the optional members must fit in
#   el      a function: embedlab with the options every step shares
#   NAME    the recipe's name, for its messages
# and the functions set `runs` (the members' run ids, comma-separated) and
# `last` (what the last member cost, in seconds).
start=$(date +%s)
runs=""
last=0
say() { echo "$NAME: $* ($(($(date +%s) - start)) s)" >&2; }

# have EMBEDDING: true when the lab database holds an embedding of that name.
have() { "$E" embed list --db "$DB" 2>/dev/null | grep -q "^$1 "; }

# One classifier, or the finished run that is it (--reuse); prints its last
# line ("Run N finished: ...").
classify() {
    seed=$1
    shift
    out=$(el train --reuse --seed "$seed" "$@" | tail -n 1)
    echo "$out" >&2
    echo "$out"
}

member() { # member SEED DESCRIPTION OPTIONS...: trains (or reuses) one classifier, adds its run id
    seed=$1 what=$2
    shift 2
    t0=$(date +%s)
    say "classifier: $what"
    line=$(classify "$seed" "$@")
    r=$(echo "$line" | sed -n 's/^Run \([0-9]*\) finished.*/\1/p')
    [ -n "$r" ] || { echo "embedlab: error: classifier '$what' failed" >&2; exit 1; }
    runs=${runs:+$runs,}$r
    # What it cost: the time taken now, or, when it was reused (no training
    # now), its epochs' recorded time, so that BUDGET still judges the rest.
    took=$(echo "$line" | sed -n 's/.* of \([0-9]*\), validation accuracy [0-9.]*, \([0-9.]*\) s per epoch.*/\1 \2/p' |
        awk '{ s = $1 * $2; printf "%d", s == int(s) ? s : int(s) + 1 }')
    last=$(($(date +%s) - t0))
    [ "${took:-0}" -le "$last" ] || last=$took
}

# fits COST WHAT: an optional member, when one taking COST seconds fits in what
# is left of BUDGET.
fits() { [ $(($(date +%s) - start + $1)) -le "$BUDGET" ] || { say "skipping $2: it would not end within BUDGET=$BUDGET s"; return 1; }; }

# vote [ENSEMBLE OPTIONS]: the members' soft vote; its last line is
# `test accuracy 0.XXXX`.
vote() {
    say "soft vote of runs $runs"
    v=$("$E" ensemble --db "$DB" --runs "$runs" "$@")
    echo "$v"
    echo "$v" | sed -n 's/^Ensemble of .* accuracy \([0-9.]*\)$/test accuracy \1/p'
}
