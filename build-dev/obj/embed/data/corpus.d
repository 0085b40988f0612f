build-dev/obj/embed/data/corpus.o: embed/data/corpus.c \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 core/common.h embed/text/textio.h
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
core/common.h:
embed/text/textio.h:
