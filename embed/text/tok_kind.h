/* embed/text/tok_kind.h: what a tokenizer kind implements, and the helpers kinds
 * share to fill a TokenBuf. Adding a kind: one file embed/tok_NAME.c that
 * defines a TokenizerKind, one line in embed/text/tokenizer.c's registry and
 * one at the same position in embed/text/tok_norm.c's tok_kind_forms. */
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
