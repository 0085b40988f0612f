/* embed/data/corpus.h: labeled reviews (or plain sentences) as token ids.
 *
 * A Corpus owns one Dict shared by every document it holds, so train and
 * test reviews map the same word to the same id. Loaders:
 *   corpus_load_imdb   aclImdb/{train,test}/{neg,pos}/ID_RATING.txt, in sorted
 *                      file-name order so a seed always sees the same order
 *   corpus_load_tsv    UTF-8 lines "LABEL<TAB>TEXT", LABEL 0 or 1
 *   corpus_load_lines  UTF-8 text, one unlabeled sentence per line
 */
#ifndef EL_CORPUS_H
#define EL_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#include "embed/data/dict.h"
#include "embed/text/tokenizer.h"

enum { SPLIT_TRAIN = 0, SPLIT_TEST = 1 };
#define SPLIT_MASK(s) (1u << (s))
#define SPLITS_ALL (SPLIT_MASK(SPLIT_TRAIN) | SPLIT_MASK(SPLIT_TEST))

typedef struct {
    size_t start; /* first token in Corpus.tokens */
    uint32_t len;
    int8_t label;  /* 0 negative, 1 positive, -1 unlabeled */
    int8_t rating; /* aclImdb star rating 1..10, 0 when unknown */
    uint8_t split; /* SPLIT_TRAIN or SPLIT_TEST */
} Doc;

typedef struct {
    Dict dict;
    /* How texts become tokens: NULL is the words kind (tokenizer_words()).
     * The caller's, ready, and alive as long as loads go on. */
    const Tokenizer *tok;
    size_t invalid;  /* invalid UTF-8 sequences met in the texts loaded */
    TokenBuf buf;    /* private: the last text's tokens */
    int32_t *tokens; /* dict ids of every document, concatenated */
    size_t ntokens, tokens_cap;
    Doc *docs;
    size_t ndocs, docs_cap;
} Corpus;

void corpus_init(Corpus *c);
void corpus_free(Corpus *c);

/* Tokenizes text (with c->tok) and appends it as one document. */
/* 0, or -1 with a message if the tokenizer fails (one not ready). */
int corpus_add_text(Corpus *c, const char *text, size_t n, int label, int rating, int split);

/* Each returns 0, or -1 with a message (el_error()) and the corpus unchanged. */
int corpus_load_imdb(Corpus *c, const char *root, unsigned split_mask);
int corpus_load_tsv(Corpus *c, const char *path, int split);
int corpus_load_lines(Corpus *c, const char *path, int split);

/* The data a user names (an aclImdb folder, a LABEL<TAB>TEXT file, ...) is
 * read by its kind: embed/data/source.h's source_read. */

/* Tokens and documents of one split (mask of SPLIT_MASK bits). */
size_t corpus_count_tokens(const Corpus *c, unsigned split_mask);
size_t corpus_count_docs(const Corpus *c, unsigned split_mask);
/* Labeled documents of those splits with no tokens at all (empty reviews,
 * or only punctuation): a classifier sees them as all padding. */
size_t corpus_count_empty(const Corpus *c, unsigned split_mask);

#endif
