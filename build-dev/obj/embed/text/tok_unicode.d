build-dev/obj/embed/text/tok_unicode.o: embed/text/tok_unicode.c \
 core/common.h embed/text/tok_kind.h embed/text/tokenizer.h \
 embed/text/tok_norm.h
core/common.h:
embed/text/tok_kind.h:
embed/text/tokenizer.h:
embed/text/tok_norm.h:
