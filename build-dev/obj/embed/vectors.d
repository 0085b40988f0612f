build-dev/obj/embed/vectors.o: embed/vectors.c embed/vectors.h \
 core/vecmath.h embed/data/dict.h embed/subword.h core/common.h \
 core/memory.h embed/text/textio.h
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
core/common.h:
core/memory.h:
embed/text/textio.h:
