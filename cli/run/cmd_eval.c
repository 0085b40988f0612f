/* cli/run/cmd_eval.c: "embedlab eval". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "experiments/run/saved_run.h"
#include "rnn/train.h"

static const char eval_help[] =
    "Usage: embedlab eval --run ID [--data FILE]\n\n"
    "Scores run ID's trained model on the test split of the data it was trained on, or on a\n"
    "LABEL<TAB>TEXT file given with --data. Prints loss, accuracy and the count. Reviews are\n"
    "tokenized by the run's tokenizer; --tokenizer SPEC, if given, must name it.\n\n";

int cmd_eval(int argc, char **argv) {
    const char *cmd = "embedlab eval";
    CommonOpts co;
    RunArgs a;
    int r = cli_run_option(cmd, eval_help, argc, argv, 1, &co, &a);
    if (r >= 0)
        return r;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    long run = (long)a.run;
    const char *file = a.file, *spec = a.tokenizer;
    SavedRun sr;
    if (cli_load_run(&co, run, spec, &sr) != 0)
        return cli_failed();
    Dataset d;
    int rc = saved_run_test(&sr, file, &d);
    if (rc == 0) {
        EvalResult e = evaluate(&sr.m, &d);
        printf("Run %ld on %s: loss %.4f, accuracy %.4f over %lld reviews\n", run, file ? file : "the test split",
               e.loss, e.acc, (long long)d.n);
        dataset_free(&d);
    }
    saved_run_free(&sr);
    return rc == 0 ? 0 : cli_failed();
}
