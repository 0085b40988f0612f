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
# Spearman's rho over the pairs whose two words are in the vocabulary, as
# embedlab's eval_pairs counts them (lowercased, whitespace-separated).
rho = {p: model.wv.evaluate_word_pairs(p, delimiter=None, restrict_vocab=len(model.wv),
                                       case_insensitive=True)[1][0] for p in a.pairs}
print(json.dumps({"peer": "gensim " + __import__("gensim").__version__, "seconds": seconds,
                  "words_per_sec": tokens * a.epochs / seconds, "accuracy": score, "asked": asked,
                  "vocab": len(model.wv), "pairs": rho}))
