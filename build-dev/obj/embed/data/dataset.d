build-dev/obj/embed/data/dataset.o: embed/data/dataset.c \
 embed/data/dataset.h embed/data/vocab.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h core/common.h \
 embed/data/sequence.h
embed/data/dataset.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
core/common.h:
embed/data/sequence.h:
