/* fuzz/fuzz_w2v_bin.c: the word2vec binary reader on any file, and its round
 * trip through the writer (fuzz/w2v_round_trip.h). */
#include "fuzz/scratch.h" /* first: it defines _GNU_SOURCE for memfd_create and nftw */

#include "fuzz/w2v_round_trip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return w2v_round_trip(data, size, 1); }
