build-dev/obj/rnn/train.o: rnn/train.c rnn/train.h embed/data/dataset.h \
 embed/data/vocab.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h rnn/model.h core/real.h rnn/cell.h rnn/optim.h \
 core/common.h core/memory.h core/progress.h core/rng.h
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
core/memory.h:
core/progress.h:
core/rng.h:
