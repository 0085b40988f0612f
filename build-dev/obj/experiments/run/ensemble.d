build-dev/obj/experiments/run/ensemble.o: experiments/run/ensemble.c \
 experiments/run/ensemble.h core/common.h experiments/run/run_record.h \
 db/runs.h core/real.h experiments/run/subword_input.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/data/dataset.h embed/data/vocab.h embed/vectors.h core/vecmath.h \
 embed/subword.h rnn/model.h rnn/cell.h rnn/train.h rnn/optim.h
experiments/run/ensemble.h:
core/common.h:
experiments/run/run_record.h:
db/runs.h:
core/real.h:
experiments/run/subword_input.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
rnn/model.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
