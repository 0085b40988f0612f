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
#include <stdint.h>
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
    size_t at; /* where the rest of buf's words starts */
} Feed;

/* The longest text SentencePiece gets whole. Its seed search takes time in
 * proportion to a text's length times how often the text repeats itself:
 * one line of a repeated sentence just under its 1 MiB limit took 116 s
 * whole, a 2 MB one 4 minutes in two parts of 1 MiB and 3 s in parts of
 * 16 KiB. Reviews are far shorter, so their models do not change. */
enum { SPM_PART = 16384 };

/* The most text (bytes, after normalisation) training reads: a bound on
 * its memory and time, far above any review corpus (96,000 Korean reviews
 * are 11 MB). */
#define SPM_MAX_TRAIN ((size_t)256 << 20)

/* Characters of text per piece, at least: more pieces than the text has
 * characters / SPM_CHARS_PER_PIECE (or than its distinct characters + 3,
 * SentencePiece's own pieces) are not asked of SentencePiece. Its BPE
 * merges pairs however rare, one scan of its candidates per piece: 50,000
 * pieces of 720 KB of random CJK text took 102 s, for pieces seen once. */
enum { SPM_CHARS_PER_PIECE = 16 };

/* The next training part, through the unicode kind; empty texts skipped. A
 * text over SPM_PART bytes (a corpus file of one line, say) goes in parts of
 * at most SPM_PART bytes cut between words, which its pieces never cross
 * anyway; a word over SPM_PART bytes, no word of any language, is left out.
 * Texts within SPM_PART go whole, as they always did. */
static int feed_next(Feed *f, const char **s, size_t *n) {
    for (;;) {
        if (f->at < f->buf.len) {
            const char *rest = f->buf.text + f->at;
            size_t left = f->buf.len - f->at, take = left;
            int word_too_long = 0;
            if (left > SPM_PART) {
                for (take = SPM_PART; take > 0 && rest[take] != ' ';)
                    take--;
                if (take == 0) {
                    const char *space = memchr(rest, ' ', left);
                    take = space ? (size_t)(space - rest) : left;
                    word_too_long = 1;
                }
            }
            f->at += take + (take < left); /* and the space after it */
            if (word_too_long)
                continue;
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

/* The training parts, back to back, read before training so that their
 * characters are counted (SPM_CHARS_PER_PIECE): part i is
 * text[i ? end[i - 1] : 0 .. end[i]). */
typedef struct {
    char *text;
    size_t len, cap;
    size_t *end;
    size_t n, ncap, next;
    uint64_t chars, distinct;
} Parts;

/* Counts the code points of the well-formed UTF-8 s[0..n) into p, the
 * distinct ones through seen (a bit per code point). */
static void count_chars(Parts *p, const unsigned char *s, size_t n, uint8_t *seen) {
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i], k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (k > n - i)
            break;
        c &= k == 1 ? 0x7f : k == 2 ? 0x1f : k == 3 ? 0x0f : 0x07;
        for (uint32_t j = 1; j < k; j++)
            c = c << 6 | (s[i + j] & 0x3f);
        i += k;
        p->chars++;
        if (c < 0x110000 && !(seen[c >> 3] & (1u << (c & 7)))) {
            seen[c >> 3] |= (uint8_t)(1u << (c & 7));
            p->distinct++;
        }
    }
}

/* Every part of it (at most SPM_MAX_TRAIN bytes of them) into p. */
static void collect(const TextIter *it, Parts *p) {
    Feed f = {.it = it};
    tokbuf_init(&f.buf);
    uint8_t *seen = xcalloc(0x110000 / 8, 1);
    const char *s;
    size_t n;
    while (feed_next(&f, &s, &n) && p->len + n <= SPM_MAX_TRAIN) {
        if (p->len + n > p->cap) {
            p->cap = (p->len + n) * 2;
            p->text = xrealloc(p->text, p->cap);
        }
        if (p->n == p->ncap) {
            p->ncap = p->ncap ? 2 * p->ncap : 1024;
            p->end = xrealloc(p->end, p->ncap * sizeof *p->end);
        }
        memcpy(p->text + p->len, s, n);
        p->len += n;
        p->end[p->n++] = p->len;
        count_chars(p, (const unsigned char *)s, n, seen);
    }
    free(seen);
    tokbuf_free(&f.buf);
}

/* SentencePiece's sentence callback over the parts. */
static int parts_next(void *ctx, const char **s, size_t *n) {
    Parts *p = ctx;
    if (p->next == p->n)
        return 0;
    size_t from = p->next ? p->end[p->next - 1] : 0;
    *s = p->text + from;
    *n = p->end[p->next++] - from;
    return 1;
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
    if (len == 0)
        msg = "SentencePiece refused the texts", len = strlen(msg);
    snprintf(out, n, "%.*s (SentencePiece; with spm:%s:%d, try a smaller N or more text)", (int)len, msg, s->type,
             s->vocab);
}

static int spm_train_kind(Tokenizer *t, const TextIter *it) {
    Spm *s = t->state;
    Parts p = {0};
    collect(it, &p);
    /* At most the pieces the text's characters can hold (SPM_CHARS_PER_PIECE),
     * never fewer than its distinct characters need. */
    uint64_t most = p.chars / SPM_CHARS_PER_PIECE;
    if (most < p.distinct + 3)
        most = p.distinct + 3;
    int vocab = (uint64_t)s->vocab < most ? s->vocab : (int)most;
    char err[512], *bytes = NULL;
    size_t len = 0;
    int rc = p.n ? spm_train(parts_next, &p, s->type, vocab, 1, &bytes, &len, err, sizeof err) : -1;
    size_t fed = p.n;
    free(p.text);
    free(p.end);
    if (rc != 0 && fed == 0)
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
                               /* it cuts the unicode kind's words */
                               .query_form = TOK_QUERY_UNICODE,
                               .init = spm_init,
                               .tokens = spm_tokens,
                               .train = spm_train_kind,
                               .save = spm_save,
                               .load = spm_load_kind,
                               .ready = spm_is_ready,
                               .free = spm_state_free};
