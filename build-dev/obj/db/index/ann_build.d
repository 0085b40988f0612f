build-dev/obj/db/index/ann_build.o: db/index/ann_build.c core/hash.h \
 core/rng.h db/index/ann.h core/vecmath.h db/index/ann_impl.h
core/hash.h:
core/rng.h:
db/index/ann.h:
core/vecmath.h:
db/index/ann_impl.h:
