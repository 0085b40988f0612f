/* embed/text/spm_model.h: a stored SentencePiece model checked before
 * SentencePiece parses it. A lab.db may come from anyone, and libsentencepiece
 * trusts its models: a crafted normalizer rule (precompiled_charsmap) crashes
 * it. So a model is read here first, a bounded walk over its protobuf wire
 * format (ModelProto of SentencePiece's sentencepiece_model.proto), and
 * anything embedlab's own training (embed/text/spm.cc) does not write is
 * refused: a normalizer other than identity, a charsmap or rule table,
 * whitespace handling other than SentencePiece's defaults, self-test data,
 * piece types other than normal, unknown and control, pieces that are
 * empty, long, not UTF-8 or hold a space or a control character, more pieces
 * than the spec allows, a model type other than the spec's. */
#ifndef EL_SPM_MODEL_H
#define EL_SPM_MODEL_H

#include <stddef.h>

/* The largest model checked at all (bytes): 1,000,000 pieces of at most
 * SPM_MODEL_MAX_PIECE bytes, with their framing, fit well within it. */
enum { SPM_MODEL_MAX_BYTES = 256 << 20, SPM_MODEL_MAX_PIECE = 256 };

/* 0 if model[0..len) is a model embedlab's training could have written for
 * type ("unigram" or "bpe") and at most max_pieces pieces; else -1 with the
 * reason in why (whylen bytes, NUL-terminated). Reads nothing outside
 * model[0..len), allocates nothing, and takes time linear in len. */
int spm_model_check(const void *model, size_t len, const char *type, int max_pieces, char *why, size_t whylen);

#endif
