/* embed/text/tokenizer.c: the tokenizer registry, the public calls that route to
 * a kind, and the TokenBuf helpers. */
#include "embed/text/tokenizer.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/common.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"

enum { MAX_KINDS = 16 };

/* The registry: one line per built-in kind; tokenizer_register() adds more
 * at start-up. */
static const TokenizerKind *registry[MAX_KINDS] = {&tok_words, &tok_unicode, &tok_chars, &tok_spm};
static size_t nkinds = 4;

/* The kind named spec[0..n), or NULL. */
static const TokenizerKind *find_kind(const char *spec, size_t n) {
    for (size_t i = 0; i < nkinds; i++)
        if (strlen(registry[i]->name) == n && memcmp(registry[i]->name, spec, n) == 0)
            return registry[i];
    return NULL;
}

int tokenizer_register(const TokenizerKind *kind) {
    size_t n = kind->name ? strlen(kind->name) : 0;
    /* A name fits a spec with room for options, and has no ':' (the spec's
     * separator); the form is one an embedding can record. */
    if (nkinds == MAX_KINDS || n == 0 || n > TOK_SPEC_MAX / 2 || strchr(kind->name, ':') || find_kind(kind->name, n) ||
        !tok_query_form_name(kind->query_form) || !kind->init || !kind->tokens)
        return -1;
    registry[nkinds++] = kind;
    return 0;
}

/* "words, unicode, ...": the registry's names, joined once (pthread_once:
 * a sweep's threads may name them in messages at the same time; kinds are
 * registered before). */
static char names[MAX_KINDS * (TOK_SPEC_MAX + 2)];

static void join_names(void) {
    for (size_t i = 0; i < nkinds; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "", registry[i]->name);
}

const char *tokenizer_names(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, join_names);
    return names;
}

const char *tokenizer_kind_name(size_t i) { return i < nkinds ? registry[i]->name : NULL; }

int tokenizer_new(const char *spec, Tokenizer **out) {
    *out = NULL;
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    const TokenizerKind *k = find_kind(spec, n);
    if (!k)
        return el_fail("unknown tokenizer '%s' (known: %s)", spec, tokenizer_names());
    Tokenizer *t = xcalloc(1, sizeof *t);
    t->kind = k;
    if (k->init(t, colon ? colon + 1 : NULL) != 0) {
        tokenizer_free(t);
        return -1;
    }
    *out = t;
    return 0;
}

const Tokenizer *tokenizer_words(void) {
    static const Tokenizer words = {.kind = &tok_words, .spec = "words"};
    return &words;
}

void tokenizer_free(Tokenizer *t) {
    if (!t)
        return;
    if (t->kind->free)
        t->kind->free(t);
    free(t);
}

const char *tokenizer_spec(const Tokenizer *t) { return t->spec; }

TokQueryForm tokenizer_query_form(const Tokenizer *t) { return t->kind->query_form; }

int tokenizer_learned(const Tokenizer *t) { return t->kind->train != NULL; }

int tokenizer_ready(const Tokenizer *t) { return !t->kind->ready || t->kind->ready(t); }

int tokenizer_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    tokbuf_reset(out);
    if (!tokenizer_ready(t))
        return el_fail("tokenizer %s is not trained yet", t->spec);
    return t->kind->tokens(t, in, n, out);
}

int tokenizer_train(Tokenizer *t, const TextIter *it) {
    if (!t->kind->train)
        return el_fail("tokenizer %s learns nothing: there is nothing to train", t->spec);
    return t->kind->train(t, it);
}

int tokenizer_save(const Tokenizer *t, char **bytes, size_t *n) {
    if (!t->kind->save) {
        *bytes = xmalloc(1);
        *n = 0;
        return 0;
    }
    if (!tokenizer_ready(t))
        return el_fail("tokenizer %s is not trained yet: no model to save", t->spec);
    return t->kind->save(t, bytes, n);
}

int tokenizer_load(Tokenizer *t, const void *bytes, size_t n) {
    if (!t->kind->load)
        return n == 0 ? 0 : el_fail("tokenizer %s has no model, yet %zu bytes were given", t->spec, n);
    return t->kind->load(t, bytes, n);
}

/* ---- TokenBuf ---- */

void tokbuf_init(TokenBuf *b) { memset(b, 0, sizeof *b); }

void tokbuf_free(TokenBuf *b) {
    free(b->text);
    free(b->cps);
    free(b->bytes);
    tokbuf_init(b);
}

void tokbuf_reserve(TokenBuf *b, size_t n) {
    if (b->len + n <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
        cap *= 2;
    b->text = xrealloc(b->text, cap);
    b->cap = cap;
}

void tokbuf_reset(TokenBuf *b) {
    tokbuf_reserve(b, 1);
    b->len = 0;
    b->ntokens = 0;
    b->invalid = 0;
    b->text[0] = 0;
}

void tokbuf_open(TokenBuf *b) {
    if (b->ntokens++ > 0) {
        tokbuf_reserve(b, 2);
        b->text[b->len++] = ' ';
        b->text[b->len] = 0;
    }
}

void tokbuf_put(TokenBuf *b, const char *s, size_t n) {
    tokbuf_reserve(b, n + 1);
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = 0;
}

void tokbuf_put_cp(TokenBuf *b, int32_t cp) {
    tokbuf_reserve(b, 5);
    b->len += (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)b->text + b->len);
    b->text[b->len] = 0;
}
