#!/bin/sh
# make demo: the whole study on the real IMDB data, in about ten minutes on
# two cores. Everything lands in demo/ (git-ignored): the lab database, the
# plots with their gnuplot scripts, the report.
set -eu
cd "$(dirname "$0")/.."
E=build/embedlab
D=${DEMO_DIR:-demo}
DB=$D/lab.db
mkdir -p "$D"
export EMBEDLAB_DB=$DB
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
t0=$(date +%s)
VOCAB=${DEMO_VOCAB:-5000}
MAXLEN=${DEMO_MAXLEN:-200}

step "1. The data: review counts, lengths, vocabulary (embedlab data stats)"
$E data stats --maxlen "$MAXLEN" --vocab "$VOCAB" --plot "$D/lengths.png"

step "2. Word2vec embeddings for the sweep's dims, trained once each (embedlab embed train)"
# One thread: multi-threaded word2vec (like word2vec.c and gensim) is not
# deterministic, and the demo should give the same numbers every time. An
# embedding already in the lab database is kept, so a second 'make demo'
# resumes instead of starting over.
EMBED="--model sg --window 5 --negative 5 --sample 1e-4 --epochs 3 --min-count 5 --threads 1"
for dim in 16 32 64 128; do
    if sqlite3 "$DB" "SELECT 1 FROM embeddings WHERE name = 'imdb-sg$dim'" 2>/dev/null | grep -q 1; then
        echo "imdb-sg$dim is already in $DB"
    else
        $E embed train --name "imdb-sg$dim" --dim "$dim" $EMBED
    fi
done
$E embed list

step "3. Nearest words, from the CLI (embedlab nearest) and from plain SQL"
for w in good bad boring actor; do
    printf '%s: ' "$w"
    $E nearest --embedding imdb-sg128 "$w" -k 8 | awk '{ printf "%s ", $1 } END { print "" }'
done
echo "sqlite3 $DB -cmd '.load build/embedlab_sqlite' \"SELECT word, round(similarity, 3) FROM nearest('imdb-sg128', 'good', 5);\""
sqlite3 "$DB" -cmd '.load build/embedlab_sqlite' "SELECT word, round(similarity, 3) FROM nearest('imdb-sg128', 'good', 5);"
$E analogy --embedding imdb-sg128 man actor woman -k 3
$E embed eval --embedding imdb-sg128 --analogies "${EMBEDLAB_SHARED_DATA:-../shared/data}/questions-words.txt" | tail -4 || true
$E plot words --embedding imdb-sg128 --out "$D/words.png" good great excellent bad awful terrible boring dull \
    actor actress director film movie funny scary

step "4. The sweep: dims 16..128 x rnn, lstm, gru x one-hot, word2vec x 3 seeds (embedlab sweep)"
# The sweep uses the embeddings of step 2 by name (--embeddings).
$E sweep --dims 16,32,64,128 --cells rnn,lstm,gru --inputs onehot,word2vec --seeds 1,2,3 \
    --vocab "$VOCAB" --maxlen "$MAXLEN" --units 16 --opt adam --lr 1e-3 --epochs 6 --patience 2 \
    --embeddings 'imdb-sg{dim}' --embed-options "$EMBED" --jobs 2 --name demo
SWEEP=$(sqlite3 "$DB" "SELECT max(id) FROM sweeps")

step "5. Plots (embedlab plot) and the report (embedlab report)"
$E plot sweep "$SWEEP" --out "$D/sweep.png"
RUNS=$(sqlite3 "$DB" "SELECT group_concat(run_id, ' ') FROM (SELECT run_id FROM run_results WHERE sweep_id = $SWEEP
        AND seed = 1 AND cell = 'lstm' AND (input = 'onehot' OR dim = 64) ORDER BY run_id)")
$E plot curves $RUNS --out "$D/curves.png"
$E report "$SWEEP" --html "$D/report.html" | tee "$D/report.md"

step "6. Korean reviews: words composed from their syllables (embed train --tokenizer unicode --subwords 1-3)"
# Korean glues endings to words, so a form can be missing from training;
# with subword vectors it still gets one, from its character n-grams.
# Skipped without data/nsmc-dev (scripts/data-korean.sh).
KO=data/nsmc-dev
if [ -f "$KO/train.tsv" ]; then
    if ! sqlite3 "$DB" "SELECT 1 FROM embeddings WHERE name = 'ko-sub64'" 2>/dev/null | grep -q 1; then
        $E embed train --name ko-sub64 --data "$KO/train.tsv" --tokenizer unicode --subwords 1-3 --dim 64 \
            --min-count 2 --epochs 5 --threads 1
    fi
    # 최고 (the best), 재밌다 (fun), and two forms that occur nowhere in the
    # training text: 지루했어용 (it was boring, cutesy ending), 노잼이였다 (it was no fun).
    for w in 최고 재밌다 지루했어용 노잼이였다; do
        printf '%s: ' "$w"
        grep -q "$w" "$KO/train.tsv" && seen="" || seen=" (never in the training text)"
        $E nearest --embedding ko-sub64 "$w" -k 6 2>/dev/null | awk '{ printf "%s ", $1 } END { printf "" }'
        echo "$seen"
    done
else
    echo "no $KO (scripts/data-korean.sh makes it from the shared copy): skipped"
fi

step "Done in $(( $(date +%s) - t0 )) s. Everything is in $D/:"
echo "  $DB                  the lab database (sqlite3 $DB 'SELECT * FROM run_results')"
echo "  $D/lengths.png          review-length histogram      $D/words.png     word map (PCA)"
echo "  $D/sweep.png            accuracy by embedding size   $D/curves.png    learning curves"
echo "  $D/report.md, report.html   the report                  *.gp, *.dat     gnuplot scripts and data"
echo
echo "To browse this lab live (runs, curves, sweeps, embeddings; read-only), run and open http://127.0.0.1:8400/:"
echo "  $E serve --db $DB"
