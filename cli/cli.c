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
    int r = cli_parse_tables(cmd, help, NULL, 0, NULL, argc, argv, co); /* no options of its own */
    if (r >= 0)
        return r;
    int nargs = argc - optind;
    if (nargs < min_args)
        return cli_usage(cmd, "missing argument");
    if (nargs > max_args)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind + max_args]);
    return -1; /* go on */
}
