build-dev/obj/embed/trainer.o: embed/trainer.c embed/trainer.h \
 core/options.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h embed/vectors.h core/vecmath.h embed/subword.h \
 core/common.h
embed/trainer.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
core/common.h:
