build-dev/obj/core/vecmath.o: core/vecmath.c core/vecmath.h
core/vecmath.h:
