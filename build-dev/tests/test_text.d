build-dev/tests/test_text: tests/test_text.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h embed/text/text.h embed/text/textio.h
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
embed/text/text.h:
embed/text/textio.h:
