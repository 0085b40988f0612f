build-dev/obj/experiments/run/subword_run.o: \
 experiments/run/subword_run.c experiments/run/subword_run.h \
 embed/vectors.h core/vecmath.h embed/data/dict.h embed/subword.h \
 experiments/run/subword_input.h embed/data/corpus.h \
 embed/text/tokenizer.h embed/data/dataset.h embed/data/vocab.h \
 rnn/model.h core/real.h rnn/cell.h core/common.h core/hash.h
experiments/run/subword_run.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
experiments/run/subword_input.h:
embed/data/corpus.h:
embed/text/tokenizer.h:
embed/data/dataset.h:
embed/data/vocab.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
core/common.h:
core/hash.h:
