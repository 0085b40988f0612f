build-dev/tests/test_corpus: tests/test_corpus.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h embed/data/dataset.h embed/data/vocab.h \
 embed/data/sequence.h
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
embed/data/dataset.h:
embed/data/vocab.h:
embed/data/sequence.h:
