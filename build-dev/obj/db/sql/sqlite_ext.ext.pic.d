build-dev/obj/db/sql/sqlite_ext.ext.pic.o: db/sql/sqlite_ext.c \
 core/vecmath.h db/index/ann_store.h db/index/ann.h embed/subword.h \
 embed/text/textio.h embed/text/tok_norm.h embed/text/tokenizer.h
core/vecmath.h:
db/index/ann_store.h:
db/index/ann.h:
embed/subword.h:
embed/text/textio.h:
embed/text/tok_norm.h:
embed/text/tokenizer.h:
