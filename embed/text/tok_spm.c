/* embed/text/tok_spm.c: the `spm` kind, a learned SentencePiece model
 * (embed/text/spm.cc). Spec "spm[:TYPE[:N]]": TYPE unigram (default) or bpe, at
 * most N pieces (default 8000).
 *
 * Texts go through the unicode kind first (embed/text/tok_unicode.c), in training
 * and in tokenizing alike, and SentencePiece's own normalisation is off: so
 * the subword kinds see the same NFKC, case folding and word boundaries as
 * the unicode kind, pieces never cross a word or a punctuation mark, and
 * invalid UTF-8 is replaced and counted once, in one place. A piece that
 * starts a word carries SentencePiece's U+2581 mark ("▁영화").
 *
 * Determinism: SentencePiece's random generator gets a fixed seed, every
 * sentence is used (no sampling, no shuffling), and it trains on one thread:
 * its workers sum their floating-point statistics per thread, so two
 * threads give other model bytes than one. One thread costs little (96,000
 * Korean reviews, 8000 pieces: 44 s against 32 s on two cores) and makes the
 * model the same for any --threads; tests/test_tokenizer.c checks it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/text/spm.h"
#include "embed/text/spm_model.h"
#include "embed/text/tok_kind.h"

typedef struct {
    char type[8];
    int vocab;
    SpmModel *model; /* NULL until trained or loaded */
    char *bytes;     /* the model, serialized */
    size_t len;
} Spm;

static int spm_init(Tokenizer *t, const char *options) {
    Spm *s = xcalloc(1, sizeof *s);
    t->state = s;
    strcpy(s->type, "unigram");
    s->vocab = 8000;
    if (options) {
        const char *colon = strchr(options, ':');
        size_t n = colon ? (size_t)(colon - options) : strlen(options);
        if ((n == 7 && memcmp(options, "unigram", 7) == 0) || (n == 3 && memcmp(options, "bpe", 3) == 0)) {
            memcpy(s->type, options, n);
            s->type[n] = 0;
        } else {
            return el_fail("tokenizer spm: model type '%.*s' is neither unigram nor bpe", (int)n, options);
        }
        if (colon) {
            char *end;
            long v = strtol(colon + 1, &end, 10);
            if (colon[1] < '0' || colon[1] > '9' || *end || v < 8 || v > 1000000)
                return el_fail("tokenizer spm: vocabulary size '%s' is not a number from 8 to 1000000", colon + 1);
            s->vocab = (int)v;
        }
    }
    snprintf(t->spec, sizeof t->spec, "spm:%s:%d", s->type, s->vocab);
    return 0;
}

static void spm_state_free(Tokenizer *t) {
    Spm *s = t->state;
    if (!s)
        return;
    spm_free(s->model);
    free(s->bytes);
    free(s);
}

static int spm_is_ready(const Tokenizer *t) { return ((const Spm *)t->state)->model != NULL; }

typedef struct {
    const TextIter *it;
    TokenBuf buf;
    size_t at;  /* where the rest of buf's words starts */
    size_t fed; /* texts given to SentencePiece */
} Feed;

/* The parts of a text over SentencePiece's limit: its seed search takes
 * time in proportion to a text's length times how often the text repeats
 * itself (a 2 MB line of one sentence over and over: 4 minutes in two
 * parts of 1 MiB, 3 s in parts of 16 KiB). */
enum { SPM_PART = 16384 };

/* The next training text, through the unicode kind; empty ones skipped. A
 * text longer than SentencePiece takes (SPM_MAX_TEXT: a corpus file of one
 * line, say), which it would leave out, goes in parts of at most SPM_PART
 * bytes cut between words, which its pieces never cross anyway; a single
 * word over SPM_MAX_TEXT is left out. Texts within the limit go whole, as
 * they always did. */
static int feed_next(void *ctx, const char **s, size_t *n) {
    Feed *f = ctx;
    for (;;) {
        if (f->at < f->buf.len) {
            const char *rest = f->buf.text + f->at;
            size_t left = f->buf.len - f->at, take = left;
            if (f->buf.len > SPM_MAX_TEXT && left > SPM_PART) {
                for (take = SPM_PART; take > 0 && rest[take] != ' ';)
                    take--;
                if (take == 0) { /* a word longer than a part goes alone */
                    const char *space = memchr(rest, ' ', left);
                    take = space ? (size_t)(space - rest) : left;
                }
            }
            f->at += take + (take < left); /* and the space after it */
            if (take > SPM_MAX_TEXT)
                continue;
            f->fed++;
            *s = rest;
            *n = take;
            return 1;
        }
        const char *text;
        size_t len;
        if (!f->it->next(f->it->ctx, &text, &len))
            return 0;
        tokbuf_reset(&f->buf);
        tok_unicode.tokens(NULL, text, len, &f->buf);
        f->at = 0;
    }
}

/* Replaces the model with bytes[0..len) (ours from then on), or fails and
 * keeps it. SentencePiece sees only bytes that pass spm_model_check (a
 * stored model may come from anyone: embed/text/spm_model.h); a model just
 * trained passes it too, which keeps the check true to what training writes. */
static int adopt(Tokenizer *t, char *bytes, size_t len) {
    Spm *s = t->state;
    char err[512];
    if (spm_model_check(bytes, len, s->type, s->vocab, err, sizeof err) != 0) {
        free(bytes);
        return el_fail("tokenizer %s: not a SentencePiece model embedlab trained (%s)", t->spec, err);
    }
    SpmModel *m = spm_load(bytes, len, err, sizeof err);
    if (!m) {
        free(bytes);
        return el_fail("tokenizer %s: not a SentencePiece model (%s)", t->spec, err);
    }
    spm_free(s->model);
    free(s->bytes);
    s->model = m;
    s->bytes = bytes;
    s->len = len;
    return 0;
}

/* SentencePiece's training error err in embedlab's words, into out[n]: its
 * own advice names options embedlab does not have (--character_coverage),
 * so what to change is said in spm:TYPE:N terms; other errors lose
 * SentencePiece's source position and any sentence naming a --flag. */
static void explain(const Spm *s, const char *err, char *out, size_t n) {
    static const char too_few[] = "Vocabulary size is smaller than required_chars. ";
    const char *at = strstr(err, too_few);
    int have, need;
    if (at && sscanf(at + sizeof too_few - 1, "%d vs %d", &have, &need) == 2) {
        snprintf(out, n,
                 "the texts use %d distinct characters, each a piece of its own, and with SentencePiece's 3 that "
                 "makes %d pieces, more than the %d allowed; use spm:%s:%d or more",
                 need - 3, need, have, s->type, need);
        return;
    }
    const char *msg = strstr(err, "] "); /* after "Internal: ./src/FILE.cc(LINE) [CHECK]" */
    msg = msg ? msg + 2 : err;
    const char *flag = strstr(msg, "--");
    size_t len = strlen(msg);
    if (flag) { /* cut back to the end of the sentence before the advice */
        while (flag > msg && !(flag[-1] == ' ' && flag - 1 > msg && flag[-2] == '.'))
            flag--;
        len = (size_t)(flag - msg);
        while (len > 0 && msg[len - 1] == ' ')
            len--;
    }
    snprintf(out, n, "%.*s (SentencePiece; with spm:%s:%d, try a smaller N or more text)", (int)len, msg, s->type,
             s->vocab);
}

static int spm_train_kind(Tokenizer *t, const TextIter *it) {
    Spm *s = t->state;
    Feed f = {.it = it};
    tokbuf_init(&f.buf);
    char err[512], *bytes = NULL;
    size_t len = 0;
    int rc = spm_train(feed_next, &f, s->type, s->vocab, 1, &bytes, &len, err, sizeof err);
    tokbuf_free(&f.buf);
    if (rc != 0 && f.fed == 0)
        return el_fail("tokenizer %s: training failed: no text with a token to train on", t->spec);
    if (rc != 0) {
        char why[768];
        explain(s, err, why, sizeof why);
        return el_fail("tokenizer %s: training failed: %s", t->spec, why);
    }
    return adopt(t, bytes, len);
}

static int spm_save(const Tokenizer *t, char **bytes, size_t *n) {
    const Spm *s = t->state;
    *bytes = xmalloc(s->len + 1);
    memcpy(*bytes, s->bytes, s->len);
    *n = s->len;
    return 0;
}

static int spm_load_kind(Tokenizer *t, const void *bytes, size_t n) {
    char *copy = xmalloc(n + 1);
    if (n)
        memcpy(copy, bytes, n);
    if (n == 0) {
        free(copy);
        return el_fail("tokenizer %s: an empty model", t->spec);
    }
    return adopt(t, copy, n);
}

static void emit_piece(void *ctx, const char *piece, size_t n) {
    TokenBuf *out = ctx;
    tokbuf_open(out);
    tokbuf_put(out, piece, n);
}

static int spm_tokens(const Tokenizer *t, const char *in, size_t n, TokenBuf *out) {
    const Spm *s = t->state;
    tok_unicode.tokens(t, in, n, out);
    size_t invalid = out->invalid, len = out->len;
    if (len == 0)
        return 0;
    /* The words move to out->bytes (tok_normalize's scratch, free again now)
     * so that the pieces can fill out->text. */
    if (len + 1 > out->bytes_cap) {
        out->bytes_cap = len + 1;
        out->bytes = xrealloc(out->bytes, out->bytes_cap);
    }
    memcpy(out->bytes, out->text, len + 1);
    tokbuf_reset(out);
    out->invalid = invalid;
    char err[512];
    if (spm_encode(s->model, out->bytes, len, emit_piece, out, err, sizeof err) != 0)
        return el_fail("tokenizer %s: %s", t->spec, err);
    return 0;
}

const TokenizerKind tok_spm = {.name = "spm",
                               .init = spm_init,
                               .tokens = spm_tokens,
                               .train = spm_train_kind,
                               .save = spm_save,
                               .load = spm_load_kind,
                               .ready = spm_is_ready,
                               .free = spm_state_free};
