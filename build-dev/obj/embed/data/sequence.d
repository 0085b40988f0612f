build-dev/obj/embed/data/sequence.o: embed/data/sequence.c \
 embed/data/sequence.h core/common.h core/rng.h
embed/data/sequence.h:
core/common.h:
core/rng.h:
