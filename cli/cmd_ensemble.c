/* cli/cmd_ensemble.c: "embedlab ensemble", a soft vote of finished runs
 * (experiments/run/ensemble.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "experiments/run/ensemble.h"

static const char ensemble_help[] =
    "Usage: embedlab ensemble --runs ID,ID[,...]\n\n"
    "Combines finished runs into one classifier by soft vote: each test review's probability\n"
    "is the mean of the runs' probabilities. Runs of any cell, input or tokenizer combine, as\n"
    "long as they were tested on the same reviews (the same --data and --test-data). It reads\n"
    "the test predictions each run stored when it finished, so it needs neither the models\n"
    "nor the data. Prints each run's accuracy and then the vote's.\n\n";

typedef struct {
    const char *runs;
} EnsembleArgs;

static const Option ensemble_fields[] = {
    {"runs", OPTION_STRING, OPTION_AT(EnsembleArgs, runs), NULL, 0, 0, NULL, NULL, "LIST", "Options",
     "run ids, comma-separated (see 'embedlab runs'), at most 64", 0},
};
static const OptionTable ensemble_options = {ensemble_fields, 1};

int cmd_ensemble(int argc, char **argv) {
    const char *cmd = "embedlab ensemble";
    CommonOpts co;
    EnsembleArgs a;
    int status = cli_parse(cmd, ensemble_help, &ensemble_options, &a, argc, argv, &co);
    if (status >= 0)
        return status;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    if (!a.runs)
        return cli_usage(cmd, "--runs LIST is required (see 'embedlab runs')");
    int64_t *runs = NULL;
    int n = 0;
    if (cli_run_ids(cmd, "--runs", a.runs, &runs, &n, ENSEMBLE_MAX_RUNS) != 0) {
        free(runs);
        return 2;
    }
    sqlite3 *db;
    EnsembleResult r;
    int rc = lab_open_existing(lab_path(co.db), &db);
    if (rc == 0) {
        rc = ensemble_eval(db, runs, n, &r);
        lab_close(db);
    }
    if (rc != 0) {
        free(runs);
        return cli_failed();
    }
    for (int k = 0; k < n; k++)
        printf("run %lld: test accuracy %.4f\n", (long long)runs[k], r.accs[k]);
    printf("Ensemble of %d run%s on %lld test reviews: loss %.4f, accuracy %.4f\n", n, n == 1 ? "" : "s",
           (long long)r.n, r.loss, r.acc);
    ensemble_free(&r);
    free(runs);
    return 0;
}
