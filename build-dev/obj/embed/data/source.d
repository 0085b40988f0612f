build-dev/obj/embed/data/source.o: embed/data/source.c \
 embed/data/source.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h core/common.h
embed/data/source.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
core/common.h:
