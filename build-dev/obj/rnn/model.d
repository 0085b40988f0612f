build-dev/obj/rnn/model.o: rnn/model.c rnn/model.h core/real.h rnn/cell.h \
 core/blas.h core/common.h core/fastmath.h core/rng.h
rnn/model.h:
core/real.h:
rnn/cell.h:
core/blas.h:
core/common.h:
core/fastmath.h:
core/rng.h:
