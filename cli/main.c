/* cli/main.c: the embedlab program, git-style subcommands.
 *
 * Data flow (ARCHITECTURE.md): data -> embed (word2vec) -> lab.db -> train
 * (recurrent classifiers) -> sweep -> plot/report. Each subcommand lives in
 * its own cli/cmd_*.c file. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/provenance.h"

static const Command commands[] = {
    {"data", "inspect the review data (data stats)", cmd_data},
    {"embed", "word2vec: train, list, rm, eval, export, import", cmd_embed},
    {"nearest", "the nearest words of a word", cmd_nearest},
    {"analogy", "a is to b as c is to ...", cmd_analogy},
    {"train", "train a recurrent sentiment classifier (a run)", cmd_train},
    {"predict", "probability that a text is positive, by a trained run", cmd_predict},
    {"eval", "score a trained run on the test split or a labeled file", cmd_eval},
    {"ensemble", "a soft vote of finished runs on their test split", cmd_ensemble},
    {"sweep", "a grid of runs (dims x cells x inputs x seeds ...), in parallel", cmd_sweep},
    {"runs", "list runs with their settings, status and results; runs rm removes", cmd_runs},
    {"merge", "merge lab databases (the shards of a sweep)", cmd_merge},
    {"plot", "plots with gnuplot: sweep, curves, lengths, words", cmd_plot},
    {"report", "a Markdown (or HTML) report of a sweep", cmd_report},
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

/* OpenMP's default wait policy spins an idle thread for up to 300,000
 * iterations before it sleeps; on a loaded machine that made a 2-thread run
 * 25x slower than a 1-thread one (10 s against 0.4 s per epoch, measured).
 * Fully passive waiting instead costs a futex wake-up per parallel region:
 * 60% slower on a quiet machine. A short spin (10,000) is within 15% of the
 * best in both cases. libgomp reads its settings when the program loads, so
 * setting them takes a fresh start of this same program; a user's own
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT wins. */
static void bound_spin_waiting(char **argv) {
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT"))
        return;
    setenv("GOMP_SPINCOUNT", "10000", 1);
    /* Re-execute the binary by its real path, not /proc/self/exe, so that ps,
     * top and the OOM killer's messages name it embedlab rather than exe. */
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0 || n >= (ssize_t)sizeof path - 1)
        return;
    path[n] = '\0';
    execv(path, argv);
    /* If re-executing fails, run on with the default policy. */
}

/* Every command's output to stdout, checked once here: a write that failed
 * (a full disk, /dev/full, a file-size limit) fails the command, whatever it
 * returned. A stream that failed earlier keeps its error flag, and errno
 * then usually still holds the reason. */
static int finish_stdout(int rc) {
    int last = errno, err = 0;
    if (fflush(stdout) != 0)
        err = errno;
    else if (ferror(stdout))
        err = last ? last : EIO;
    if (!err)
        return rc;
    fprintf(stderr, "embedlab: error: writing standard output: %s\n", strerror(err));
    return rc ? rc : 1;
}

static int run(int argc, char **argv) {
    if (argc < 2) {
        print_help();
        return 2;
    }
    if (strcmp(argv[1], "--version") == 0) {
        Provenance p;
        provenance_get(&p);
        printf("embedlab %s (commit %s)\nbuilt with %s, %s\nrunning on %s (%s), %s, BLAS kernel %s\n", p.version,
               p.commit, p.compiler, p.flags, p.cpu, p.isa, p.blas, p.blas_kernel);
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

int embedlab_main(int argc, char **argv) {
    bound_spin_waiting(argv);
    /* Past a file-size limit (ulimit -f), a write then fails with EFBIG and
     * the error is reported, instead of the process dying half-written. */
    signal(SIGXFSZ, SIG_IGN);
    return finish_stdout(run(argc, argv));
}
