build-dev/obj/rnn/cells.o: rnn/cells.c rnn/cell.h core/real.h
rnn/cell.h:
core/real.h:
