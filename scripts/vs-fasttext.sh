# scripts/vs-fasttext.sh: sourced by make bench's recipe sections
# (bench-korean.sh, bench-imdb.sh): for each seed a recipe and fastText
# supervised on the same split, accuracy and wall time side by side, then the
# mean and the spread (sample standard deviation) over the seeds. The script
# defines before calling vs_fasttext:
#   recipe SEED LOG   a function: runs the recipe into a fresh lab database,
#                     its output to LOG, the last line `test accuracy 0.XXXX`
#   OUT               a folder holding train.ft and test.ft (__label__L TEXT)
#   FT_OPTS, T, SEEDS fastText's options, the threads, the seeds
vs_fasttext() {
    printf '%-5s %12s %10s %12s %10s\n' seed "embedlab" "time" "fastText" "time"
    rm -f "$OUT/rows"
    for seed in $SEEDS; do
        t0=$(date +%s.%N)
        recipe "$seed" "$OUT/recipe-s$seed.log" ||
            { echo "embedlab: error: the recipe failed (see $OUT/recipe-s$seed.log)" >&2; exit 1; }
        t1=$(date +%s.%N)
        ours=$(tail -n 1 "$OUT/recipe-s$seed.log" | sed -n 's/^test accuracy \([0-9.]*\)$/\1/p')
        # shellcheck disable=SC2086 # FT_OPTS is a list of options
        fasttext supervised -input "$OUT/train.ft" -output "$OUT/ft-s$seed" $FT_OPTS -thread "$T" -seed "$seed" \
            -verbose 0
        t2=$(date +%s.%N)
        # Its accuracy from its predictions, to four digits (`fasttext test`
        # prints three).
        fasttext predict "$OUT/ft-s$seed.bin" "$OUT/test.ft" >"$OUT/ft-pred"
        ft=$(cut -d' ' -f1 "$OUT/test.ft" | paste -d' ' "$OUT/ft-pred" - |
            awk '{ n++; c += $1 == $2 } END { printf "%.4f", n ? c / n : 0 }')
        rm -f "$OUT/ft-pred"
        rm -f "$OUT/ft-s$seed.bin" "$OUT/ft-s$seed.vec"
        awk -v s="$seed" -v a="$ours" -v ta="$t0" -v tb="$t1" -v f="$ft" -v tc="$t2" 'BEGIN {
            printf "%-5s %12.4f %9.0fs %12.4f %9.0fs\n", s, a, tb - ta, f, tc - tb }' | tee -a "$OUT/rows"
    done
    awk '{ n++; a += $2; aa += $2 * $2; f += $4; ff += $4 * $4; ta += $3; tf += $5 }
        END { ma = a / n; mf = f / n
              sa = n > 1 ? sqrt((aa - n * ma * ma) / (n - 1)) : 0; sf = n > 1 ? sqrt((ff - n * mf * mf) / (n - 1)) : 0
              printf "mean  %7.4f±%.4f %9.0fs %7.4f±%.4f %9.0fs\n", ma, sa, ta / n, mf, sf, tf / n
              printf "embedlab - fastText: %+.2f points of accuracy; embedlab takes %.0fx fastText'"'"'s time\n",
                     100 * (ma - mf), ta / tf }' "$OUT/rows"
    echo
}
