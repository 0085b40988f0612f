build-dev/obj/rnn/optim.o: rnn/optim.c rnn/optim.h core/real.h \
 core/common.h
rnn/optim.h:
core/real.h:
core/common.h:
