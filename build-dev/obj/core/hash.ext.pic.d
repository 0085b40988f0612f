build-dev/obj/core/hash.ext.pic.o: core/hash.c core/hash.h
core/hash.h:
