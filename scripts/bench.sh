#!/bin/sh
# make bench: speed and quality on the real IMDB data, side by side with the
# peers Debian packages (gensim for word2vec, PyTorch for the recurrent
# models) and sqlite-vec for nearest-word search, printed as ratios.
#
# BENCH="text w2v nearest ann rnn sweep korean imdb serve" picks sections (default: all; ann
# is nearest words at 1M and 3M x 300 against sqlite-vec and FAISS,
# scripts/bench-ann.sh, sizes from ANN_SIZES; korean is experiments/recipes/korean.sh
# against fastText, scripts/bench-korean.sh; imdb is experiments/recipes/imdb.sh
# against fastText, scripts/bench-imdb.sh; serve is embedlab serve's nearest words at
# 1,000,000 x 300 and its projector at 20,000 words, scripts/bench-serve.sh);
# BENCH_THREADS (default 2) is the thread budget given to everyone;
# BENCH_SEEDS (default "1 2 3") the word2vec seeds: the spread over them is
# printed, since one run of a threaded word2vec can mislead; BENCH_PAIRS
# (default: none) word-similarity files in `embed eval --pairs`'s format
# ('w1 w2 score', e.g. WordSim353 or SimLex-999, which this machine lacks;
# space-separated paths without spaces): Spearman's rho of both word2vecs on
# each, over the pairs each has both words of, per seed, and the difference.
set -eu
PAIRS=""
for f in ${BENCH_PAIRS:-}; do # made absolute before the cd below
    case $f in /*) ;; *) f=$PWD/$f ;; esac
    PAIRS="$PAIRS $f"
done
cd "$(dirname "$0")/.."
E=build/embedlab
OUT=bench-out
mkdir -p "$OUT"
T=${BENCH_THREADS:-2}
SECTIONS=${BENCH:-text w2v nearest ann rnn sweep korean imdb serve}
SEEDS=${BENCH_SEEDS:-1 2 3}
PY=/usr/bin/python3
QW=${EMBEDLAB_SHARED_DATA:-../shared/data}/questions-words.txt
want() { case " $SECTIONS " in *" $1 "*) return 0 ;; esac; return 1; }
json() { $PY -c "import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]])" "$1" "$2"; }
scripts/deps.sh python3-gensim python3-torch fasttext >/dev/null

echo "embedlab bench: $(nproc) cores, --threads $T, $(date -u +%Y-%m-%dT%H:%MZ)"
echo

if want text; then
    echo "== Text pipeline: read, tokenize and count all 50,000 reviews, build the vocabulary"
    best=999
    for i in 1 2 3; do
        s=$($E data stats --threads "$T" | sed -n 's/.*counted in \([0-9.]*\) s.*/\1/p')
        best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (b < a) ? b : a }')
    done
    echo "best of 3: $best s (target: well under 2 s)"
    echo
fi

if want w2v; then
    echo "== word2vec on the train split: dim 100, window 5, negative 5, sample 1e-4, 5 epochs, min-count 5, $T threads"
    $E data dump --split train >"$OUT/train.txt"
    DB=$OUT/bench.db
    rm -f "$OUT/w2v-rows.txt" "$OUT/w2v-pairs.txt"
    printf '%-6s %-5s %12s %12s %7s %10s %10s %7s\n' model seed "embedlab w/s" "gensim w/s" ratio "embedlab %" "gensim %" "diff"
    for model in sg cbow; do
        for seed in $SEEDS; do
            name=bench-$model-s$seed
            $E embed rm --db "$DB" "$name" >/dev/null 2>&1 || true
            $E embed train --db "$DB" --name "$name" --model "$model" --dim 100 --window 5 --negative 5 \
                --sample 1e-4 --epochs 5 --min-count 5 --threads "$T" --seed "$seed" >"$OUT/w2v-$model.log" 2>&1
            ours=$(sqlite3 "$DB" "SELECT printf('%.0f', words_per_sec) FROM embeddings WHERE name = '$name'")
            acc=$($E embed eval --db "$DB" --embedding "$name" --analogies "$QW" --restrict 30000 |
                awk '$1 == "total" { sub("%", "", $4); print $4 }')
            pairs_args=""
            for f in $PAIRS; do pairs_args="$pairs_args --pairs $f"; done
            g=$($PY experiments/bench/gensim_w2v.py "$OUT/train.txt" --analogies "$QW" --model "$model" \
                --threads "$T" --seed "$seed" $pairs_args)
            for f in $PAIRS; do
                ev=$($E embed eval --db "$DB" --embedding "$name" --pairs "$f") # fails the bench if eval does
                rho=$(printf '%s\n' "$ev" | sed -n 's/^Spearman rho \([-0-9.na]*\) over \([0-9]*\) .*/\1 \2/p')
                [ -n "$rho" ] || { echo "embedlab: error: no Spearman rho from embed eval --pairs $f" >&2; exit 1; }
                grho=$($PY -c "import json,sys; print(*json.loads(sys.argv[1])['pairs'][sys.argv[2]])" "$g" "$f")
                echo "$model $seed $(basename "$f") $rho $grho" >>"$OUT/w2v-pairs.txt"
            done
            gw=$(json "$g" words_per_sec)
            ga=$(json "$g" accuracy)
            awk -v m="$model" -v s="$seed" -v o="$ours" -v gw="$gw" -v a="$acc" -v ga="$ga" 'BEGIN {
                printf "%-6s %-5s %12.0f %12.0f %6.2fx %9.1f%% %9.1f%% %+6.1f\n", m, s, o, gw, o / gw, a, 100 * ga, a - 100 * ga }' |
                tee -a "$OUT/w2v-rows.txt"
        done
    done
    # Spread over seeds: mean ± sample std of the ratio and of the accuracy difference.
    awk '{ gsub("x", "", $5); n[$1]++; r[$1] += $5; rr[$1] += $5 * $5; d[$1] += $8; dd[$1] += $8 * $8 }
         END { for (m in n) { k = n[m]; mr = r[m] / k; md = d[m] / k
               sr = k > 1 ? sqrt((rr[m] - k * mr * mr) / (k - 1)) : 0; sd = k > 1 ? sqrt((dd[m] - k * md * md) / (k - 1)) : 0
               printf "%-6s over %d seed(s): speed ratio %.2f ± %.2f, accuracy difference %+.1f ± %.1f points\n", m, k, mr, sr, md, sd } }' \
        "$OUT/w2v-rows.txt"
    echo "(words/s count corpus tokens x epochs / training seconds, for both; accuracy: questions-words.txt, restrict 30000)"
    if [ -n "$PAIRS" ]; then
        echo "Word similarity, Spearman's rho over the pairs both words of which are in the vocabulary:"
        printf '%-6s %-5s %-24s %9s %6s %9s %6s %8s\n' model seed file embedlab pairs gensim pairs diff
        awk '{ printf "%-6s %-5s %-24s %9.4f %6d %9.4f %6d %+8.4f\n", $1, $2, $3, $4, $5, $6, $7, $4 - $6 }' "$OUT/w2v-pairs.txt"
        awk '{ k = $1 " " $3; n[k]++; d[k] += $4 - $6; dd[k] += ($4 - $6) ^ 2 }
             END { for (k in n) { m = d[k] / n[k]; s = n[k] > 1 ? sqrt((dd[k] - n[k] * m * m) / (n[k] - 1)) : 0
                   printf "%s over %d seed(s): rho difference %+.4f ± %.4f\n", k, n[k], m, s } }' "$OUT/w2v-pairs.txt" | sort
    else
        echo "(word similarity: set BENCH_PAIRS to WordSim353 or SimLex-999 in 'w1 w2 score' form to compare rho)"
    fi
    $E nearest --db "$DB" --embedding "bench-sg-s$(echo $SEEDS | cut -d' ' -f1)" good -k 8 | tr '\n' ' ' | sed 's/^/nearest(good): /'
    echo
    echo
fi

if want nearest; then
    echo "== Nearest words: top-10 over a synthetic 100,000 x 128 embedding"
    DB=$OUT/nearest.db
    rm -f "$DB" "$DB-wal" "$DB-shm"
    $PY experiments/bench/synthetic_vectors.py "$OUT/synth.bin" 100000 128
    $E embed import --db "$DB" --name synth --format binary "$OUT/synth.bin" >/dev/null
    cli=$(for w in w1 w10 w100 w1000 w10000; do $E nearest --db "$DB" --embedding synth "$w" --time 2>&1 >/dev/null; done |
        awk '{ s += $2; n++ } END { printf "%.2f", s / n }')
    VEC0=""
    if [ ! -f "$OUT/npm/node_modules/sqlite-vec-linux-x64/vec0.so" ] && command -v npm >/dev/null 2>&1; then
        (mkdir -p "$OUT/npm" && cd "$OUT/npm" && npm install --silent --no-save --prefix . sqlite-vec-linux-x64@0.1.9 >/dev/null 2>&1) || true
    fi
    [ -f "$OUT/npm/node_modules/sqlite-vec-linux-x64/vec0.so" ] && VEC0=$OUT/npm/node_modules/sqlite-vec-linux-x64/vec0.so
    r=$($PY experiments/bench/sql_nearest.py "$DB" synth build/embedlab_sqlite.so $VEC0)
    echo "embedlab nearest (CLI, search only, mean of 5): $cli ms"
    echo "embedlab nearest() in SQL:                      $(json "$r" embedlab_ms | cut -c1-5) ms"
    if [ -n "$VEC0" ]; then
        echo "sqlite-vec $(json "$r" sqlite_vec) vec0 KNN:                 $(json "$r" vec0_knn_ms | cut -c1-5) ms  (embedlab is $(awk -v a="$(json "$r" vec0_knn_ms)" -v b="$(json "$r" embedlab_ms)" 'BEGIN{printf "%.1f", a/b}')x faster)"
        echo "sqlite-vec vec_distance_cosine table scan:      $(json "$r" vec_scan_ms | cut -c1-5) ms  (embedlab is $(awk -v a="$(json "$r" vec_scan_ms)" -v b="$(json "$r" embedlab_ms)" 'BEGIN{printf "%.1f", a/b}')x faster)"
    else
        echo "(sqlite-vec not measured: npm could not install sqlite-vec-linux-x64)"
    fi
    echo
fi

for s in ann rnn sweep korean imdb serve; do
    if want $s && [ -x "scripts/bench-$s.sh" ]; then scripts/bench-$s.sh "$T"; fi
done
