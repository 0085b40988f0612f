build-dev/tests/test_config: tests/test_config.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h experiments/run/run_record.h db/runs.h core/real.h \
 experiments/run/subword_input.h embed/data/dataset.h embed/data/vocab.h \
 embed/vectors.h core/vecmath.h rnn/model.h rnn/cell.h rnn/train.h \
 rnn/optim.h rnn/config.h embed/data/sequence.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
experiments/run/run_record.h:
db/runs.h:
core/real.h:
experiments/run/subword_input.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/vectors.h:
core/vecmath.h:
rnn/model.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
rnn/config.h:
embed/data/sequence.h:
