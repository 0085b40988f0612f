/* core/hash.c: the content hash (core/hash.h). Needs nothing else from
 * core/: the SQL extension links it. */
#include "core/hash.h"

#include <string.h>

#define HASH_BASIS 0xcbf29ce484222325ull
#define HASH_PRIME 0x100000001b3ull

/* FNV-1a's xor and multiply on a whole word, then a shift that carries high
 * bits down (a multiply alone only moves bits up). */
uint64_t hash_mix(uint64_t h, uint64_t w) {
    h = (h ^ w) * HASH_PRIME;
    return h ^ (h >> 32);
}

uint64_t hash_bytes(const void *bytes, size_t len) {
    const uint8_t *p = bytes;
    uint64_t h[4] = {HASH_BASIS, HASH_BASIS + 1, HASH_BASIS + 2, HASH_BASIS + 3};
    size_t i = 0;
    for (; i + 32 <= len; i += 32)
        for (int l = 0; l < 4; l++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * l, 8);
            h[l] = hash_mix(h[l], w);
        }
    for (; i < len; i++)
        h[0] = hash_mix(h[0], p[i]);
    uint64_t r = HASH_BASIS;
    for (int l = 0; l < 4; l++)
        r = hash_mix(r, h[l]);
    return hash_mix(r, (uint64_t)len);
}
