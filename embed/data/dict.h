/* embed/data/dict.h: string interning. Each distinct word gets a dense id
 * (0, 1, 2, ... in order of first appearance); the bytes live in one arena.
 * Open addressing with linear probing keeps lookups to one or two cache lines. */
#ifndef EL_DICT_H
#define EL_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int32_t *slots; /* id + 1, or 0 for empty */
    uint32_t *hashes;
    size_t cap; /* power of two */
    int32_t size;
    size_t *offset; /* by id: start in arena */
    uint32_t *length;
    char *arena;
    size_t arena_len, arena_cap, ids_cap;
} Dict;

void dict_init(Dict *d);
void dict_free(Dict *d);
/* The id of word w (len bytes), adding it when new. */
int32_t dict_add(Dict *d, const char *w, size_t len);
/* The id of w, or -1. */
int32_t dict_find(const Dict *d, const char *w, size_t len);
/* The word of an id, NUL-terminated. */
static inline const char *dict_word(const Dict *d, int32_t id) { return d->arena + d->offset[id]; }
static inline uint32_t dict_len(const Dict *d, int32_t id) { return d->length[id]; }

#endif
