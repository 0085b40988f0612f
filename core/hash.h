/* core/hash.h: the project's one content hash, for identities and
 * checksums that are stored (an index's vectors and image, a tokenizer
 * model, a run's data, a subword run's base). Not cryptographic: it catches
 * damage and change, not an adversary. Its values are stored in lab
 * databases, so it never changes. */
#ifndef EL_HASH_H
#define EL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* 64-bit FNV-1a over 8-byte words in four interleaved lanes (fast enough to
 * run over gigabytes at load), then folded with the byte count. */
uint64_t hash_bytes(const void *bytes, size_t len);

/* Folds the word w into the hash h (one step of hash_bytes): for combining
 * hashes of parts. */
uint64_t hash_mix(uint64_t h, uint64_t w);

#endif
