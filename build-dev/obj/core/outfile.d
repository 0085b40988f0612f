build-dev/obj/core/outfile.o: core/outfile.c core/outfile.h core/common.h
core/outfile.h:
core/common.h:
