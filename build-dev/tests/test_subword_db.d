build-dev/tests/test_subword_db: tests/test_subword_db.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h db/embeddings.h embed/vectors.h \
 core/vecmath.h
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
db/embeddings.h:
embed/vectors.h:
core/vecmath.h:
