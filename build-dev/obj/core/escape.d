build-dev/obj/core/escape.o: core/escape.c core/escape.h core/common.h
core/escape.h:
core/common.h:
