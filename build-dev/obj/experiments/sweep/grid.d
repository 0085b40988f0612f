build-dev/obj/experiments/sweep/grid.o: experiments/sweep/grid.c \
 experiments/sweep/grid.h experiments/run/input_kind.h rnn/train.h \
 embed/data/dataset.h embed/data/vocab.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h rnn/model.h core/real.h \
 rnn/cell.h rnn/optim.h core/common.h embed/trainer.h core/options.h \
 embed/vectors.h core/vecmath.h embed/subword.h rnn/config.h \
 embed/data/sequence.h
experiments/sweep/grid.h:
experiments/run/input_kind.h:
rnn/train.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/optim.h:
core/common.h:
embed/trainer.h:
core/options.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
rnn/config.h:
embed/data/sequence.h:
