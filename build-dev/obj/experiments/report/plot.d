build-dev/obj/experiments/report/plot.o: experiments/report/plot.c \
 experiments/report/plot.h core/outfile.h core/common.h core/escape.h
experiments/report/plot.h:
core/outfile.h:
core/common.h:
core/escape.h:
