#!/bin/sh
# The Korean recipe: sentiment of Korean (or any agglutinative language's)
# reviews from a LABEL<TAB>TEXT pair, end to end with embedlab alone.
#
# Usage: experiments/korean.sh TRAIN.tsv TEST.tsv [DB]
#   DB       lab database (default: korean.db in the current folder)
#   SEED     environment: the seed of every random choice (default 1)
#   THREADS  environment: --threads for every step (default: all cores)
#
# Why this recipe. Korean glues particles and endings to words (영화가,
# 영화는, 영화를), so whitespace words are sparse: a third of test tokens fall
# outside a 20,000-word vocabulary. Three classifiers see the text in three
# ways, and vote:
#   1. words of the `unicode` tokenizer (NFKC, case folding, punctuation and
#      ㅋㅋ/ㅠㅠ split off), each word's vector composed fastText-style from its
#      own row and its character 1-3-gram rows, pre-trained by skip-gram on
#      TRAIN's text and fine-tuned: a form never seen in training (최고였음)
#      still gets a vector from its syllables. A GRU reads the words; max
#      pooling over time feeds the head.
#   2. the same with another seed and mean pooling (a second opinion that
#      errs differently).
#   3. SentencePiece unigram pieces (8,000) learned from TRAIN, a GRU over
#      the pieces with max pooling.
# The vote is the mean of the three probabilities (`embedlab ensemble`).
#
# TRAIN alone trains the tokenizers, the embedding and the classifiers; a
# fifth of it is the validation split for early stopping (best epoch kept).
# TEST is read only to score each finished classifier, and the vote is of
# those scores' predictions. The last line is `test accuracy 0.XXXX`.
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: experiments/korean.sh TRAIN.tsv TEST.tsv [DB]" >&2
    exit 2
fi
TRAIN=$1
TEST=$2
DB=${3:-korean.db}
SEED=${SEED:-1}
E=${EMBEDLAB:-$(dirname "$0")/../build/embedlab}
for f in "$TRAIN" "$TEST"; do
    [ -r "$f" ] || { echo "embedlab: error: cannot read $f" >&2; exit 1; }
done
THREADS=${THREADS:-$(nproc)}
common="--db $DB --data $TRAIN --test-data $TEST --threads $THREADS"
start=$(date +%s)
say() { echo "korean.sh: $* ($(($(date +%s) - start)) s)" >&2; }

# The subword embedding: trained once per seed, reused by a rerun.
emb=ko-unicode-sub13-d64-s$SEED
if ! $E embed list --db "$DB" 2>/dev/null | grep -q "^$emb "; then
    say "skip-gram with character 1-3-grams on TRAIN's words"
    $E embed train $common --name "$emb" --tokenizer unicode --subwords 1-3 --dim 64 \
        --min-count 2 --epochs 5 --seed "$SEED" >&2
fi

# One classifier; prints its run id.
classify() {
    seed=$1
    shift
    out=$($E train $common --seed "$seed" "$@" | tail -n 1)
    echo "$out" >&2
    echo "$out" | sed -n 's/^Run \([0-9]*\) finished.*/\1/p'
}
fit="--cell gru --units 64 --maxlen 40 --opt adam --lr 1e-3 --batch 64 --epochs 5 --patience 1 --dropout 0.2"
say "classifier 1: GRU over subword-composed words, max pooling"
r1=$(classify "$SEED" --embedding "$emb" --vocab 50000 --pool max $fit)
say "classifier 2: the same, another seed, mean pooling"
r2=$(classify "$((SEED + 1000))" --embedding "$emb" --vocab 50000 --pool mean $fit)
say "classifier 3: GRU over SentencePiece pieces learned from TRAIN"
r3=$(classify "$SEED" --tokenizer spm:unigram:8000 --dim 64 --vocab 9000 --maxlen 60 --pool max $fit)
[ -n "$r1" ] && [ -n "$r2" ] && [ -n "$r3" ] || { echo "embedlab: error: a classifier failed" >&2; exit 1; }

say "soft vote of runs $r1, $r2, $r3"
vote=$($E ensemble --db "$DB" --runs "$r1,$r2,$r3")
echo "$vote"
echo "$vote" | sed -n 's/^Ensemble of .* accuracy \([0-9.]*\)$/test accuracy \1/p'
