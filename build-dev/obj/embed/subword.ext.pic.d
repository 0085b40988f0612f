build-dev/obj/embed/subword.ext.pic.o: embed/subword.c embed/subword.h
embed/subword.h:
