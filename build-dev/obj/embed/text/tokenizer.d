build-dev/obj/embed/text/tokenizer.o: embed/text/tokenizer.c \
 embed/text/tokenizer.h core/common.h embed/text/tok_kind.h
embed/text/tokenizer.h:
core/common.h:
embed/text/tok_kind.h:
