/* core/options.h: one table type for every setting a person gives.
 *
 * An OptionTable describes the members of one struct, one Option a member:
 * its name, type, where it is stored, default, range or choices, and help
 * line. From the table follow the defaults, parsing and checking a value
 * from text (with a message that names the option and what it takes), the
 * value back as text (what parsing reads back: a run's stored JSON, a
 * sweep's axes), and the lines of --help. A run's configuration
 * (rnn/config.c), each embedding trainer's parameters (embed/trainer.h) and
 * the command line's options of both (cli/) are such tables.
 *
 * A choice is held as an int, the index of its name: a fixed list
 * (Option.choices) or a registry's names (Option.choice, cells say), so code
 * compares numbers and a name is written once.
 *
 *   opt_find      an option by name ("recurrent_dropout") or flag ("--recurrent-dropout")
 *   opt_flag      an option's command-line flag
 *   opt_set       parse and check one value from text into the struct
 *   opt_defaults  every option at its default
 *   opt_format    a value as text, as opt_set reads it back
 *   opt_choices   an enum's names as "a, b, c"
 *   opt_at        one table's option offered by another
 *   opt_help      the --help lines, under their group headings
 *   opt_on_command_line  whether an option is one of the command line's
 *
 * In --help, a choice list the metavar does not show (a metavar of its own,
 * or a text made of the names, such as a sweep's --cells LIST) follows the
 * help line: "the trainer: word2vec, toy". */
#ifndef EL_OPTIONS_H
#define EL_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum {
    OPTION_INT,    /* int, min..max, or one of choices standing for its index (--jobs's "auto" is 0) */
    OPTION_INT64,  /* int64_t, min..max */
    OPTION_REAL,   /* double, min..max */
    OPTION_SEED,   /* uint64_t, 0..LONG_MAX */
    OPTION_FLAG,   /* int 0 or 1: a flag without a value; JSON true/false */
    OPTION_ENUM,   /* int, the index of one of the choices */
    OPTION_TEXT,   /* char[size], any text that fits */
    OPTION_RANGE,  /* int[2] (two adjacent ints), "LO-HI" with min <= LO <= HI <= max; "off" is 0-0 */
    OPTION_STRING, /* const char *: the text given itself, not a copy (a command's argv) */
} OptionType;

typedef struct {
    const char *name; /* the key (JSON, sweep axes); the flag is "--" name with '-' for '_' */
    OptionType type;
    size_t offset, size;        /* the member in the struct (size: a text's buffer) */
    const char *def;            /* the default, as opt_set reads it (NULL: zero / empty) */
    double min, max;            /* OPTION_INT, OPTION_INT64, OPTION_REAL, OPTION_RANGE */
    const char *const *choices; /* OPTION_ENUM: the names, NULL-terminated, in value order; OPTION_INT: named values */
    const char *(*choice)(int); /* OPTION_ENUM without choices: a registry's i-th name, NULL past the last;
                                 * OPTION_STRING: the names its text is made of, for --help (a list's items) */
    const char *metavar;        /* in --help: "N", "F", "NAME|random"; NULL: from the type */
    const char *group;          /* the --help heading; NULL: not a command-line option */
    const char *help;           /* one line; "(default X)" is added unless it says "(default" */
    int flags;                  /* the table owner's own marks (rnn/config.h's FIELD_*) */
} Option;

typedef struct {
    const Option *opts;
    int n;
} OptionTable;

/* Where a member of TYPE lives, and how big it is: an Option's offset, size. */
#define OPTION_AT(TYPE, member) offsetof(TYPE, member), sizeof(((TYPE *)0)->member)

/* The option named name ("recurrent_dropout") or, with the leading "--",
 * flagged so ("--recurrent-dropout"); NULL if none. */
const Option *opt_find(const OptionTable *t, const char *name);

/* The command-line flag of o, "--recurrent-dropout", in buf (at least 64
 * bytes); an option named by one letter is a short flag, "-k". */
const char *opt_flag(const Option *o, char *buf, size_t n);

/* Parses text into option name of obj: 0, or -1 with a message such as
 * "--units must be a whole number from 1 to 4096, got '0'" (obj unchanged). A
 * flag takes "1", "0", "true" or "false"; an enum one of its names. */
int opt_set(const OptionTable *t, void *obj, const char *name, const char *text);

/* Every option of obj at its default (the other bytes of obj untouched). */
void opt_defaults(const OptionTable *t, void *obj);

/* The value of o in obj as text that opt_set reads back to the same value
 * (reals with 17 digits, an enum by name), in buf. */
const char *opt_format(const void *obj, const Option *o, char *buf, size_t n);

/* The names of an enum option, "a, b, c", in buf. */
const char *opt_choices(const Option *o, char *buf, size_t n);

/* The name of value v of enum option o, or NULL if v is none of them. */
const char *opt_choice_name(const Option *o, int v);

/* A copy of option name of t (which must have it) for a struct that holds
 * t's struct as a member at base: its offset moved by base, under group.
 * How another table offers an option defined once in t (data stats's
 * --maxlen is the run configuration's). */
Option opt_at(const OptionTable *t, const char *name, size_t base, const char *group);

/* The lines of --help of the options that have a group, under the group
 * headings, in table order. */
void opt_help(const OptionTable *t, FILE *out);

/* Whether o is a command-line option: one with a --help group (a run's
 * recorded fields, data_hash say, have none). */
int opt_on_command_line(const Option *o);

#endif
