build-dev/obj/experiments/run/embed_job.o: experiments/run/embed_job.c \
 experiments/run/embed_job.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h embed/trainer.h core/options.h embed/vectors.h \
 core/vecmath.h embed/subword.h core/common.h db/embeddings.h
experiments/run/embed_job.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/trainer.h:
core/options.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
core/common.h:
db/embeddings.h:
