build-dev/obj/embed/text/tok_spm.o: embed/text/tok_spm.c core/common.h \
 embed/text/spm.h embed/text/tok_kind.h embed/text/tokenizer.h
core/common.h:
embed/text/spm.h:
embed/text/tok_kind.h:
embed/text/tokenizer.h:
