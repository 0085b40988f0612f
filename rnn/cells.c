/* rnn/cells.c: the cell registry. */
#include <string.h>

#include "rnn/cell.h"

/* The built-in cells first, in a fixed order: a configuration holds a cell
 * as its index here (rnn/train.h), and records its name. */
enum { MAX_CELLS = 16 };
static const CellType *registry[MAX_CELLS] = {&cell_rnn, &cell_lstm, &cell_gru};
static int ncells = 3;

const CellType *cell_at(int i) { return i >= 0 && i < ncells ? registry[i] : NULL; }

const char *cell_name_at(int i) { return i >= 0 && i < ncells ? registry[i]->name : NULL; }

const CellType *cell_find(const char *name) {
    for (int i = 0; i < ncells; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

int cell_register(const CellType *cell) {
    if (ncells == MAX_CELLS || cell_find(cell->name) || (cell->sums_z && cell->recurrent_bias))
        return -1;
    registry[ncells++] = cell;
    return 0;
}
