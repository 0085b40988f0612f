#!/bin/sh
# The Korean recipe: sentiment of Korean (or any agglutinative language's)
# reviews from a LABEL<TAB>TEXT pair, end to end with embedlab alone.
#
# Usage: experiments/recipes/korean.sh TRAIN.tsv TEST.tsv [DB]
#   DB       lab database (default: korean.db in the current folder)
#   SEED     environment: the seed of every random choice (default 1)
#   THREADS  environment: --threads for every step (default: all cores)
#   BUDGET   environment: seconds the optional classifiers must fit in (default 1080)
#
# Why this recipe. Korean glues particles and endings to words (영화가,
# 영화는, 영화를), so whitespace words are sparse: a third of test tokens fall
# outside a 20,000-word vocabulary. So the words of the `unicode` tokenizer
# (NFKC, case folding, punctuation and ㅋㅋ/ㅠㅠ split off) each get a vector
# composed fastText-style from their own row and their character 1-3-gram
# rows, pre-trained by skip-gram on TRAIN's text and then fine-tuned: a form
# never seen in training (최고였음) still gets a vector from its syllables.
# SentencePiece pieces learned from TRAIN (8,000, unigram) and single
# characters (syllables) are two more views of the same text: they cut it
# differently, so their errors differ. Each classifier reads one view
# through skip-gram vectors pre-trained on TRAIN, and the classifiers vote
# (the mean of their probabilities, `embedlab ensemble`):
#   1. a bidirectional GRU over the subword-composed words,
#   2. a bidirectional GRU over the pieces,
#   3. a bidirectional GRU over the characters,
# each with max pooling over time and dropout 0.3 on its input, then, as
# far as BUDGET allows (default 1080 s, so that the recipe ends within 20
# minutes on 2 cores for a review set the size of NSMC's):
#   4. a bidirectional LSTM over the words,
#   5. the first classifier again with another seed.
# A classifier is skipped when the time already spent plus what a similar
# one took says it would not finish within BUDGET. On a fifth of NSMC's
# training split held out, these five voted 0.876 where each alone scored
# 0.845-0.872, and where unidirectional GRUs and mean pooling added nothing.
# TRAIN alone trains the tokenizers, the embedding and the classifiers; a
# fifth of it is the validation split for early stopping (best epoch kept).
# TEST is read only to score each finished classifier, and the vote is of
# those scores' predictions. The last line is `test accuracy 0.XXXX`.
# A rerun into the same DB resumes (after a kill, Ctrl-C or a failure): the
# embeddings are looked up by name, and each classifier is trained with
# `train --reuse`, so one that finished before (the same settings, seed,
# threads, embedding row and TRAIN/TEST contents) is reported, not trained
# again. An embedding is found by its name alone: after editing TRAIN, use
# another DB (the classifiers would train again, on the old embeddings).
set -eu
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: experiments/recipes/korean.sh TRAIN.tsv TEST.tsv [DB]" >&2
    exit 2
fi
TRAIN=$1
TEST=$2
DB=${3:-korean.db}
SEED=${SEED:-1}
BUDGET=${BUDGET:-1080}
E=${EMBEDLAB:-$(dirname "$0")/../../build/embedlab}
for f in "$TRAIN" "$TEST"; do
    [ -r "$f" ] || { echo "embedlab: error: cannot read $f" >&2; exit 1; }
done
THREADS=${THREADS:-$(nproc)}
# embedlab with the options every step shares, each path one argument (a
# folder name with a space in it stays whole).
# elt N runs it on N threads.
elt() {
    n=$1
    shift
    "$E" "$@" --db "$DB" --data "$TRAIN" --test-data "$TEST" --threads "$n"
}
el() { elt "$THREADS" "$@"; }
NAME=korean.sh
# say, have, member, fits and vote: experiments/recipes/members.sh
. "$(dirname "$0")/members.sh"
# Both files read once before minutes of training (an empty or malformed TEST
# used to fail only at the first classifier); the table itself is not needed.
"$E" data stats --data "$TRAIN" --test-data "$TEST" --tokenizer unicode >/dev/null || exit 1

# The embeddings: trained once per seed, reused by a rerun. The pieces'
# embedding carries the SentencePiece model (learned from TRAIN), which the
# piece classifiers then use as it is. SentencePiece learns on one thread
# whatever --threads says (embed/text/tok_spm.c: its model must not depend
# on the thread count), which took a third of a minute while the other
# cores waited; so with 2 threads or more the pieces' embedding trains on
# one of them beside the other two embeddings, which share the rest.
emb=ko-unicode-sub13-d64-s$SEED
pieces=ko-spm8000-d64-s$SEED
chars=ko-chars-d64-s$SEED
rest=$THREADS
pid=
if ! have "$pieces"; then
    say "SentencePiece pieces learned from TRAIN, and skip-gram vectors for them"
    if [ "$THREADS" -ge 2 ]; then
        elt 1 embed train --name "$pieces" --tokenizer spm:unigram:8000 --dim 64 --min-count 2 --epochs 5 \
            --seed "$SEED" >&2 &
        pid=$!
        trap 'kill "$pid" 2>/dev/null' EXIT
        rest=$((THREADS - 1))
    else
        el embed train --name "$pieces" --tokenizer spm:unigram:8000 --dim 64 --min-count 2 --epochs 5 \
            --seed "$SEED" >&2
    fi
fi
if ! have "$emb"; then
    say "skip-gram with character 1-3-grams on TRAIN's words"
    elt "$rest" embed train --name "$emb" --tokenizer unicode --subwords 1-3 --dim 64 \
        --min-count 2 --epochs 5 --seed "$SEED" >&2
fi
if ! have "$chars"; then
    say "skip-gram vectors for TRAIN's characters"
    elt "$rest" embed train --name "$chars" --tokenizer chars --dim 64 --min-count 2 --epochs 5 \
        --seed "$SEED" >&2
fi
if [ -n "$pid" ]; then
    wait "$pid" || { echo "embedlab: error: the pieces' embedding failed" >&2; exit 1; }
    trap - EXIT
fi
fit="--units 64 --opt adam --lr 1e-3 --batch 64 --epochs 6 --patience 2 --pool max --mask --bucket 100"
bi="--cell gru --bidirectional --dropout 0.3"
words="--embedding $emb --subwords on --vocab 50000 --maxlen 40 $fit"
pcs="--embedding $pieces --vocab 9000 --maxlen 60 $fit"
chs="--embedding $chars --vocab 3000 --maxlen 120 $fit"
member "$SEED" "bidirectional GRU over subword-composed words" $words $bi
words_cost=$last
member "$((SEED + 1000))" "bidirectional GRU over SentencePiece pieces" $pcs $bi
member "$((SEED + 2000))" "bidirectional GRU over characters" $chs $bi
if fits $((2 * words_cost)) "the bidirectional LSTM over words"; then
    member "$((SEED + 3000))" "bidirectional LSTM over subword-composed words" $words --cell lstm --bidirectional \
        --dropout 0.3
fi
if fits "$words_cost" "a second bidirectional GRU over words"; then
    member "$((SEED + 4000))" "bidirectional GRU over subword-composed words, another seed" $words $bi
fi

vote
