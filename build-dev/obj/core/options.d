build-dev/obj/core/options.o: core/options.c core/options.h core/common.h
core/options.h:
core/common.h:
