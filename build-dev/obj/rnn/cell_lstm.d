build-dev/obj/rnn/cell_lstm.o: rnn/cell_lstm.c core/fastmath.h \
 core/real.h rnn/cell.h
core/fastmath.h:
core/real.h:
rnn/cell.h:
