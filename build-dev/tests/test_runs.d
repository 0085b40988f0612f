build-dev/tests/test_runs: tests/test_runs.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h rnn/config.h embed/data/sequence.h rnn/train.h \
 embed/data/dataset.h embed/data/vocab.h rnn/model.h core/real.h \
 rnn/cell.h rnn/optim.h db/owner.h experiments/run/run_record.h db/runs.h \
 experiments/run/subword_input.h embed/vectors.h core/vecmath.h
tests/fixtures.h:
core/common.h:
db/lab.h:
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
rnn/config.h:
embed/data/sequence.h:
rnn/train.h:
embed/data/dataset.h:
embed/data/vocab.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/optim.h:
db/owner.h:
experiments/run/run_record.h:
db/runs.h:
experiments/run/subword_input.h:
embed/vectors.h:
core/vecmath.h:
