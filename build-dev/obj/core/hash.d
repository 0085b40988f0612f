build-dev/obj/core/hash.o: core/hash.c core/hash.h
core/hash.h:
