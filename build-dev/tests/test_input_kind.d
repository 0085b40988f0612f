build-dev/tests/test_input_kind: tests/test_input_kind.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h embed/data/source.h embed/trainer.h embed/vectors.h \
 core/vecmath.h experiments/run/input_kind.h rnn/train.h \
 embed/data/dataset.h embed/data/vocab.h rnn/model.h core/real.h \
 rnn/cell.h rnn/optim.h rnn/config.h embed/data/sequence.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
embed/data/source.h:
embed/trainer.h:
embed/vectors.h:
core/vecmath.h:
experiments/run/input_kind.h:
rnn/train.h:
embed/data/dataset.h:
embed/data/vocab.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/optim.h:
rnn/config.h:
embed/data/sequence.h:
