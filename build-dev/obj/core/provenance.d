build-dev/obj/core/provenance.o: core/provenance.c core/provenance.h \
 /usr/include/x86_64-linux-gnu/openblas-openmp/cblas.h \
 /usr/include/x86_64-linux-gnu/openblas-openmp/openblas_config.h \
 build-dev/buildinfo.h core/common.h
core/provenance.h:
/usr/include/x86_64-linux-gnu/openblas-openmp/cblas.h:
/usr/include/x86_64-linux-gnu/openblas-openmp/openblas_config.h:
build-dev/buildinfo.h:
core/common.h:
