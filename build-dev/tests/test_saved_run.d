build-dev/tests/test_saved_run: tests/test_saved_run.c tests/fixtures.h \
 core/common.h db/lab.h embed/word2vec.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/subword.h core/rng.h db/embeddings.h embed/vectors.h \
 core/vecmath.h experiments/run/runner.h embed/data/vocab.h \
 experiments/run/run_record.h db/runs.h core/real.h \
 experiments/run/subword_input.h embed/data/dataset.h rnn/model.h \
 rnn/cell.h rnn/train.h rnn/optim.h experiments/run/saved_run.h \
 experiments/run/subword_run.h rnn/config.h embed/data/sequence.h
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
experiments/run/runner.h:
embed/data/vocab.h:
experiments/run/run_record.h:
db/runs.h:
core/real.h:
experiments/run/subword_input.h:
embed/data/dataset.h:
rnn/model.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
experiments/run/saved_run.h:
experiments/run/subword_run.h:
rnn/config.h:
embed/data/sequence.h:
