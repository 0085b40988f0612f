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

char *cli_help(const char *usage, const OptionTable *const *tables, int n, const char *after) {
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return xstrdup(usage);
    fputs(usage, f);
    for (int i = 0; i < n; i++)
        opt_help(tables[i], f);
    fprintf(f, "%s\n%s", after ? after : "", COMMON_HELP);
    fclose(f);
    return text;
}

enum { OPT_TABLE = 3000, MAX_TABLE = 32 };

int cli_parse(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
              CommonOpts *co) {
    static const struct option common[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    struct option longopts[MAX_TABLE + sizeof common / sizeof *common];
    CliFlagName names[MAX_TABLE];
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
