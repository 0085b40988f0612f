/* tests/toys/toys_main.c: the test build of embedlab
 * (build/tests/embedlab-toys): the toys registered, then the CLI as it is. */
#include <stdio.h>

#include "cli/cli.h"
#include "tests/toys/toys.h"

int toys_register(void) {
    if (cell_register(&cell_toy) != 0 || trainer_register(&trainer_toy) != 0 || tokenizer_register(&tok_toy) != 0)
        return -1;
    return 0;
}

int main(int argc, char **argv) {
    if (toys_register() != 0) {
        fprintf(stderr, "embedlab: error: a registry refused a toy\n");
        return 1;
    }
    return embedlab_main(argc, argv);
}
