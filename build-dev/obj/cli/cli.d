build-dev/obj/cli/cli.o: cli/cli.c cli/cli.h core/options.h \
 db/index/ann.h core/vecmath.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h embed/vectors.h embed/subword.h \
 experiments/run/saved_run.h embed/data/dataset.h embed/data/vocab.h \
 experiments/run/subword_run.h experiments/run/subword_input.h \
 rnn/model.h core/real.h rnn/cell.h rnn/train.h rnn/optim.h core/common.h \
 core/progress.h db/embeddings.h db/lab.h embed/data/source.h
cli/cli.h:
core/options.h:
db/index/ann.h:
core/vecmath.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/vectors.h:
embed/subword.h:
experiments/run/saved_run.h:
embed/data/dataset.h:
embed/data/vocab.h:
experiments/run/subword_run.h:
experiments/run/subword_input.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
core/common.h:
core/progress.h:
db/embeddings.h:
db/lab.h:
embed/data/source.h:
