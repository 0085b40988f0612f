build-dev/tests/test_ann: tests/test_ann.c tests/fixtures.h core/common.h \
 db/lab.h embed/word2vec.h core/options.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h embed/subword.h db/index/ann.h \
 core/vecmath.h experiments/bench/clustered.h core/rng.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
db/index/ann.h:
core/vecmath.h:
experiments/bench/clustered.h:
core/rng.h:
