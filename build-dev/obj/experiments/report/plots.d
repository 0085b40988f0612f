build-dev/obj/experiments/report/plots.o: experiments/report/plots.c \
 experiments/report/plots.h embed/vectors.h core/vecmath.h \
 embed/data/dict.h embed/subword.h core/common.h core/escape.h db/lab.h \
 experiments/report/plot.h core/outfile.h \
 experiments/report/sweep_stats.h
experiments/report/plots.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
core/common.h:
core/escape.h:
db/lab.h:
experiments/report/plot.h:
core/outfile.h:
experiments/report/sweep_stats.h:
