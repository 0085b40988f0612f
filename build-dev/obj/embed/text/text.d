build-dev/obj/embed/text/text.o: embed/text/text.c embed/text/text.h
embed/text/text.h:
