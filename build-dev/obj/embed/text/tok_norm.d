build-dev/obj/embed/text/tok_norm.o: embed/text/tok_norm.c \
 embed/text/tok_norm.h embed/text/tokenizer.h embed/text/text.h
embed/text/tok_norm.h:
embed/text/tokenizer.h:
embed/text/text.h:
