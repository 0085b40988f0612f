build-dev/obj/core/progress.o: core/progress.c core/progress.h \
 core/common.h
core/progress.h:
core/common.h:
