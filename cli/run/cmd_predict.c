/* cli/run/cmd_predict.c: "embedlab predict". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "experiments/run/saved_run.h"
#include "rnn/train.h"

static const char predict_help[] =
    "Usage: embedlab predict --run ID TEXT [TEXT ...]\n\n"
    "Prints the probability that each TEXT is a positive review, by the trained model of run ID.\n"
    "Texts are tokenized by the run's tokenizer (a learned one's model read from the lab database);\n"
    "--tokenizer SPEC, if given, must name it.\n\n";
int cmd_predict(int argc, char **argv) {
    const char *cmd = "embedlab predict";
    CommonOpts co;
    RunArgs a;
    int r = cli_run_option(cmd, predict_help, argc, argv, 0, &co, &a);
    if (r >= 0)
        return r;
    if (optind >= argc)
        return cli_usage(cmd, "give at least one TEXT");
    long run = (long)a.run;
    const char *spec = a.tokenizer;
    SavedRun sr;
    if (cli_load_run(&co, run, spec, &sr) != 0)
        return cli_failed();
    int n = argc - optind;
    real *p = xmalloc(n * sizeof *p);
    if (saved_run_predict(&sr, argv + optind, n, p) != 0) {
        free(p);
        saved_run_free(&sr);
        return cli_failed();
    }
    for (int i = 0; i < n; i++) {
        const char *t = argv[optind + i];
        printf("%.4f  %s  %.60s%s\n", p[i], p[i] >= 0.5 ? "positive" : "negative", t, strlen(t) > 60 ? "..." : "");
    }
    free(p);
    saved_run_free(&sr);
    return 0;
}
