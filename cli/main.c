/* cli/main.c: the embedlab program, git-style subcommands.
 *
 * Data flow (DESIGN.md): data -> embed (word2vec) -> lab.db -> train
 * (recurrent classifiers) -> sweep -> plot/report. Each subcommand lives in
 * its own cli/cmd_*.c file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/common.h"

static const Command commands[] = {
    {"data", "inspect the review data (data stats)", cmd_data},
    {"embed", "word2vec: train, list, rm, eval, export, import", cmd_embed},
    {"nearest", "the nearest words of a word", cmd_nearest},
    {"analogy", "a is to b as c is to ...", cmd_analogy},
    {NULL, NULL, NULL},
};

static void print_help(void) {
    printf("embedlab %s: a word-embedding research workbench\n\n"
           "Usage: embedlab [--version] [--help] COMMAND [options]\n\nCommands:\n",
           EL_VERSION);
    for (const Command *c = commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->summary);
    printf("\nRun 'embedlab COMMAND --help' for a command's options.\n"
           "Errors go to stderr as 'embedlab: error: ...'; exit status 1 is a failed run, 2 bad usage.\n");
}

/* OpenMP's default spin-waiting burns a core per idle thread; on a loaded
 * machine that can make two threads far slower than one. libgomp reads its
 * settings when the program loads, so setting them needs a fresh start of
 * this same program. The user's own setting wins. */
static void ensure_passive_waiting(char **argv) {
    if (getenv("OMP_WAIT_POLICY"))
        return;
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
    /* If re-executing fails, run on with the default policy. */
}

int main(int argc, char **argv) {
    ensure_passive_waiting(argv);
    if (argc < 2) {
        print_help();
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("embedlab %s\n", EL_VERSION);
        return 0;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help();
        return 0;
    }
    for (const Command *c = commands; c->name; c++)
        if (strcmp(c->name, argv[1]) == 0)
            return c->run(argc - 1, argv + 1);
    return cli_usage("embedlab", "unknown command '%s'", argv[1]);
}
