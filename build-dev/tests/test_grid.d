build-dev/tests/test_grid: tests/test_grid.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h experiments/sweep/grid.h experiments/run/input_kind.h \
 rnn/train.h embed/data/dataset.h embed/data/vocab.h rnn/model.h \
 core/real.h rnn/cell.h rnn/optim.h experiments/sweep/sweep.h \
 rnn/config.h embed/data/sequence.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
experiments/sweep/grid.h:
experiments/run/input_kind.h:
rnn/train.h:
embed/data/dataset.h:
embed/data/vocab.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/optim.h:
experiments/sweep/sweep.h:
rnn/config.h:
embed/data/sequence.h:
