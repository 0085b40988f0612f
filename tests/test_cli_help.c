/* tests/test_cli_help.c: every command's --help lists every option its
 * parse accepts (cli/parse.c derives both from the command's option tables).
 *
 * The CLI runs in this process (embedlab_main), and getopt_long is wrapped
 * (-Wl,--wrap=getopt_long, see the Makefile): when it returns --help's 'h',
 * the wrapper keeps the entries that parse gave it, every option the parse
 * would have taken. Each must be named in the help printed: "--name" (not
 * as part of a longer flag: "--dim" is not "--dims") or "-k". The commands
 * are found as a user finds them: those `embedlab --help` lists, the
 * subcommands each --help lists, and every 'embedlab ... --help' a help
 * text points to (runs rm). */
#include "tests/fixtures.h"

#include <ctype.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int __real_getopt_long(int argc, char *const *argv, const char *shortopts, const struct option *longopts, int *longind);

enum { MAX_SEEN = 256, MAX_COMMANDS = 64 };
static char seen[MAX_SEEN][64]; /* the flags of the parse that printed --help */
static int nseen, helped;

int __wrap_getopt_long(int argc, char *const *argv, const char *shortopts, const struct option *longopts,
                       int *longind) {
    int r = __real_getopt_long(argc, argv, shortopts, longopts, longind);
    if (r == 'h') {
        helped = 1;
        nseen = 0;
        for (const struct option *o = longopts; o->name && nseen < MAX_SEEN; o++)
            snprintf(seen[nseen++], sizeof seen[0], "--%s", o->name);
        for (const char *s = shortopts; *s && nseen < MAX_SEEN; s++)
            if (*s != ':')
                snprintf(seen[nseen++], sizeof seen[0], "-%c", *s);
    }
    return r;
}

/* Runs embedlab with the words of line (space-separated) and --help; its
 * stdout in a string the caller frees. The exit status must be 0. */
static char *help_of(const char *line) {
    char words[256], *argv[16] = {"embedlab"};
    int argc = 1;
    snprintf(words, sizeof words, "%s", line);
    for (char *save = NULL, *w = strtok_r(words, " ", &save); w && argc < 14; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    argv[argc++] = "--help";
    argv[argc] = NULL;
    fflush(stdout);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(1);
    dup2(fileno(tmp), 1);
    helped = 0;
    int rc = embedlab_main(argc, argv);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    if (rc != 0)
        fail_msg("'embedlab %s --help' exits with %d", line, rc);
    long n = ftell(tmp);
    char *text = calloc((size_t)n + 1, 1);
    rewind(tmp);
    assert_int_equal(fread(text, 1, (size_t)n, tmp), (size_t)n);
    fclose(tmp);
    return text;
}

/* Whether text names flag as a flag of its own: not inside a longer one. */
static int names(const char *text, const char *flag) {
    size_t n = strlen(flag);
    for (const char *p = strstr(text, flag); p; p = strstr(p + 1, flag)) {
        char before = p == text ? ' ' : p[-1], after = p[n];
        if (!isalnum((unsigned char)before) && before != '-' && !isalnum((unsigned char)after) && after != '-' &&
            after != '_')
            return 1;
    }
    return 0;
}

/* The commands a help text leads to, added to list (without repeats):
 * "  NAME  summary" lines under "Commands:" or "Subcommands:" (prefix
 * before NAME), and 'embedlab a b --help' in quotes. */
static void commands_in(const char *text, const char *prefix, char list[][64], int *n) {
    char found[MAX_COMMANDS][64];
    int nf = 0;
    const char *under = strstr(text, "ommands:\n");
    for (const char *p = under ? strchr(under, '\n') + 1 : NULL; p && strncmp(p, "  ", 2) == 0 && nf < MAX_COMMANDS;
         p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        int len = (int)strcspn(p + 2, " \n");
        snprintf(found[nf++], sizeof found[0], "%s%s%.*s", prefix, *prefix ? " " : "", len, p + 2);
    }
    for (const char *p = strstr(text, "'embedlab "); p && nf < MAX_COMMANDS; p = strstr(p + 1, "'embedlab ")) {
        const char *end = strstr(p, " --help'");
        size_t len = end ? (size_t)(end - p - 10) : 0;
        int lower = len > 0 && len < 60;
        for (size_t i = 0; lower && i < len; i++)
            lower = islower((unsigned char)p[10 + i]) || p[10 + i] == ' ';
        if (lower)
            snprintf(found[nf++], sizeof found[0], "%.*s", (int)len, p + 10);
    }
    for (int i = 0; i < nf; i++) {
        int known = 0;
        for (int j = 0; j < *n && !known; j++)
            known = strcmp(list[j], found[i]) == 0;
        if (!known && *n < MAX_COMMANDS)
            snprintf(list[(*n)++], sizeof list[0], "%.63s", found[i]);
    }
}

static void every_option_in_help(void **state) {
    (void)state;
    char commands[MAX_COMMANDS][64];
    int n = 0, checked = 0, missing = 0;
    char *top = help_of("");
    commands_in(top, "", commands, &n);
    free(top);
    assert_true(n >= 14); /* data, embed, nearest, ..., serve */
    for (int i = 0; i < n; i++) {
        char *text = help_of(commands[i]);
        commands_in(text, commands[i], commands, &n);
        for (int k = 0; helped && k < nseen; k++)
            if (!names(text, seen[k])) {
                print_error("'embedlab %s --help' does not list %s, which it accepts\n", commands[i], seen[k]);
                missing++;
            }
        checked += helped;
        free(text);
    }
    assert_int_equal(missing, 0);
    assert_true(checked >= 20); /* every command with options, subcommands included */
}

/* The check itself: a help text that leaves out an accepted option, or
 * names it only inside a longer flag, fails. */
static void names_a_flag_whole(void **state) {
    (void)state;
    assert_true(names("  --dim N   size\n", "--dim"));
    assert_false(names("  --dims LIST\n", "--dim"));
    assert_false(names("  --max-dim N\n", "--dim"));
    assert_true(names("  -k N  neighbours", "-k"));
    assert_false(names("  --kind", "-k"));
    assert_true(names("each point's --dim (default)", "--dim"));
}

int main(void) {
    setenv("GOMP_SPINCOUNT", "10000", 1); /* embedlab_main would re-execute the program to set it */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_a_flag_whole),
        cmocka_unit_test(every_option_in_help),
    };
    return cmocka_run_group_tests_name("cli_help", tests, NULL, NULL);
}
