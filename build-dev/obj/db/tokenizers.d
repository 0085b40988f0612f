build-dev/obj/db/tokenizers.o: db/tokenizers.c db/tokenizers.h \
 embed/text/tokenizer.h core/common.h core/hash.h db/lab.h
db/tokenizers.h:
embed/text/tokenizer.h:
core/common.h:
core/hash.h:
db/lab.h:
