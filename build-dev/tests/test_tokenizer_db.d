build-dev/tests/test_tokenizer_db: tests/test_tokenizer_db.c \
 tests/fixtures.h core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h db/tokenizers.h embed/data/source.h embed/text/text.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
db/tokenizers.h:
embed/data/source.h:
embed/text/text.h:
