/* cli/parse.c: a command line read through option tables (core/options.h):
 * getopt entries from a table, a value set through it, the generated
 * --help, and cli_parse, a command's whole option parse (cli/cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"

int cli_table_options(const OptionTable *t, int skip, int base, struct option *out, CliFlagName *names, int max) {
    int n = 0;
    for (int i = 0; i < t->n && n < max; i++) {
        const Option *o = &t->opts[i];
        if ((o->flags & skip) || strlen(o->name) == 1) /* a one-letter one is a short option (cli_parse) */
            continue;
        out[n] = (struct option){opt_flag(o, names[n], sizeof names[n]) + 2, /* without "--" */
                                 o->type == OPTION_FLAG ? no_argument : required_argument, 0, base + i};
        n++;
    }
    return n;
}

int cli_table_set(const char *cmd, const OptionTable *t, void *obj, int base, int opt, const char *arg) {
    const Option *o = &t->opts[opt - base];
    if (opt_set(t, obj, o->name, o->type == OPTION_FLAG ? "1" : arg) != 0)
        return cli_usage(cmd, "%s", el_error());
    return 0;
}

/* Whether one of the n tables has an option named like flag, "--data": a
 * command's own --data then stands in for the common one (cli_parse puts the
 * command's options first, and getopt_long takes the first exact match). */
static int shadowed(const char *flag, size_t len, const OptionTable *const *tables, int n) {
    char name[64];
    if (len >= sizeof name)
        return 0;
    memcpy(name, flag, len);
    name[len] = 0;
    for (int i = 0; i < n; i++)
        if (opt_find(tables[i], name))
            return 1;
    return 0;
}

/* COMMON_HELP on f, without the entries (a "  --flag" line and the deeper
 * indented lines under it) of the options the tables shadow. */
static void common_help(FILE *f, const OptionTable *const *tables, int n) {
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

char *cli_help(const char *usage, const OptionTable *const *tables, int n, const char *after) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return xstrdup(usage);
    fputs(usage, f);
    for (int i = 0; i < n; i++)
        opt_help(tables[i], f);
    fprintf(f, "%s\n", after ? after : "");
    common_help(f, tables, n);
    fclose(f);
    return text;
}

enum { OPT_TABLE = 3000, MAX_TABLE = 32 };

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

/* cli_parse and cli_parse_texts: texts set, the options end as
 * options_end says. */
static int parse_table(const char *cmd, const char *usage, const OptionTable *t, void *obj, int texts, int argc,
                       char **argv, CommonOpts *co) {
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    struct option longopts[MAX_TABLE + sizeof common / sizeof *common];
    CliFlagName names[MAX_TABLE];
    /* The table's options first: one named like a common option ("data")
     * stands in for it, getopt_long taking the first exact match. */
    int n = cli_table_options(t, 0, OPT_TABLE, longopts, names, MAX_TABLE);
    memcpy(longopts + n, common, sizeof common);
    char letters[2 * MAX_TABLE + 2] = "h"; /* getopt's short options: "hk:" */
    for (int i = 0; i < t->n; i++)
        if (strlen(t->opts[i].name) == 1) {
            size_t at = strlen(letters);
            letters[at] = t->opts[i].name[0];
            letters[at + 1] = t->opts[i].type == OPTION_FLAG ? 0 : ':';
            letters[at + 2] = 0;
        }
    common_init(co);
    opt_defaults(t, obj);
    if (texts)
        argc = options_end(argc, argv, longopts);
    char *help = cli_help(usage, &t, 1, NULL);
    int r = -1, opt;
    optind = 1;
    while (r < 0) {
        opt = getopt_long(argc, argv, letters, longopts, NULL);
        if (opt == -1)
            break;
        if (opt == OPT_HELP) {
            printf("%s", help);
            r = 0;
        } else if (opt == '?') { /* getopt has said which option and why */
            r = cli_usage(cmd, "unknown option");
        } else if (opt >= OPT_TABLE) {
            r = cli_table_set(cmd, t, obj, OPT_TABLE, opt, optarg) == 0 ? -1 : 2;
        } else if (opt < 256) { /* a letter: its option's */
            int i = 0;
            while (i < t->n && !(strlen(t->opts[i].name) == 1 && t->opts[i].name[0] == opt))
                i++;
            r = cli_table_set(cmd, t, obj, OPT_TABLE, OPT_TABLE + i, optarg) == 0 ? -1 : 2;
        } else if (common_option(cmd, opt, optarg, co) < 0) {
            r = 2;
        }
    }
    free(help);
    if (r < 0)
        common_apply(co);
    return r;
}

int cli_parse(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
              CommonOpts *co) {
    return parse_table(cmd, usage, t, obj, 0, argc, argv, co);
}

int cli_parse_texts(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
                    CommonOpts *co) {
    return parse_table(cmd, usage, t, obj, 1, argc, argv, co);
}
