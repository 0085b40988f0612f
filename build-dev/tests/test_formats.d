build-dev/tests/test_formats: tests/test_formats.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h embed/evaluate.h embed/vectors.h \
 core/vecmath.h embed/w2v_format.h
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
embed/evaluate.h:
embed/vectors.h:
core/vecmath.h:
embed/w2v_format.h:
