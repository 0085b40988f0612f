build-dev/obj/core/vecmath.ext.pic.o: core/vecmath.c core/vecmath.h
core/vecmath.h:
