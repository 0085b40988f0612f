build-dev/obj/db/embeddings.o: db/embeddings.c db/embeddings.h \
 embed/text/tokenizer.h embed/vectors.h core/vecmath.h embed/data/dict.h \
 embed/subword.h core/common.h core/memory.h db/lab.h db/tokenizers.h
db/embeddings.h:
embed/text/tokenizer.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
core/common.h:
core/memory.h:
db/lab.h:
db/tokenizers.h:
