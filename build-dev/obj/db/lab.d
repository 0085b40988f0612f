build-dev/obj/db/lab.o: db/lab.c db/lab.h core/common.h core/provenance.h \
 db/owner.h
db/lab.h:
core/common.h:
core/provenance.h:
db/owner.h:
