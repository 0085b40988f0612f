build-dev/obj/embed/subword_table.o: embed/subword_table.c \
 embed/subword.h core/common.h
embed/subword.h:
core/common.h:
