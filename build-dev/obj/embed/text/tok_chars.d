build-dev/obj/embed/text/tok_chars.o: embed/text/tok_chars.c \
 core/common.h embed/text/tok_kind.h embed/text/tokenizer.h \
 embed/text/tok_norm.h
core/common.h:
embed/text/tok_kind.h:
embed/text/tokenizer.h:
embed/text/tok_norm.h:
