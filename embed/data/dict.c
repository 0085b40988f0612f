/* embed/data/dict.c: the interning hash table. */
#include "embed/data/dict.h"

#include <stdlib.h>
#include <string.h>

#include "core/common.h"

static uint32_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 0x100000001b3ull;
    return (uint32_t)(h ^ (h >> 32));
}

void dict_init(Dict *d) {
    memset(d, 0, sizeof *d);
    d->cap = 1 << 10; /* small dicts are common (one per file read, per test); it doubles as needed */
    d->slots = xcalloc(d->cap, sizeof *d->slots);
    d->hashes = xcalloc(d->cap, sizeof *d->hashes);
    d->arena_cap = 1 << 14;
    d->arena = xmalloc(d->arena_cap);
}

void dict_free(Dict *d) {
    free(d->slots);
    free(d->hashes);
    free(d->offset);
    free(d->length);
    free(d->arena);
    memset(d, 0, sizeof *d);
}

static int32_t probe(const Dict *d, const char *w, size_t len, uint32_t h, size_t *slot) {
    size_t mask = d->cap - 1, i = h & mask;
    for (;;) {
        int32_t s = d->slots[i];
        if (s == 0)
            break;
        int32_t id = s - 1;
        if (d->hashes[i] == h && d->length[id] == len && memcmp(d->arena + d->offset[id], w, len) == 0) {
            *slot = i;
            return id;
        }
        i = (i + 1) & mask;
    }
    *slot = i;
    return -1;
}

static void grow(Dict *d) {
    size_t old_cap = d->cap;
    int32_t *old_slots = d->slots;
    uint32_t *old_hashes = d->hashes;
    d->cap *= 2;
    d->slots = xcalloc(d->cap, sizeof *d->slots);
    d->hashes = xcalloc(d->cap, sizeof *d->hashes);
    for (size_t i = 0; i < old_cap; i++) {
        if (!old_slots[i])
            continue;
        size_t j = old_hashes[i] & (d->cap - 1);
        while (d->slots[j])
            j = (j + 1) & (d->cap - 1);
        d->slots[j] = old_slots[i];
        d->hashes[j] = old_hashes[i];
    }
    free(old_slots);
    free(old_hashes);
}

int32_t dict_add(Dict *d, const char *w, size_t len) {
    uint32_t h = hash_bytes(w, len);
    size_t slot;
    int32_t id = probe(d, w, len, h, &slot);
    if (id >= 0)
        return id;
    if ((size_t)d->size >= d->ids_cap) {
        d->ids_cap = d->ids_cap ? d->ids_cap * 2 : 4096;
        d->offset = xrealloc(d->offset, d->ids_cap * sizeof *d->offset);
        d->length = xrealloc(d->length, d->ids_cap * sizeof *d->length);
    }
    while (d->arena_len + len + 1 > d->arena_cap)
        d->arena = xrealloc(d->arena, d->arena_cap *= 2);
    id = d->size++;
    d->offset[id] = d->arena_len;
    d->length[id] = (uint32_t)len;
    memcpy(d->arena + d->arena_len, w, len);
    d->arena[d->arena_len + len] = 0;
    d->arena_len += len + 1;
    d->slots[slot] = id + 1;
    d->hashes[slot] = h;
    if ((size_t)d->size * 2 > d->cap)
        grow(d);
    return id;
}

int32_t dict_find(const Dict *d, const char *w, size_t len) {
    size_t slot;
    return probe(d, w, len, hash_bytes(w, len), &slot);
}
