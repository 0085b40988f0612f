/* cli/cli.c: dispatch, messages, option helpers shared by subcommands. */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/progress.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/data/source.h"

int cli_usage(const char *cmd, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "embedlab: error: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", cmd);
    return 2;
}

int cli_failed(void) {
    fprintf(stderr, "embedlab: error: %s\n", el_error());
    return 1;
}

int cli_is_help(const char *arg) { return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0; }

int cli_dispatch(const char *prefix, const Command *cmds, int argc, char **argv) {
    if (argc < 2)
        return cli_usage(prefix, "missing subcommand");
    const char *name = argv[1];
    if (cli_is_help(name) || strcmp(name, "help") == 0) {
        printf("Usage: %s SUBCOMMAND [options]\n\nSubcommands:\n", prefix);
        for (const Command *c = cmds; c->name; c++)
            printf("  %-10s %s\n", c->name, c->summary);
        printf("\nRun '%s SUBCOMMAND --help' for a subcommand's options.\n", prefix);
        return 0;
    }
    for (const Command *c = cmds; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage(prefix, "unknown subcommand '%s'", name);
}

int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out) {
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_usage(cmd, "%s must be a whole number from %ld to %ld, got '%s'", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_set_int(const char *cmd, const char *opt, const char *s, long lo, long hi, int *out) {
    long v;
    if (cli_int(cmd, opt, s, lo, hi, &v) != 0)
        return -1;
    *out = (int)v;
    return 0;
}

int cli_run_ids(const char *cmd, const char *opt, const char *list, int64_t **ids, int *n, int max) {
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        char item[32];
        long id;
        if (len == 0 || len >= sizeof item)
            return cli_usage(cmd, "%s takes run ids separated by commas (as 'embedlab runs' lists them), not '%s'", opt,
                             list),
                   -1;
        if (max > 0 && *n == max)
            return cli_usage(cmd, "%s takes at most %d runs", opt, max), -1;
        memcpy(item, p, len);
        item[len] = 0;
        if (cli_int(cmd, opt, item, 1, 1L << 40, &id) != 0)
            return -1;
        *ids = xrealloc(*ids, (size_t)(*n + 1) * sizeof **ids);
        (*ids)[(*n)++] = id;
        if (!p[len])
            return 0;
        p += len + 1;
    }
}

int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        cli_usage(cmd, "%s must be a number from %g to %g, got '%s'", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

void common_init(CommonOpts *o) {
    memset(o, 0, sizeof *o);
    const char *env = getenv("EMBEDLAB_DATA");
    o->data = env && *env ? env : "data/aclImdb";
}

int common_option(const char *cmd, int opt, const char *arg, CommonOpts *o) {
    long n;
    switch (opt) {
    case OPT_DB: o->db = arg; return 1;
    case OPT_DATA: o->data = arg; return 1;
    case OPT_TEST_DATA: o->test_data = arg; return 1;
    case OPT_PROGRESS: o->progress = 1; return 1;
    case OPT_THREADS:
        if (cli_int(cmd, "--threads", arg, 1, 1024, &n) != 0)
            return -1;
        o->threads = (int)n;
        return 1;
    }
    return 0;
}

int cli_next(const char *cmd, const char *help, int argc, char **argv, const struct option *longopts, CommonOpts *o) {
    for (;;) {
        int opt = getopt_long(argc, argv, "h", longopts, NULL);
        if (opt == -1)
            return CLI_END;
        if (opt == OPT_HELP) {
            printf("%s", help);
            return CLI_HELP;
        }
        if (opt == '?') { /* getopt has said which option and why */
            cli_usage(cmd, "unknown option");
            return CLI_USAGE;
        }
        int r = common_option(cmd, opt, optarg, o);
        if (r < 0)
            return CLI_USAGE;
        if (r == 0)
            return opt;
    }
}

int cli_status(int next) { return next == CLI_HELP ? 0 : 2; }

void common_apply(const CommonOpts *o) {
    el_set_threads(o->threads);
    progress_force(o->progress);
}

/* volatile int, not sig_atomic_t: the library's stop flags (train_model,
 * classifier_run) point at it; an int store is atomic where we run. */
volatile int cli_interrupted;

static void on_interrupt(int sig) {
    (void)sig;
    cli_interrupted = 1;
    el_stop = 1;
}

/* sigaction, not signal(): glibc's signal() sets SA_RESTART, so a read of a
 * FIFO with no writer (or an open of it) would resume after Ctrl-C and the
 * command would never see it. Without it the blocking call fails with EINTR
 * and the reader reports "interrupted". SA_RESETHAND: a second Ctrl-C kills
 * at once (SQLite's journal keeps lab.db consistent either way). */
void cli_catch_interrupts(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_load_corpus(const CommonOpts *o, unsigned split_mask, Corpus *c) {
    return source_read(c, o->data, o->test_data, split_mask);
}

int cli_load_corpus_with(const CommonOpts *o, const char *spec, unsigned split_mask, Corpus *c, Tokenizer **tok) {
    if (tokenizer_new(spec ? spec : "words", tok) != 0)
        return -1;
    c->tok = *tok;
    if (source_train_tokenizer(*tok, o->data, 0) != 0 || cli_load_corpus(o, split_mask, c) != 0) {
        tokenizer_free(*tok);
        *tok = NULL;
        c->tok = NULL;
        return -1;
    }
    return 0;
}

void cli_corpus_warn(const Corpus *c) {
    size_t empty = corpus_count_empty(c, SPLITS_ALL);
    if (empty > 0)
        fprintf(stderr, "embedlab: warning: %zu empty reviews (no words): the model sees them as all padding\n", empty);
    if (c->invalid > 0)
        fprintf(stderr, "embedlab: warning: %zu invalid UTF-8 sequence%s in the reviews (%s)\n", c->invalid,
                c->invalid == 1 ? "" : "s",
                c->tok && strcmp(tokenizer_spec(c->tok), "words") != 0 ? "each replaced by U+FFFD, a separator"
                                                                       : "kept as bytes by the words tokenizer");
}

int cli_simple_opts(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, int min_args,
                    int max_args) {
    static const struct option longopts[] = {COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    common_init(co);
    int opt;
    optind = 1;
    if ((opt = cli_next(cmd, help, argc, argv, longopts, co)) != CLI_END)
        return cli_status(opt); /* no options of its own */
    int nargs = argc - optind;
    if (nargs < min_args)
        return cli_usage(cmd, "missing argument");
    if (nargs > max_args)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + max_args]);
    common_apply(co);
    return -1; /* go on */
}

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
