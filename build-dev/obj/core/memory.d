build-dev/obj/core/memory.o: core/memory.c core/memory.h core/common.h
core/memory.h:
core/common.h:
