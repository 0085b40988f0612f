build-dev/obj/embed/text/tok_words.o: embed/text/tok_words.c \
 core/common.h embed/text/text.h embed/text/tok_kind.h \
 embed/text/tokenizer.h embed/text/tok_norm.h
core/common.h:
embed/text/text.h:
embed/text/tok_kind.h:
embed/text/tokenizer.h:
embed/text/tok_norm.h:
