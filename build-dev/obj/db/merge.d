build-dev/obj/db/merge.o: db/merge.c db/merge.h core/common.h \
 core/names.h db/lab.h
db/merge.h:
core/common.h:
core/names.h:
db/lab.h:
