build-dev/obj/embed/data/vocab.o: embed/data/vocab.c embed/data/vocab.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 core/common.h
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
core/common.h:
