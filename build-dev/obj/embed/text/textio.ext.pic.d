build-dev/obj/embed/text/textio.ext.pic.o: embed/text/textio.c \
 embed/text/textio.h
embed/text/textio.h:
