build-dev/obj/db/owner.o: db/owner.c db/owner.h
db/owner.h:
