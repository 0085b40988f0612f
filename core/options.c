/* core/options.c: option tables (core/options.h): defaults, parsing, text
 * and help, the same for every table. */
#include "core/options.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

/* The longest value of a member a table may describe: opt_set parses into
 * a copy this large so that obj changes only when the text is valid. */
enum { OPTION_MAX_SIZE = 1024 };

const Option *opt_find(const OptionTable *t, const char *name) {
    char want[64];
    if (name[0] == '-' && name[1] && !name[2]) /* a short flag, "-k" */
        name++;
    else if (strncmp(name, "--", 2) == 0) { /* a flag: its dashes are the name's underscores */
        snprintf(want, sizeof want, "%s", name + 2);
        for (char *p = want; *p; p++)
            *p = *p == '-' ? '_' : *p == '_' ? '-' : *p; /* "--val_split" is no flag */
        name = want;
    }
    for (int i = 0; i < t->n; i++)
        if (strcmp(t->opts[i].name, name) == 0)
            return &t->opts[i];
    return NULL;
}

const char *opt_flag(const Option *o, char *buf, size_t n) {
    if (strlen(o->name) == 1) {
        snprintf(buf, n, "-%s", o->name);
        return buf;
    }
    snprintf(buf, n, "--%s", o->name);
    for (char *p = buf + 2; *p; p++)
        if (*p == '_')
            *p = '-';
    return buf;
}

const char *opt_choice_name(const Option *o, int v) {
    if (v < 0)
        return NULL;
    if (o->choices) {
        for (int i = 0; o->choices[i]; i++)
            if (i == v)
                return o->choices[i];
        return NULL;
    }
    return o->choice ? o->choice(v) : NULL;
}

const char *opt_choices(const Option *o, char *buf, size_t n) {
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; opt_choice_name(o, i) && len < n; i++) {
        snprintf(buf + len, n - len, "%s%s", i ? ", " : "", opt_choice_name(o, i));
        len = strlen(buf);
    }
    return buf;
}

/* The value of name among o's choices, or -1. */
static int choice_value(const Option *o, const char *name) {
    const char *c;
    for (int i = 0; (c = opt_choice_name(o, i)) != NULL; i++)
        if (strcmp(c, name) == 0)
            return i;
    return -1;
}

/* Parses a whole number of o's range, or one of its named values (an
 * OPTION_INT's choices), from text into *v: 0, or -1 with a message. */
static int parse_whole(const Option *o, const char *flag, const char *text, long long *v) {
    char *end, names[256] = "";
    if (o->type == OPTION_INT && o->choices) {
        int named = choice_value(o, text);
        if (named >= 0) {
            *v = named;
            return 0;
        }
        opt_choices(o, names, sizeof names);
    }
    errno = 0;
    *v = strtoll(text, &end, 10);
    if (errno || end == text || *end || *v < (long long)o->min || *v > (long long)o->max)
        return el_fail("%s must be a whole number from %lld to %lld%s%s, got '%s'", flag, (long long)o->min,
                       (long long)o->max, *names ? " or " : "", names, text);
    return 0;
}

/* Parses "LO-HI" of o's range, or "off" (0-0), into the two ints at at: 0,
 * or -1 with a message. */
static int parse_range(const Option *o, const char *flag, const char *text, void *at) {
    int *v = at;
    if (strcmp(text, "off") == 0) {
        v[0] = v[1] = 0;
        return 0;
    }
    char *end;
    errno = 0;
    long lo = strtol(text, &end, 10), hi = -1;
    if (end != text && *end == '-' && end[1] >= '0' && end[1] <= '9') {
        const char *rest = end + 1;
        hi = strtol(rest, &end, 10);
    }
    if (errno || hi < 0 || *end || lo < (long)o->min || lo > hi || hi > (long)o->max) {
        /* The two ends named as the metavar names them ("MIN-MAX"), else LO and HI. */
        char names[64] = "LO-HI";
        if (o->metavar && strchr(o->metavar, '-') && strlen(o->metavar) < sizeof names)
            snprintf(names, sizeof names, "%s", o->metavar);
        char *dash = strchr(names, '-');
        *dash = 0;
        return el_fail("%s takes %s-%s with %ld <= %s <= %s <= %ld, or off, got '%s'", flag, names, dash + 1,
                       (long)o->min, names, dash + 1, (long)o->max, text);
    }
    v[0] = (int)lo;
    v[1] = (int)hi;
    return 0;
}

/* Parses text as option o into *at (a copy of the member): 0, or -1 with a message. */
static int parse_value(const Option *o, const char *text, void *at) {
    char flag[64], list[512];
    opt_flag(o, flag, sizeof flag);
    char *end;
    long long whole;
    errno = 0;
    switch (o->type) {
    case OPTION_INT:
        if (parse_whole(o, flag, text, &whole) != 0)
            return -1;
        *(int *)at = (int)whole;
        return 0;
    case OPTION_INT64:
        if (parse_whole(o, flag, text, &whole) != 0)
            return -1;
        *(int64_t *)at = (int64_t)whole;
        return 0;
    case OPTION_SEED: {
        long long v = strtoll(text, &end, 10);
        if (errno || end == text || *end || v < 0 || v > (long long)(~0UL >> 1))
            return el_fail("%s must be a whole number from 0 to %ld, got '%s'", flag, (long)(~0UL >> 1), text);
        *(uint64_t *)at = (uint64_t)v;
        return 0;
    }
    case OPTION_REAL: {
        double v = strtod(text, &end);
        if (errno || end == text || *end || !(v >= o->min && v <= o->max))
            return el_fail("%s must be a number from %g to %g, got '%s'", flag, o->min, o->max, text);
        *(double *)at = v;
        return 0;
    }
    case OPTION_FLAG:
        if (!strcmp(text, "1") || !strcmp(text, "true"))
            *(int *)at = 1;
        else if (!strcmp(text, "0") || !strcmp(text, "false"))
            *(int *)at = 0;
        else
            return el_fail("%s is on (1, true) or off (0, false), got '%s'", flag, text);
        return 0;
    case OPTION_ENUM: {
        int v = choice_value(o, text);
        if (v < 0)
            return el_fail("unknown %s '%s' (known: %s)", o->name, text, opt_choices(o, list, sizeof list));
        *(int *)at = v;
        return 0;
    }
    case OPTION_RANGE: return parse_range(o, flag, text, at);
    case OPTION_STRING: *(const char **)at = text; return 0;
    case OPTION_TEXT: break;
    }
    if (strlen(text) >= o->size)
        return el_fail("%s takes at most %zu bytes, got %zu", flag, o->size - 1, strlen(text));
    memset(at, 0, o->size); /* the whole buffer: equal settings are equal bytes */
    memcpy(at, text, strlen(text));
    return 0;
}

int opt_set(const OptionTable *t, void *obj, const char *name, const char *text) {
    const Option *o = opt_find(t, name);
    if (!o)
        return el_fail("unknown option '%s'", name);
    char value[OPTION_MAX_SIZE];
    if (o->size > sizeof value)
        return el_fail("option %s is too large", o->name);
    if (parse_value(o, text, value) != 0)
        return -1;
    memcpy((char *)obj + o->offset, value, o->size);
    return 0;
}

void opt_defaults(const OptionTable *t, void *obj) {
    for (int i = 0; i < t->n; i++) {
        const Option *o = &t->opts[i];
        memset((char *)obj + o->offset, 0, o->size);
        if (o->def && opt_set(t, obj, o->name, o->def) != 0)
            abort(); /* a default outside its own range: a bug in the table */
    }
}

const char *opt_format(const void *obj, const Option *o, char *buf, size_t n) {
    const char *at = (const char *)obj + o->offset;
    switch (o->type) {
    case OPTION_INT:
        if (o->choices && opt_choice_name(o, *(const int *)at)) { /* a named value: "auto" */
            snprintf(buf, n, "%s", opt_choice_name(o, *(const int *)at));
            break;
        }
        /* fall through */
    case OPTION_FLAG: snprintf(buf, n, "%d", *(const int *)at); break;
    case OPTION_INT64: snprintf(buf, n, "%" PRId64, *(const int64_t *)at); break;
    case OPTION_SEED: snprintf(buf, n, "%" PRIu64, *(const uint64_t *)at); break;
    case OPTION_REAL: snprintf(buf, n, "%.17g", *(const double *)at); break;
    case OPTION_ENUM: {
        const char *name = opt_choice_name(o, *(const int *)at);
        snprintf(buf, n, "%s", name ? name : "?");
        break;
    }
    case OPTION_TEXT: snprintf(buf, n, "%s", at); break;
    case OPTION_STRING: snprintf(buf, n, "%s", *(const char *const *)at ? *(const char *const *)at : ""); break;
    case OPTION_RANGE: {
        const int *v = (const int *)at;
        if (v[0] == 0 && v[1] == 0)
            snprintf(buf, n, "off");
        else
            snprintf(buf, n, "%d-%d", v[0], v[1]);
        break;
    }
    }
    return buf;
}

Option opt_at(const OptionTable *t, const char *name, size_t base, const char *group) {
    const Option *o = opt_find(t, name);
    if (!o)
        abort(); /* a name the table lacks: a bug in the caller */
    Option c = *o;
    c.offset += base;
    c.group = group;
    return c;
}

/* Writes text from column `indent` on, wrapped between words before column
 * HELP_WIDTH, each further line indented to the same column. */
enum { HELP_WIDTH = 100 };
static void help_wrap(FILE *out, const char *text, int indent) {
    int col = indent;
    for (const char *p = text; *p;) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (w == 0)
            break;
        if (col > indent && col + 1 + (int)w > HELP_WIDTH) {
            fprintf(out, "\n%*s", indent - 1, "");
            col = indent;
        }
        fprintf(out, " %.*s", (int)w, p);
        col += 1 + (int)w;
        p += w;
    }
    fprintf(out, "\n");
}

/* One option's help line: "  --units N                  cell size (default 8)". */
static void help_line(FILE *out, const Option *o) {
    char flag[64], left[384], meta[256];
    opt_flag(o, flag, sizeof flag);
    const char *m = o->metavar;
    if (!m && o->type == OPTION_ENUM) {
        char list[256];
        opt_choices(o, list, sizeof list);
        size_t w = 0;
        for (const char *r = list; *r && w + 1 < sizeof meta; r++) /* "a, b" -> "a|b" */
            if (!(*r == ' ' && r > list && r[-1] == ','))
                meta[w++] = *r == ',' ? '|' : *r;
        meta[w] = 0;
        m = meta;
    } else if (!m) {
        m = o->type == OPTION_REAL     ? "F"
            : o->type == OPTION_FLAG   ? ""
            : o->type == OPTION_RANGE  ? "LO-HI"
            : o->type == OPTION_STRING ? "TEXT"
                                       : "N";
    }
    snprintf(left, sizeof left, "%s%s%s", flag, *m ? " " : "", m);
    char text[1024], names[512];
    int len = snprintf(text, sizeof text, "%s", o->help);
    /* Choices the metavar does not show follow the help: "the trainer: word2vec, toy". */
    int listed = (o->type == OPTION_ENUM && o->metavar) || (o->type == OPTION_STRING && o->choice);
    if (listed && len >= 0 && (size_t)len < sizeof text)
        len += snprintf(text + len, sizeof text - (size_t)len, ": %s", opt_choices(o, names, sizeof names));
    if (o->def && *o->def && !strstr(o->help, "(default") && len >= 0 && (size_t)len < sizeof text)
        snprintf(text + len, sizeof text - (size_t)len, " (default %s)", o->def);
    fprintf(out, "  %-26s", left);
    help_wrap(out, text, 29); /* 2 + 26 + 1: after the left column */
}

int opt_on_command_line(const Option *o) { return o->group != NULL; }

void opt_help(const OptionTable *t, FILE *out) {
    for (int i = 0; i < t->n; i++) {
        const char *g = t->opts[i].group;
        int first = g != NULL;
        for (int j = 0; j < i && first; j++)
            first = !t->opts[j].group || strcmp(t->opts[j].group, g) != 0;
        if (!first)
            continue;
        fprintf(out, "%s:\n", g);
        for (int j = i; j < t->n; j++)
            if (t->opts[j].group && strcmp(t->opts[j].group, g) == 0)
                help_line(out, &t->opts[j]);
    }
}
