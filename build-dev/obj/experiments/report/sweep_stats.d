build-dev/obj/experiments/report/sweep_stats.o: \
 experiments/report/sweep_stats.c experiments/report/sweep_stats.h \
 core/common.h db/lab.h experiments/run/input_kind.h rnn/train.h \
 embed/data/dataset.h embed/data/vocab.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h rnn/model.h core/real.h \
 rnn/cell.h rnn/optim.h
experiments/report/sweep_stats.h:
core/common.h:
db/lab.h:
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
