build-dev/obj/core/names.o: core/names.c core/names.h core/common.h \
 core/escape.h
core/names.h:
core/common.h:
core/escape.h:
