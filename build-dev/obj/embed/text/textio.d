build-dev/obj/embed/text/textio.o: embed/text/textio.c \
 embed/text/textio.h
embed/text/textio.h:
