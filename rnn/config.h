/* rnn/config.h: the configuration of a model and its training, defined once.
 *
 * One table (rnn/config.c, a core/options.h OptionTable) lists every field of
 * ClassifierConfig: its name, type, default, allowed range or values (a
 * choice is an enum: a cell the index of its registry entry), help line and
 * help group. From it follow the defaults, validation with clear messages
 * and --help lines. A run's whole configuration, as train's options, the
 * JSON stored in runs.config and a sweep's axes, is this table with the
 * experiment's fields (data, tokenizer, embedding, ...):
 * experiments/run/experiment.h's. Adding an option is one line in the
 * table plus the code that uses the field (ARCHITECTURE.md, "How to add").
 *
 *   config_defaults  every field at its default
 *   config_find      a field by name ("units") or option ("--units")
 *   config_set       parse and check one field's value from text
 *   config_check     the rules between fields (after every config_set)
 *   config_help      the option lines of --help, by group
 *   config_format    a field's value as text (what config_set reads back)
 *   config_text      the same, by the field's name */
#ifndef EL_CONFIG_H
#define EL_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "core/options.h"
#include "embed/data/sequence.h"
#include "rnn/train.h"

/* The table's own marks (Option.flags): how a field is stored and offered. */
enum {
    FIELD_RECORDED = 1,   /* recorded by the runner, not an option of its own (threads, data) */
    FIELD_EMBED_ONLY = 2, /* JSON null under one-hot input, which has no embedding */
    FIELD_EMPTY_NULL = 4, /* an empty text is JSON null */
};

/* The table (core/options.h), in the order of the JSON stored in runs.config
 * (experiments/run/experiment.c adds the experiment's fields). */
extern const OptionTable config_table;

void config_defaults(ClassifierConfig *c);

/* The field named name ("recurrent_dropout") or, with the leading "--", the
 * option ("--recurrent-dropout"); NULL if none. */
const Option *config_find(const char *name);

/* Parses text into the field name (or option) of c: 0, or -1 with a message
 * such as "--units must be a whole number from 1 to 4096, got '0'"; c is
 * unchanged then. A flag takes "1", "0", "true" or "false". */
int config_set(ClassifierConfig *c, const char *name, const char *text);

/* The rules that tie the model's fields together (--bucket needs --mask;
 * each field's range is its table row's): 0, or -1 with a message. The
 * experiment's rules are experiment_check's. */
int config_check(const ClassifierConfig *c);

/* The option lines of the fields that are options, under their group
 * headings, in table order. */
void config_help(FILE *out);

/* The value of field f in c as text that config_set reads back to the same
 * value (reals with 17 digits), in buf. */
const char *config_format(const ClassifierConfig *c, const Option *f, char *buf, size_t n);

/* The same by the field's name ("cell" -> "gru"); "" for no such field. */
const char *config_text(const ClassifierConfig *c, const char *name, char *buf, size_t n);

#endif
