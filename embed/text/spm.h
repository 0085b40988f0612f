/* embed/text/spm.h: the C face of SentencePiece (embed/text/spm.cc, the one C++ file).
 * Only embed/text/tok_spm.c calls it. Errors come back as a message in err
 * (errlen bytes, NUL-terminated) and a -1 or NULL; no C++ exception gets
 * through. */
#ifndef EL_SPM_H
#define EL_SPM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct SpmModel SpmModel;

/* The longest text, in bytes, that SentencePiece trains on (its
 * max_sentence_length); it leaves longer ones out. */
enum { SPM_MAX_TEXT = 1 << 20 };

/* Trains a model of type ("unigram" or "bpe") with at most vocab pieces on
 * the sentences next() gives (as TextIter's next, embed/text/tokenizer.h),
 * already normalised: SentencePiece's own normalisation is off (identity).
 * threads workers. On success *model (malloc'ed, the caller frees it) holds
 * the serialized model and *len its size; returns 0. */
int spm_train(int (*next)(void *ctx, const char **s, size_t *n), void *ctx, const char *type, int vocab, int threads,
              char **model, size_t *len, char *err, size_t errlen);

/* A model from the bytes spm_train() gave, or NULL. */
SpmModel *spm_load(const void *model, size_t len, char *err, size_t errlen);
void spm_free(SpmModel *m);

/* Calls emit once per piece of s[0..n) (well-formed UTF-8), in order.
 * Thread-safe on one model. Returns 0 or -1. */
int spm_encode(const SpmModel *m, const char *s, size_t n, void (*emit)(void *ctx, const char *piece, size_t n),
               void *ctx, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
