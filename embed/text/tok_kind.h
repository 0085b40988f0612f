/* embed/text/tok_kind.h: what a tokenizer kind implements, and the helpers kinds
 * share to fill a TokenBuf. Adding a kind: one file embed/text/tok_NAME.c that
 * defines a TokenizerKind, its extern here and one line in
 * embed/text/tokenizer.c's registry (or tokenizer_register() at start-up). */
#ifndef EL_TOK_KIND_H
#define EL_TOK_KIND_H

#include "embed/text/tokenizer.h"

#define TOK_SPEC_MAX 64

struct Tokenizer {
    const struct TokenizerKind *kind;
    char spec[TOK_SPEC_MAX]; /* canonical, written by the kind's init */
    void *state;             /* the kind's own */
};

typedef struct TokenizerKind {
    const char *name; /* the spec's first field */
    /* How a query word is put in the form of this kind's words (nearest,
     * analogy, SQL nearest()); every embedding records it
     * (embeddings.query_form), so the SQL extension needs no code of the
     * kind. TOK_QUERY_AS_GIVEN (0, left out) looks words up as given. */
    TokQueryForm query_form;
    /* Parses the options after "NAME:" (NULL when there are none) into
     * t->state and writes the canonical spec to t->spec. 0, or -1 with a
     * message on bad options. */
    int (*init)(Tokenizer *t, const char *options);
    /* Tokenizes in[0..n) into out (reset by the caller); 0 or -1 with a message. */
    int (*tokens)(const Tokenizer *t, const char *in, size_t n, TokenBuf *out);
    /* Learned kinds only (NULL for fixed ones). */
    int (*train)(Tokenizer *t, const TextIter *it);
    int (*save)(const Tokenizer *t, char **bytes, size_t *n);
    int (*load)(Tokenizer *t, const void *bytes, size_t n);
    int (*ready)(const Tokenizer *t);
    void (*free)(Tokenizer *t); /* frees t->state; NULL if there is none */
} TokenizerKind;

extern const TokenizerKind tok_words, tok_unicode, tok_chars, tok_spm;

/* Adds a kind to the registry after the built-in ones (tests/toys/ does, in
 * the test build), at start-up, before any thread or tokenizer_names().
 * 0, or -1 (the registry full, the name empty, too long, holding ':' or
 * taken, or query_form no form). */
int tokenizer_register(const TokenizerKind *kind);

/* Filling a TokenBuf. tokbuf_open starts a new token (the space before it
 * included); tokbuf_put_cp and tokbuf_put append to the open token. They
 * grow the buffer by doubling, so they allocate only while it is too small. */
void tokbuf_reset(TokenBuf *b);
void tokbuf_open(TokenBuf *b);
void tokbuf_put(TokenBuf *b, const char *s, size_t n);
void tokbuf_put_cp(TokenBuf *b, int32_t cp);
/* Makes room for n more bytes of text (the NUL included). */
void tokbuf_reserve(TokenBuf *b, size_t n);

#endif
