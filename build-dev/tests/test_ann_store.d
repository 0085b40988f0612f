build-dev/tests/test_ann_store: tests/test_ann_store.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h db/index/ann_lab.h db/index/ann.h core/vecmath.h \
 embed/vectors.h db/index/ann_store.h db/embeddings.h \
 experiments/bench/clustered.h core/rng.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
db/index/ann_lab.h:
db/index/ann.h:
core/vecmath.h:
embed/vectors.h:
db/index/ann_store.h:
db/embeddings.h:
experiments/bench/clustered.h:
core/rng.h:
