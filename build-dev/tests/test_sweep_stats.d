build-dev/tests/test_sweep_stats: tests/test_sweep_stats.c \
 tests/fixtures.h core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h experiments/report/sweep_stats.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
experiments/report/sweep_stats.h:
