build-dev/obj/db/index/ann_store.o: db/index/ann_store.c \
 db/index/ann_store.h db/index/ann.h core/vecmath.h
db/index/ann_store.h:
db/index/ann.h:
core/vecmath.h:
