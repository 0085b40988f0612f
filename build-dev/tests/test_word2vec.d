build-dev/tests/test_word2vec: tests/test_word2vec.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h embed/vectors.h core/vecmath.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
core/rng.h:
embed/vectors.h:
core/vecmath.h:
