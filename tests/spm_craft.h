/* tests/spm_craft.h: hostile SentencePiece models made from a real one, as
 * someone handing over a lab.db could (tests/test_tokenizer.c,
 * tests/test_tokenizer_db.c, fuzz/fuzz_spm_model.c). A model is a protobuf
 * ModelProto (field numbers: embed/text/spm_model.c); these helpers write
 * the wire format by hand. */
#ifndef EL_TESTS_SPM_CRAFT_H
#define EL_TESTS_SPM_CRAFT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint8_t *p;
    size_t n, cap;
} Craft;

static inline void craft_bytes(Craft *c, const void *s, size_t n) {
    if (c->n + n + 1 > c->cap) {
        c->cap = (c->n + n + 1) * 2;
        c->p = realloc(c->p, c->cap);
        if (!c->p)
            abort();
    }
    if (n)
        memcpy(c->p + c->n, s, n);
    c->n += n;
}

static inline void craft_varint(Craft *c, uint64_t v) {
    do {
        uint8_t b = (uint8_t)(v & 0x7f) | (v > 0x7f ? 0x80 : 0);
        craft_bytes(c, &b, 1);
        v >>= 7;
    } while (v);
}

/* A length-delimited field (a string, bytes, a nested message). */
static inline void craft_len(Craft *c, uint32_t field, const void *s, size_t n) {
    craft_varint(c, (uint64_t)field << 3 | 2);
    craft_varint(c, n);
    craft_bytes(c, s, n);
}

static inline void craft_uint(Craft *c, uint32_t field, uint64_t v) {
    craft_varint(c, (uint64_t)field << 3);
    craft_varint(c, v);
}

/* model[0..n) without its top-level fields numbered drop (0: none), with
 * extra[0..extra_n) appended; the caller frees c.p. model must be a
 * well-formed message of length-delimited fields, as trained models are. */
static inline Craft craft_model(const void *model, size_t n, uint32_t drop, const Craft *extra) {
    Craft c = {0};
    const uint8_t *p = model, *end = p + n;
    while (p < end) {
        const uint8_t *start = p;
        uint64_t tag = 0, len = 0;
        for (int s = 0; p < end; s += 7) {
            tag |= (uint64_t)(*p & 0x7f) << s;
            if (!(*p++ & 0x80))
                break;
        }
        for (int s = 0; p < end; s += 7) {
            len |= (uint64_t)(*p & 0x7f) << s;
            if (!(*p++ & 0x80))
                break;
        }
        p += len;
        if ((tag >> 3) != drop)
            craft_bytes(&c, start, (size_t)(p - start));
    }
    if (extra)
        craft_bytes(&c, extra->p, extra->n);
    return c;
}

/* A precompiled_charsmap that makes libsentencepiece's normalizer read far
 * outside its trie: a trie of one unit whose offset points a gigabyte away
 * (darts-clone's unit layout), then an empty normalized-string table. */
static inline Craft craft_evil_charsmap(void) {
    static const uint8_t map[] = {4, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0};
    Craft c = {0};
    craft_bytes(&c, map, sizeof map);
    return c;
}

#endif
