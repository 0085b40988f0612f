build-dev/obj/embed/word2vec.o: embed/word2vec.c embed/word2vec.h \
 core/options.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h embed/subword.h core/common.h core/memory.h \
 core/fastmath.h core/real.h core/vecmath.h core/progress.h core/rng.h \
 embed/data/vocab.h
embed/word2vec.h:
core/options.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/subword.h:
core/common.h:
core/memory.h:
core/fastmath.h:
core/real.h:
core/vecmath.h:
core/progress.h:
core/rng.h:
embed/data/vocab.h:
