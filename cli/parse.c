/* cli/parse.c: a command line read through option tables (core/options.h):
 * the getopt entries of a command's tables, each option given set through
 * its table, the --help they generate, and cli_parse_tables, the one option
 * parse of every command (cli/cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"

enum { OPT_TABLE = 3000, MAX_ENTRIES = 160 };

/* A command's command-line options, from its tables, and getopt's entries
 * of them: own[i] is code OPT_TABLE + i (a one-letter one is a short
 * option, in letters), then the common options. */
typedef struct {
    struct {
        const CliTable *table;
        const Option *opt;
    } own[MAX_ENTRIES];
    int nown;
    CliFlagName names[MAX_ENTRIES]; /* the long options' names, which getopt points to */
    struct option longopts[MAX_ENTRIES + 8];
    char letters[2 * MAX_ENTRIES + 2]; /* getopt's short options: "hk:" */
} Entries;

/* The tables' options first: one named like a common option ("data") stands
 * in for it, getopt_long taking the first exact match. */
static void entries_build(Entries *e, const CliTable *tables, int n) {
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    int nl = 0;
    e->nown = 0;
    snprintf(e->letters, sizeof e->letters, "h");
    for (int k = 0; k < n; k++)
        for (int i = 0; i < tables[k].table->n; i++) {
            const Option *o = &tables[k].table->opts[i];
            if (!opt_on_command_line(o))
                continue;
            if (e->nown == MAX_ENTRIES)
                abort(); /* a command with more options than MAX_ENTRIES: raise it */
            e->own[e->nown].table = &tables[k];
            e->own[e->nown].opt = o;
            if (strlen(o->name) == 1) {
                size_t at = strlen(e->letters);
                e->letters[at] = o->name[0];
                e->letters[at + 1] = o->type == OPTION_FLAG ? 0 : ':';
                e->letters[at + 2] = 0;
            } else {
                e->longopts[nl++] =
                    (struct option){opt_flag(o, e->names[e->nown], sizeof e->names[0]) + 2,
                                    o->type == OPTION_FLAG ? no_argument : required_argument, 0, OPT_TABLE + e->nown};
            }
            e->nown++;
        }
    memcpy(e->longopts + nl, common, sizeof common);
}

/* The entry of what getopt_long returned for one of the tables' options (a
 * code, or a letter), or -1. */
static int entry_of(const Entries *e, int opt) {
    if (opt >= OPT_TABLE && opt < OPT_TABLE + e->nown)
        return opt - OPT_TABLE;
    for (int i = 0; i < e->nown && opt < 256; i++)
        if (strlen(e->own[i].opt->name) == 1 && e->own[i].opt->name[0] == opt)
            return i;
    return -1;
}

/* Whether o is one of t's options left out of --help. */
static int hidden(const CliTable *t, const Option *o) {
    for (const char *const *h = t->hidden; h && *h; h++)
        if (strcmp(*h, o->name) == 0)
            return 1;
    return 0;
}

/* Whether one of the n tables has a command-line option named like flag,
 * "--data": a command's own --data then stands in for the common one. */
static int shadowed(const char *flag, size_t len, const CliTable *tables, int n) {
    char name[64];
    if (len >= sizeof name)
        return 0;
    memcpy(name, flag, len);
    name[len] = 0;
    for (int i = 0; i < n; i++) {
        const Option *o = opt_find(tables[i].table, name);
        if (o && opt_on_command_line(o))
            return 1;
    }
    return 0;
}

/* COMMON_HELP on f, without the entries (a "  --flag" line and the deeper
 * indented lines under it) of the options the tables shadow. */
static void common_help(FILE *f, const CliTable *tables, int n) {
    int skip = 0;
    for (const char *p = COMMON_HELP; *p;) {
        size_t len = strcspn(p, "\n");
        if (strncmp(p, "  --", 4) == 0)
            skip = shadowed(p + 2, strcspn(p + 2, " "), tables, n);
        else if (strncmp(p, "   ", 3) != 0)
            skip = 0; /* a heading, or "  -h, --help" */
        if (!skip)
            fprintf(f, "%.*s\n", (int)len, p);
        p += len + (p[len] == '\n');
    }
}

/* A command's --help: usage, the lines of its tables' options (those not
 * hidden), after (NULL: nothing), the common options the tables do not
 * shadow. The caller frees it. */
static char *help_text(const char *usage, const CliTable *tables, int n, const char *after) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return xstrdup(usage);
    fputs(usage, f);
    for (int k = 0; k < n; k++) {
        Option shown[MAX_ENTRIES];
        OptionTable t = {shown, 0};
        for (int i = 0; i < tables[k].table->n && t.n < MAX_ENTRIES; i++)
            if (!hidden(&tables[k], &tables[k].table->opts[i]))
                shown[t.n++] = tables[k].table->opts[i];
        opt_help(&t, f);
    }
    fprintf(f, "%s\n", after ? after : "");
    common_help(f, tables, n);
    fclose(f);
    return text;
}

/* Applies option entry i with its value (getopt's optarg) through its
 * table: -1 to go on, or a usage error printed and 2. */
static int entry_set(const char *cmd, const Entries *e, int i, const char *arg) {
    const CliTable *t = e->own[i].table;
    const Option *o = e->own[i].opt;
    const char *text = o->type == OPTION_FLAG ? "1" : arg;
    int rc = t->given ? t->given(t->ctx, o, text) : opt_set(t->table, t->obj, o->name, text);
    return rc == 0 ? -1 : cli_usage(cmd, "%s", el_error());
}

/* Where the options of argv end when a command's arguments are texts: at
 * "--" (after it), or at the first argument that is neither a long option
 * nor -h ("-5 stars" is a text, not an option), a long option's separate
 * value skipped over. */
static int options_end(int argc, char **argv, const struct option *longopts) {
    int i = 1;
    while (i < argc) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            return i + 1;
        if (cli_is_help(a) || (strncmp(a, "--", 2) == 0 && strchr(a, '='))) {
            i++;
            continue;
        }
        if (strncmp(a, "--", 2) != 0)
            return i;
        /* The option a names exactly, else the first it abbreviates (getopt
         * refuses an ambiguous one anyway). */
        const struct option *found = NULL;
        for (const struct option *o = longopts; o->name; o++) {
            if (strcmp(o->name, a + 2) == 0) {
                found = o;
                break;
            }
            if (!found && strncmp(o->name, a + 2, strlen(a + 2)) == 0)
                found = o;
        }
        i += found && found->has_arg == required_argument ? 2 : 1;
    }
    return argc;
}

/* cli_parse_tables, and with texts set cli_parse_texts: the options end
 * as options_end says. */
static int parse(const char *cmd, const char *usage, const CliTable *tables, int n, const char *after, int texts,
                 int argc, char **argv, CommonOpts *co) {
    Entries *e = xmalloc(sizeof *e);
    entries_build(e, tables, n);
    common_init(co);
    for (int k = 0; k < n; k++)
        if (tables[k].obj)
            opt_defaults(tables[k].table, tables[k].obj);
    if (texts)
        argc = options_end(argc, argv, e->longopts);
    char *help = help_text(usage, tables, n, after);
    int r = -1, opt;
    optind = 1;
    while (r < 0 && (opt = getopt_long(argc, argv, e->letters, e->longopts, NULL)) != -1) {
        int i = entry_of(e, opt);
        if (opt == OPT_HELP) {
            printf("%s", help);
            r = 0;
        } else if (opt == '?') { /* getopt has said which option and why */
            r = cli_usage(cmd, "unknown option");
        } else if (i >= 0) {
            r = entry_set(cmd, e, i, optarg);
        } else if (common_option(cmd, opt, optarg, co) < 0) {
            r = 2;
        }
    }
    free(help);
    free(e);
    if (r < 0)
        common_apply(co);
    return r;
}

int cli_parse_tables(const char *cmd, const char *usage, const CliTable *tables, int n, const char *after, int argc,
                     char **argv, CommonOpts *co) {
    return parse(cmd, usage, tables, n, after, 0, argc, argv, co);
}

int cli_parse(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
              CommonOpts *co) {
    const CliTable table = {.table = t, .obj = obj};
    return parse(cmd, usage, &table, 1, NULL, 0, argc, argv, co);
}

int cli_parse_texts(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
                    CommonOpts *co) {
    const CliTable table = {.table = t, .obj = obj};
    return parse(cmd, usage, &table, 1, NULL, 1, argc, argv, co);
}

const char *cli_peek(const CliTable *tables, int n, const char *name, int argc, char **argv) {
    Entries *e = xmalloc(sizeof *e);
    entries_build(e, tables, n);
    char **words = xmalloc(((size_t)argc + 1) * sizeof *words); /* getopt reorders them */
    memcpy(words, argv, (size_t)argc * sizeof *words);
    words[argc] = NULL;
    const char *value = NULL;
    int quiet = opterr, opt;
    opterr = 0; /* an option of none of the tables is the parse's to report */
    optind = 1;
    while ((opt = getopt_long(argc, words, e->letters, e->longopts, NULL)) != -1) {
        int i = entry_of(e, opt);
        if (i >= 0 && strcmp(e->own[i].opt->name, name) == 0)
            value = optarg;
    }
    opterr = quiet;
    optind = 1;
    free(words);
    free(e);
    return value;
}
