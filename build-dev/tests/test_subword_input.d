build-dev/tests/test_subword_input: tests/test_subword_input.c \
 tests/fixtures.h core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h embed/data/sequence.h \
 experiments/run/subword_input.h embed/data/dataset.h embed/data/vocab.h \
 embed/vectors.h core/vecmath.h rnn/model.h core/real.h rnn/cell.h \
 rnn/config.h rnn/train.h rnn/optim.h
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
embed/data/sequence.h:
experiments/run/subword_input.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/vectors.h:
core/vecmath.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/config.h:
rnn/train.h:
rnn/optim.h:
