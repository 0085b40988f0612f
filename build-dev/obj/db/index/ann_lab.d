build-dev/obj/db/index/ann_lab.o: db/index/ann_lab.c db/index/ann_lab.h \
 db/index/ann.h core/vecmath.h embed/vectors.h embed/data/dict.h \
 embed/subword.h core/common.h core/memory.h db/index/ann_store.h \
 db/lab.h
db/index/ann_lab.h:
db/index/ann.h:
core/vecmath.h:
embed/vectors.h:
embed/data/dict.h:
embed/subword.h:
core/common.h:
core/memory.h:
db/index/ann_store.h:
db/lab.h:
