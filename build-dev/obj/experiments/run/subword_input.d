build-dev/obj/experiments/run/subword_input.o: \
 experiments/run/subword_input.c experiments/run/subword_input.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/data/dataset.h embed/data/vocab.h embed/vectors.h core/vecmath.h \
 embed/subword.h rnn/model.h core/real.h rnn/cell.h core/common.h
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
core/real.h:
rnn/cell.h:
core/common.h:
