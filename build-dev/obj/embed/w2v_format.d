build-dev/obj/embed/w2v_format.o: embed/w2v_format.c embed/w2v_format.h \
 embed/vectors.h core/vecmath.h embed/data/dict.h embed/subword.h \
 core/common.h core/outfile.h embed/text/textio.h
embed/w2v_format.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
core/common.h:
core/outfile.h:
embed/text/textio.h:
