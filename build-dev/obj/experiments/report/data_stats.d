build-dev/obj/experiments/report/data_stats.o: \
 experiments/report/data_stats.c experiments/report/data_stats.h \
 embed/data/vocab.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h core/common.h
experiments/report/data_stats.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
core/common.h:
