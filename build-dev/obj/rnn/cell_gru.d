build-dev/obj/rnn/cell_gru.o: rnn/cell_gru.c core/fastmath.h core/real.h \
 rnn/cell.h
core/fastmath.h:
core/real.h:
rnn/cell.h:
