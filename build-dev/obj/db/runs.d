build-dev/obj/db/runs.o: db/runs.c db/runs.h core/real.h core/common.h \
 db/lab.h db/owner.h
db/runs.h:
core/real.h:
core/common.h:
db/lab.h:
db/owner.h:
