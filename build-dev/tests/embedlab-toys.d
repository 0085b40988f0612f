build-dev/tests/embedlab-toys: tests/toys/trainer_toy.c core/common.h \
 core/hash.h embed/trainer.h core/options.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h embed/vectors.h core/vecmath.h \
 embed/subword.h tests/toys/toys.h rnn/cell.h core/real.h
core/common.h:
core/hash.h:
embed/trainer.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
tests/toys/toys.h:
rnn/cell.h:
core/real.h:
