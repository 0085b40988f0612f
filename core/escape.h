/* core/escape.h: text from the lab database or the command line, made safe
 * for the language it is written into. Names are checked where they enter
 * (core/names.h), but a lab database from elsewhere may hold anything, so
 * every writer escapes all the same.
 *
 *   esc_gnuplot   a gnuplot single-quoted string literal, quotes included
 *   esc_line      one line of plain text (a comment, a message)
 *   esc_html      HTML text or an attribute value
 *   esc_markdown  a Markdown table cell or line (HTML escaped, '|' and line breaks too)
 *
 * Each returns a new string (free it). Control characters (bytes below 0x20,
 * and 0x7f) become '?': a newline would end a gnuplot command, a comment or a
 * table row. Other bytes, UTF-8 included, pass unchanged. A NULL string (a
 * NULL column of a foreign lab.db) escapes as the empty one. */
#ifndef EL_ESCAPE_H
#define EL_ESCAPE_H

/* 'S' with every ' doubled (gnuplot's only escape inside single quotes; in
 * them gnuplot expands no backquotes, macros or backslashes). */
char *esc_gnuplot(const char *s);
char *esc_line(const char *s);
/* & < > " ' as character references. */
char *esc_html(const char *s);
/* esc_html, and | as &#124; so a cell cannot split a table row. */
char *esc_markdown(const char *s);

#endif
