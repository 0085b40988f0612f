/* core/names.h: the alphabet of names (README.md, "Names").
 *
 * An embedding or sweep name is 1 to NAME_MAX_LEN characters of A-Z a-z 0-9
 * . _ + -, the first a letter or a digit. Such a name is safe in a file
 * name, a shell word, a gnuplot string and HTML as it is; names are checked
 * where they enter the lab database (embed train, embed import, sweep, merge),
 * and writers escape them all the same (core/escape.h), for databases made
 * elsewhere or before the rule. */
#ifndef EL_NAMES_H
#define EL_NAMES_H

#define NAME_MAX_LEN 64

/* 0 if name is in the alphabet; else -1 with a message naming kind
 * ("embedding", "sweep") and the rule. */
int name_check(const char *kind, const char *name);

/* Turns s (at least 2 bytes of room) into a name in the alphabet: other
 * characters become '_', a leading one that is not a letter or digit is
 * dropped, the rest is cut at NAME_MAX_LEN; an empty result becomes "x". */
void name_fix(char *s);

#endif
