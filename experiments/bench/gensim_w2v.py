"""The gensim peer for `make bench`: trains word2vec on a tokenized corpus
(one sentence per line, as `embedlab data dump` prints it) and scores the
analogy file with the same restriction. Prints one JSON line."""
import argparse
import json
import logging
import time

from gensim.models import Word2Vec

ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("--analogies", required=True)
ap.add_argument("--model", default="sg")
ap.add_argument("--loss", default="ns")
ap.add_argument("--dim", type=int, default=100)
ap.add_argument("--window", type=int, default=5)
ap.add_argument("--negative", type=int, default=5)
ap.add_argument("--sample", type=float, default=1e-4)
ap.add_argument("--epochs", type=int, default=5)
ap.add_argument("--min-count", type=int, default=5)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--restrict", type=int, default=30000)
ap.add_argument("--pairs", action="append", default=[],
                help="word-similarity file ('w1 w2 score', '#' comments), as embedlab embed eval --pairs reads")
a = ap.parse_args()
logging.disable(logging.WARNING)

with open(a.corpus, encoding="utf-8") as f:
    sentences = [line.rstrip("\n").split(" ") for line in f]
tokens = sum(len(s) for s in sentences)
sg = a.model == "sg"
model = Word2Vec(vector_size=a.dim, window=a.window, sample=a.sample, min_count=a.min_count,
                 workers=a.threads, sg=int(sg), hs=int(a.loss == "hs"),
                 negative=a.negative if a.loss == "ns" else 0,
                 alpha=0.025 if sg else 0.05, seed=a.seed)
model.build_vocab(sentences)
t0 = time.perf_counter()
model.train(sentences, total_examples=len(sentences), epochs=a.epochs)
seconds = time.perf_counter() - t0
score, sections = model.wv.evaluate_word_analogies(a.analogies, restrict_vocab=a.restrict)
total = next(s for s in sections if s["section"] == "Total accuracy")
asked = len(total["correct"]) + len(total["incorrect"])


def pairs_rho(path):
    """Spearman's rho over a pairs file read as embedlab's eval_pairs reads it
    (embed/evaluate.c): '#' starts a comment anywhere, lowercased,
    whitespace-separated 'w1 w2 score', a pair counted when both words are
    in the vocabulary; cosine similarity. Returns [rho, pairs used]."""
    from scipy.stats import spearmanr
    human, ours = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split("#", 1)[0].lower().split()
            if not fields:
                continue
            if len(fields) != 3:
                raise SystemExit(f"{path}: expected 'word1 word2 score': {line.strip()}")
            a_, b_, score = fields
            if a_ in model.wv.key_to_index and b_ in model.wv.key_to_index:
                human.append(float(score))
                ours.append(float(model.wv.similarity(a_, b_)))
    return [float(spearmanr(human, ours)[0]) if len(human) > 1 else float("nan"), len(human)]


rho = {p: pairs_rho(p) for p in a.pairs}
print(json.dumps({"peer": "gensim " + __import__("gensim").__version__, "seconds": seconds,
                  "words_per_sec": tokens * a.epochs / seconds, "accuracy": score, "asked": asked,
                  "vocab": len(model.wv), "pairs": rho}))
