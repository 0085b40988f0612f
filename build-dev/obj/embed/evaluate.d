build-dev/obj/embed/evaluate.o: embed/evaluate.c embed/evaluate.h \
 embed/vectors.h core/vecmath.h embed/data/dict.h embed/subword.h \
 /usr/include/x86_64-linux-gnu/openblas-openmp/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-openmp/openblas_config.h \
 core/common.h
embed/evaluate.h:
embed/vectors.h:
core/vecmath.h:
embed/data/dict.h:
embed/subword.h:
/usr/include/x86_64-linux-gnu/openblas-openmp/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-openmp/openblas_config.h:
core/common.h:
