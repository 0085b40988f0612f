build-dev/obj/rnn/config.o: rnn/config.c rnn/config.h core/options.h \
 embed/data/sequence.h rnn/train.h embed/data/dataset.h \
 embed/data/vocab.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h rnn/model.h core/real.h rnn/cell.h rnn/optim.h \
 core/common.h
rnn/config.h:
core/options.h:
embed/data/sequence.h:
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
