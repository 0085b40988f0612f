/* embed/w2v_format.h: word2vec's own file formats, the ones gensim's
 * KeyedVectors.load_word2vec_format reads and save_word2vec_format writes.
 *
 *   text    "WORDS DIMS\n", then "word v1 v2 ... vDIMS\n" per word
 *   binary  "WORDS DIMS\n", then per word: the word, a space, DIMS float32
 *           (little-endian), and a newline
 *
 * Reading checks everything and names the line (text) or byte offset
 * (binary) of the first problem; nothing is trusted from the header beyond
 * what the file then proves. Writing goes to a temporary file renamed into
 * place, so a failed export never leaves half a file. */
#ifndef EL_W2V_FORMAT_H
#define EL_W2V_FORMAT_H

#include "embed/vectors.h"

int w2v_read(const char *path, int binary, Embedding *e);
int w2v_write(const char *path, int binary, const Embedding *e);

#endif
