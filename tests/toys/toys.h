/* tests/toys/toys.h: extensions that exist only in the test build, each
 * added the way ARCHITECTURE.md's "How to add" says, to show that the
 * extension points are real: a cell, an embedding trainer and a tokenizer
 * kind, registered
 * at start-up by toys_register() (the test build's
 * embedlab, build/tests/embedlab-toys, calls it before the CLI runs). */
#ifndef EL_TOYS_H
#define EL_TOYS_H

#include "embed/text/tok_kind.h"
#include "embed/trainer.h"
#include "rnn/cell.h"

extern const CellType cell_toy;        /* tests/toys/cell_toy.c */
extern const EmbedTrainer trainer_toy; /* tests/toys/trainer_toy.c */
extern const TokenizerKind tok_toy;    /* tests/toys/tok_toy.c */

/* Registers every toy; 0, or -1 if a registry refused one. */
int toys_register(void);

#endif
