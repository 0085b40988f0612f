build-dev/obj/embed/subword.o: embed/subword.c embed/subword.h
embed/subword.h:
