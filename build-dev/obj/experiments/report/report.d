build-dev/obj/experiments/report/report.o: experiments/report/report.c \
 experiments/report/report.h core/common.h core/escape.h core/outfile.h \
 db/lab.h experiments/report/plots.h embed/vectors.h core/vecmath.h \
 embed/data/dict.h embed/subword.h experiments/report/sweep_stats.h
experiments/report/report.h:
core/common.h:
core/escape.h:
core/outfile.h:
db/lab.h:
experiments/report/plots.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
experiments/report/sweep_stats.h:
