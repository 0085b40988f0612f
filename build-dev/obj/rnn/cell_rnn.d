build-dev/obj/rnn/cell_rnn.o: rnn/cell_rnn.c core/fastmath.h core/real.h \
 rnn/cell.h
core/fastmath.h:
core/real.h:
rnn/cell.h:
