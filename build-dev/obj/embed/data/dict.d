build-dev/obj/embed/data/dict.o: embed/data/dict.c embed/data/dict.h \
 core/common.h
embed/data/dict.h:
core/common.h:
