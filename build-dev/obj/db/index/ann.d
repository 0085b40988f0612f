build-dev/obj/db/index/ann.o: db/index/ann.c db/index/ann.h \
 core/vecmath.h db/index/ann_impl.h core/hash.h core/rng.h
db/index/ann.h:
core/vecmath.h:
db/index/ann_impl.h:
core/hash.h:
core/rng.h:
