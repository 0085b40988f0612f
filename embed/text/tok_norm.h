/* embed/text/tok_norm.h: the normalisation the unicode, chars and spm tokenizers
 * share (ARCHITECTURE.md "Tokenizers"): UTF-8 checked, HTML line breaks,
 * NFKC with case folding, runs of one character cut to three. */
#ifndef EL_TOK_NORM_H
#define EL_TOK_NORM_H

#include <stddef.h>
#include <stdint.h>

#include "embed/text/tokenizer.h"

/* The longest run of one character that normalisation keeps. */
#define TOK_MAX_REPEAT 3

/* Decodes the UTF-8 sequence at p[0..n), n >= 1. A well-formed one (the
 * Unicode Standard's table 3-7: no overlong forms, no surrogates, nothing
 * above U+10FFFF): sets *cp and returns its length. Otherwise sets *cp to -1
 * and returns the length of its maximal ill-formed subpart (1 to 3 bytes),
 * the bytes one U+FFFD replaces. */
size_t utf8_next(const unsigned char *p, size_t n, int32_t *cp);

/* The columns s takes on a terminal: each character its East Asian width
 * (2 for Hangul syllables and other wide ones, 0 for combining marks, 1
 * otherwise, as utf8proc says), each ill-formed subpart 1. For lining up
 * words in columns, where printf's %-24s counts bytes. */
size_t utf8_columns(const char *s);

/* The number of ill-formed subparts in in[0..n), as utf8_next() finds them. */
size_t utf8_invalid(const char *in, size_t n);

/* Normalises in[0..n) into b->cps[0..b->cps_len) and sets b->invalid:
 *   1. each ill-formed UTF-8 subpart becomes U+FFFD (counted in b->invalid),
 *      NUL and HTML line breaks become a space;
 *   2. NFKC with case folding and default-ignorable code points removed
 *      (utf8proc: COMPAT, COMPOSE, CASEFOLD, IGNORE, STABLE); Hangul
 *      compatibility jamo (U+3131..U+318E, as in ㅋㅋ or ㅠㅠ) are kept as
 *      they are, since NFKC would turn them into conjoining jamo that then
 *      compose with their neighbours (ㅋㅠ would become 큐); a run of
 *      more than TOK_STREAM_SAFE non-starters is put in canonical order in
 *      parts (as if U+034F stood between them), so the work is linear;
 *   3. a run of more than TOK_MAX_REPEAT of one code point is cut to
 *      TOK_MAX_REPEAT, decimal digits excepted (10000 is not 1000).
 * Uses b->bytes as scratch; leaves b->text alone. */
void tok_normalize(const char *in, size_t n, TokenBuf *b);

/* Whether cp belongs to the same character as the code points before it,
 * in a token that is open (open != 0): a combining mark or an emoji skin
 * tone (Unicode grapheme classes Extend and SpacingMark) after anything, the
 * second regional indicator of a flag (🇰🇷) after the first. *ri counts the
 * regional indicators just before cp; start it at 0 for each text. Returns 1
 * if cp joins, else 0 (cp then starts a character of its own). */
int tok_joins(int32_t cp, int open, int *ri);

/* 1 if cp is a Hangul compatibility jamo (U+3131..U+318E): ㅋ, ㅠ, ㄷ. */
int tok_compat_jamo(int32_t cp);

/* 1 if cp is part of a word: a letter, a mark or a number (L*, M*, N*). */
int tok_word_char(int32_t cp);

/* 1 if cp is punctuation or a symbol (P*, S*) other than U+FFFD. */
int tok_punct_char(int32_t cp);

/* The name a form is recorded under ("given", "words", "unicode"); NULL for
 * a value that is no form. */
const char *tok_query_form_name(TokQueryForm form);

/* The form named s[0..n) (bytes, NUL included, compared whole): 0 and *form,
 * or -1 when no form has that name (a lab.db may come from anyone). */
int tok_query_form_parse(const char *s, size_t n, TokQueryForm *form);

/* The most non-starters in a row tok_normalize puts in canonical order as
 * one run (Unicode's Stream-Safe Text Format, UAX #15): a longer run is
 * ordered in parts, so that normalisation stays linear in the text. */
#define TOK_STREAM_SAFE 30

/* The most bytes a query word may have (nearest, analogy, SQL nearest()):
 * a longer one is an error, not minutes of normalising or n-gram hashing.
 * No word of any language comes near it. */
#define TOK_MAX_QUERY_BYTES 4096

/* The form a word given as a query (nearest, analogy, SQL nearest()) takes
 * in a vocabulary whose words a tokenizer of query form `form` made (as its
 * embedding records it), by that tokenizer's own normalisation and nothing
 * else: TOK_QUERY_WORDS, the words spec (ASCII lowercased, apostrophes at
 * the ends stripped) when the word stays one token; TOK_QUERY_UNICODE,
 * tok_normalize (NFKC, case folding, repeats cut), not cut into tokens.
 * TOK_QUERY_AS_GIVEN or any other value, or a word that would become no
 * token or several, is the word as given. Returns a NUL-terminated copy for
 * the caller to free(), its length in *len. */
char *tok_query_word(TokQueryForm form, const char *word, size_t n, size_t *len);

#endif
