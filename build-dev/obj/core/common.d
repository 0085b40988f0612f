build-dev/obj/core/common.o: core/common.c core/common.h
core/common.h:
