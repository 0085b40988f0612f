/* embed/text/spm_model.c: a SentencePiece model's bytes checked against what
 * embedlab's training writes (embed/text/spm_model.h says what and why).
 *
 * The protobuf wire format, as far as needed: a message is a run of fields,
 * each a varint tag (field number << 3 | wire type) and a value: a varint
 * (type 0), 8 bytes (1), a varint length and that many bytes (2: strings,
 * bytes, nested messages), or 4 bytes (5: float). Every length is checked
 * against the bytes left before it is used; nested messages are walked
 * only two deep, so neither recursion nor time can run away. Field numbers
 * are those of SentencePiece's sentencepiece_model.proto: ModelProto pieces
 * 1, trainer_spec 2, normalizer_spec 3, self_test_data 4, denormalizer_spec
 * 5; SentencePiece piece 1, score 2, type 3 (normal 1, unknown 2, control 3);
 * NormalizerSpec name 1, precompiled_charsmap 2, add_dummy_prefix 3,
 * remove_extra_whitespaces 4, escape_whitespaces 5, normalization_rule_tsv 6;
 * TrainerSpec model_type 3 (unigram 1, bpe 2), treat_whitespace_as_suffix
 * 24, allow_whitespace_only_pieces 26, byte_fallback 35. */
#include "embed/text/spm_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "embed/text/tok_norm.h"

typedef struct {
    const uint8_t *p, *end;
} Wire;

typedef struct {
    uint32_t number;
    int type;             /* wire type: 0, 1, 2 or 5 */
    uint64_t value;       /* types 0, 1 and 5 */
    const uint8_t *bytes; /* type 2 */
    size_t len;
} Field;

typedef struct {
    char *why;
    size_t whylen;
} Why;

/* -1, with the reason written to w. */
static int refuse(Why *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    if (w->whylen)
        vsnprintf(w->why, w->whylen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A varint of at most 10 bytes within the wire; 0, or -1 at a cut one. */
static int read_varint(Wire *r, uint64_t *v) {
    *v = 0;
    for (int shift = 0; shift < 70 && r->p < r->end; shift += 7) {
        uint8_t b = *r->p++;
        *v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return 0;
    }
    return -1;
}

/* The next field; 1 with f set, 0 at the end, -1 on bytes that are not a
 * field (a cut value, a length past the end, groups, field number 0). */
static int next_field(Wire *r, Field *f) {
    if (r->p == r->end)
        return 0;
    uint64_t tag;
    if (read_varint(r, &tag) != 0 || (tag >> 3) == 0 || (tag >> 3) > 0x1fffffff)
        return -1;
    f->number = (uint32_t)(tag >> 3);
    f->type = (int)(tag & 7);
    size_t left;
    switch (f->type) {
    case 0: return read_varint(r, &f->value) == 0 ? 1 : -1;
    case 1:
    case 5: {
        size_t n = f->type == 1 ? 8 : 4;
        if ((size_t)(r->end - r->p) < n)
            return -1;
        f->value = 0;
        for (size_t i = 0; i < n; i++)
            f->value |= (uint64_t)r->p[i] << (8 * i);
        r->p += n;
        return 1;
    }
    case 2:
        if (read_varint(r, &f->value) != 0)
            return -1;
        left = (size_t)(r->end - r->p);
        if (f->value > left)
            return -1;
        f->bytes = r->p;
        f->len = (size_t)f->value;
        r->p += f->len;
        return 1;
    default: return -1;
    }
}

/* A piece's text: 1 to SPM_MODEL_MAX_PIECE bytes of UTF-8 without a space
 * or a control character, as the unicode kind's words are (its tokens drop
 * those: embed/text/tok_unicode.c), so a piece is always one token. */
static int check_piece_text(const uint8_t *s, size_t n, int32_t index, Why *w) {
    if (n == 0 || n > SPM_MODEL_MAX_PIECE)
        return refuse(w, "piece %d has %zu bytes (1 to %d allowed)", index, n, SPM_MODEL_MAX_PIECE);
    for (size_t i = 0; i < n; i++)
        if (s[i] <= 0x20 || s[i] == 0x7f)
            return refuse(w, "piece %d holds a space or a control character", index);
    if (utf8_invalid((const char *)s, n) != 0)
        return refuse(w, "piece %d is not UTF-8", index);
    return 0;
}

/* One ModelProto.SentencePiece: its text, a finite score, a type embedlab's
 * models hold. */
static int check_piece(const uint8_t *bytes, size_t len, int32_t index, Why *w) {
    Wire r = {bytes, bytes + len};
    Field f = {0};
    int rc, has_text = 0;
    while ((rc = next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.type == 2) {
            if (check_piece_text(f.bytes, f.len, index, w) != 0)
                return -1;
            has_text = 1;
        } else if (f.number == 2 && f.type == 5) {
            float score;
            uint32_t bits = (uint32_t)f.value;
            memcpy(&score, &bits, sizeof score);
            if (!isfinite(score))
                return refuse(w, "piece %d has a score that is not a finite number", index);
        } else if (f.number == 3 && f.type == 0) {
            if (f.value < 1 || f.value > 3)
                return refuse(w,
                              "piece %d is of type %llu (embedlab's models hold normal, unknown and control "
                              "pieces only)",
                              index, (unsigned long long)f.value);
        } else {
            return refuse(w, "piece %d has a field %u embedlab never writes", index, f.number);
        }
    }
    if (rc < 0)
        return refuse(w, "piece %d is not a protobuf message", index);
    return has_text ? 0 : refuse(w, "piece %d has no text", index);
}

/* A NormalizerSpec (what names it) as embedlab's training writes it: the
 * identity rule, no compiled rules nor a rule table, and SentencePiece's
 * default whitespace handling (a dummy prefix, extra whitespace removed,
 * whitespace escaped to U+2581). */
static int check_normalizer(const uint8_t *bytes, size_t len, const char *what, Why *w) {
    static const char *const flag[] = {
        NULL, NULL, NULL, "add_dummy_prefix", "remove_extra_whitespaces", "escape_whitespaces"};
    Wire r = {bytes, bytes + len};
    Field f = {0};
    int rc;
    while ((rc = next_field(&r, &f)) == 1) {
        if (f.number == 1 && f.type == 2) {
            if (f.len != 8 || memcmp(f.bytes, "identity", 8) != 0)
                return refuse(w, "its %s is '%.*s', not embedlab's identity", what, f.len > 64 ? 64 : (int)f.len,
                              (const char *)f.bytes);
        } else if ((f.number == 2 || f.number == 6) && f.type == 2) {
            if (f.len)
                return refuse(w, "its %s carries normalization rules (%s), which embedlab never writes", what,
                              f.number == 2 ? "precompiled_charsmap" : "normalization_rule_tsv");
        } else if (f.number >= 3 && f.number <= 5 && f.type == 0) {
            if (f.value != 1)
                return refuse(w, "its %s turns %s off, which embedlab never does", what, flag[f.number]);
        } else {
            return refuse(w, "its %s has a field %u embedlab never writes", what, f.number);
        }
    }
    return rc < 0 ? refuse(w, "its %s is not a protobuf message", what) : 0;
}

/* The TrainerSpec fields that change how a model tokenizes: the model type
 * must be the spec's, and the options embedlab leaves off stay off. The
 * others only steered training and are skipped. */
static int check_trainer(const uint8_t *bytes, size_t len, const char *type, Why *w) {
    uint64_t want = strcmp(type, "bpe") == 0 ? 2 : 1, model_type = 1; /* SentencePiece's default: unigram */
    Wire r = {bytes, bytes + len};
    Field f = {0};
    int rc;
    while ((rc = next_field(&r, &f)) == 1) {
        if (f.number == 3 && f.type == 0)
            model_type = f.value;
        else if ((f.number == 24 || f.number == 26 || f.number == 35) && f.type == 0 && f.value != 0)
            return refuse(w, "its trainer_spec turns on %s, which embedlab never does",
                          f.number == 24   ? "treat_whitespace_as_suffix"
                          : f.number == 26 ? "allow_whitespace_only_pieces"
                                           : "byte_fallback");
    }
    if (rc < 0)
        return refuse(w, "its trainer_spec is not a protobuf message");
    if (model_type != want)
        return refuse(w, "its model type is %llu, not %s's", (unsigned long long)model_type, type);
    return 0;
}

/* One field of ModelProto. */
static int check_top(const Field *f, const char *type, int32_t *pieces, int max_pieces, Why *w) {
    if (f->type != 2)
        return refuse(w, "field %u is not of the type SentencePiece's models use", f->number);
    switch (f->number) {
    case 1:
        if (*pieces >= max_pieces)
            return refuse(w, "it has more than %d pieces, the most its spec allows", max_pieces);
        return check_piece(f->bytes, f->len, (*pieces)++, w);
    case 2: return check_trainer(f->bytes, f->len, type, w);
    case 3: return check_normalizer(f->bytes, f->len, "normalizer_spec", w);
    case 4: return f->len ? refuse(w, "it carries self-test samples, which embedlab never writes") : 0;
    case 5: return check_normalizer(f->bytes, f->len, "denormalizer_spec", w);
    default: return refuse(w, "it has a field %u embedlab never writes", f->number);
    }
}

int spm_model_check(const void *model, size_t len, const char *type, int max_pieces, char *why, size_t whylen) {
    Why w = {why, whylen};
    if (whylen)
        why[0] = 0;
    if (len == 0)
        return refuse(&w, "an empty model");
    if (len > SPM_MODEL_MAX_BYTES)
        return refuse(&w, "%zu bytes, more than the %d a model may have", len, SPM_MODEL_MAX_BYTES);
    Wire r = {model, (const uint8_t *)model + len};
    Field f = {0};
    int32_t pieces = 0;
    int rc;
    while ((rc = next_field(&r, &f)) == 1)
        if (check_top(&f, type, &pieces, max_pieces, &w) != 0)
            return -1;
    if (rc < 0)
        return refuse(&w, "not a protobuf message");
    return pieces ? 0 : refuse(&w, "it has no pieces");
}
