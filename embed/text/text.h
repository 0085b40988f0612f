/* embed/text/text.h: the `words` text spec (ARCHITECTURE.md), the default tokenizer.
 *
 *   1. "<br />", "<br/>", "<br>" (any case) become a space.
 *   2. ASCII letters are lowercased; a token is a maximal run of bytes in
 *      [a-z0-9'] or >= 0x80 (multibyte UTF-8 letters stay whole); every
 *      other byte separates tokens.
 *   3. Leading and trailing apostrophes are stripped; empty tokens dropped.
 */
#ifndef EL_TEXT_H
#define EL_TEXT_H

#include <stddef.h>

/* Writes the tokens of in[0..n) to out as one space-separated string and
 * returns its length. out needs room for n + 1 bytes (the result is never
 * longer than the input) and is NUL-terminated. in and out may not overlap. */
size_t text_tokens(const char *in, size_t n, char *out);

/* Length of an HTML line break "<br />", "<br/>" or "<br>" (any case)
 * starting at p (p[0] == '<', p < end), or 0: rule 1, shared by every
 * tokenizer. */
size_t text_line_break_len(const char *p, const char *end);

#endif
