build-dev/obj/embed/trainer_word2vec.o: embed/trainer_word2vec.c \
 core/common.h embed/subword.h embed/trainer.h core/options.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 embed/vectors.h core/vecmath.h embed/word2vec.h
core/common.h:
embed/subword.h:
embed/trainer.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/vectors.h:
core/vecmath.h:
embed/word2vec.h:
