build-dev/tests/test_fastmath: tests/test_fastmath.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/fastmath.h core/real.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
core/fastmath.h:
core/real.h:
