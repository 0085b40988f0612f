/* rnn/cells.c: the cell registry and SimpleRNN activations. */
#include <string.h>

#include "rnn/cell.h"

static const CellType *const registry[] = {&cell_rnn, &cell_lstm, &cell_gru};

const CellType *cell_find(const char *name) {
    for (size_t i = 0; i < sizeof registry / sizeof *registry; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *cell_names(void) { return "rnn, lstm, gru"; }

static const char *const activations[] = {"tanh", "relu", "leaky_relu", "selu"};

int activation_find(const char *name) {
    for (int i = 0; i < 4; i++)
        if (strcmp(activations[i], name) == 0)
            return i;
    return -1;
}
