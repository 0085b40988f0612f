/* embed/text/tokenizer.h: the tokenizer seam. Every command that reads text turns
 * it into tokens through a Tokenizer, chosen by a spec string and recorded
 * (tokenizer_spec()) with each vocabulary, embedding and run.
 *
 * Kinds (one line each in embed/text/tokenizer.c's registry; ARCHITECTURE.md
 * "Tokenizers" says what each does):
 *   words            the `words` text spec of embed/text/text.c, unchanged
 *   unicode          NFKC + case folding, words from Unicode categories
 *   chars            one token per character, after the same normalisation
 *   spm[:TYPE[:N]]   a learned SentencePiece model, TYPE unigram (default) or
 *                    bpe, at most N pieces (default 8000); trained on the
 *                    training split only, then saved and loaded as bytes
 *
 * Tokens come out in a TokenBuf the caller owns and reuses: one string of
 * tokens separated by single spaces, in the shape of text_tokens()'s output,
 * so a caller that reads text_tokens() output reads any kind's. No token
 * holds a space (SentencePiece marks word starts with U+2581 instead).
 *
 * Threads: a ready Tokenizer is read-only; tokenizer_tokens() may be called
 * from many threads at once, each with its own TokenBuf. */
#ifndef EL_TOKENIZER_H
#define EL_TOKENIZER_H

#include <stddef.h>
#include <stdint.h>

typedef struct Tokenizer Tokenizer;

/* How a tokenizer kind's words are normalised, as a query must be too. A
 * kind declares its form (TokenizerKind.query_form, embed/text/tok_kind.h);
 * an embedding records it by name in embeddings.query_form (schema 10), so
 * the SQL extension, which cannot link the registry (it links
 * SentencePiece), reads it from the row. */
typedef enum {
    TOK_QUERY_AS_GIVEN, /* "given": the word as given */
    TOK_QUERY_WORDS,    /* "words": the words spec's (embed/text/text.c) */
    TOK_QUERY_UNICODE,  /* "unicode": tok_normalize's */
    TOK_QUERY_FORMS     /* how many there are */
} TokQueryForm;

/* One text's tokens and the working memory that made them. Zero it (or
 * tokbuf_init()) before the first use, tokbuf_free() after the last; in
 * between it grows as needed and is reused, so tokenizing allocates nothing
 * once the buffers are big enough. */
typedef struct {
    char *text;     /* the tokens, single spaces between, NUL-terminated */
    size_t len;     /* strlen(text) */
    size_t ntokens; /* how many tokens text holds */
    size_t invalid; /* invalid UTF-8 sequences met in the last text (see tokenizer_tokens) */
    /* Private to the kinds. */
    size_t cap;
    int32_t *cps; /* code points */
    size_t cps_len, cps_cap;
    char *bytes; /* bytes: cleaned input, or a kind's intermediate text */
    size_t bytes_cap;
} TokenBuf;

void tokbuf_init(TokenBuf *b);
void tokbuf_free(TokenBuf *b);

/* The texts a learned kind trains on: next() sets *text and *n to the next
 * text (valid until the following call) and returns 1, or returns 0 at the
 * end. */
typedef struct {
    int (*next)(void *ctx, const char **text, size_t *n);
    void *ctx;
} TextIter;

/* Makes a tokenizer from spec ("words", "unicode", "chars", "spm",
 * "spm:bpe:16000", ...). Returns 0 and *out, or -1 with a message
 * (el_error()) naming the known kinds. A learned kind is not ready until
 * tokenizer_train() or tokenizer_load(). */
int tokenizer_new(const char *spec, Tokenizer **out);
void tokenizer_free(Tokenizer *t);

/* The words kind, shared and never freed: what a text becomes when no
 * tokenizer is named (a Corpus with tok NULL). */
const Tokenizer *tokenizer_words(void);

/* The canonical spec, every option spelled out ("spm" gives
 * "spm:unigram:8000"): the string to record, and to give tokenizer_new()
 * again. Two tokenizers with the same spec and (for learned kinds) the same
 * model bytes tokenize alike. */
const char *tokenizer_spec(const Tokenizer *t);

/* The kinds' names, for help and messages: "words, unicode, chars, spm". */
const char *tokenizer_names(void);

/* The name of the registry's i-th kind (0, 1, ...), NULL past the last. */
const char *tokenizer_kind_name(size_t i);

/* How a query word takes the form of this tokenizer's words (its kind's
 * TokenizerKind.query_form): what an embedding records with its spec. */
TokQueryForm tokenizer_query_form(const Tokenizer *t);

/* 1 if the kind learns a model (tokenizer_train / tokenizer_save / tokenizer_load
 * mean something), else 0. */
int tokenizer_learned(const Tokenizer *t);

/* 1 if tokenizer_tokens() may be called: always for fixed kinds, after a
 * train or a load for learned ones. */
int tokenizer_ready(const Tokenizer *t);

/* Tokenizes in[0..n) (any bytes: NULs, invalid UTF-8) into out, replacing its
 * previous contents. out->invalid counts the invalid UTF-8 sequences met,
 * each a maximal ill-formed subpart in the Unicode Standard's sense (chapter
 * 3, "U+FFFD Substitution of Maximal Subparts"); callers add them up to
 * report them. The unicode, chars and spm kinds replace each by U+FFFD,
 * which separates tokens and is never one; words keeps the bytes, as its
 * spec says. Returns 0, or -1 with a message if the tokenizer is not ready. */
int tokenizer_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out);

/* Trains a learned kind on every text of it (the training split only: what
 * the model learns must not come from the test split). Deterministic: the
 * same texts in the same order give the same model bytes, whatever
 * --threads is (el_threads() workers; see embed/text/tok_spm.c). Returns 0, or -1
 * with a message (no texts, a vocabulary size the texts cannot fill, or a
 * fixed kind). Training again replaces the model. */
int tokenizer_train(Tokenizer *t, const TextIter *it);

/* The model as bytes, to store with the vocabulary: *bytes is the caller's
 * to free(), *n its length. Fixed kinds have no model: 0 bytes (*bytes
 * still a freeable pointer). Returns 0, or -1 with a message if a learned
 * kind is not ready. */
int tokenizer_save(const Tokenizer *t, char **bytes, size_t *n);

/* Loads a model that tokenizer_save() wrote under the same spec. Fixed
 * kinds accept only 0 bytes. Returns 0, or -1 with a message on bytes that
 * are not such a model; the tokenizer is unchanged then. */
int tokenizer_load(Tokenizer *t, const void *bytes, size_t n);

#endif
