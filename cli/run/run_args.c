/* cli/run/run_args.c: what predict and eval share: --run ID with the common
 * options, the run loaded back, its tokenizer checked (cli/cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "experiments/run/saved_run.h"
#include "db/lab.h"

/* --run ID and the common options of predict and eval; eval's --data FILE
 * (in *file, NULL if not given) is a file to score on, not the training data;
 * predict takes --data as every command does, and has no use for it. */
int cli_run_option(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, long *run,
                   const char **file, const char **spec) {
    static const struct option longopts[] = {{"run", required_argument, 0, 'r'},
                                             {"tokenizer", required_argument, 0, 't'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    common_init(co);
    co->data = NULL;
    *run = 0;
    int opt;
    optind = 1;
    for (;;) {
        opt = cli_next(cmd, help, argc, argv, longopts, co);
        if (opt == 't') {
            *spec = optarg;
            continue;
        }
        if (opt != 'r')
            break;
        if (cli_int(cmd, "--run", optarg, 1, 1L << 40, run))
            return 2;
    }
    if (opt != CLI_END)
        return cli_status(opt);
    if (file)
        *file = co->data;
    if (!*run)
        return cli_usage(cmd, "--run ID is required (see 'embedlab runs')");
    common_apply(co);
    return -1;
}

/* 0 if spec (NULL: not given) names the run's tokenizer, else -1 with a
 * message. */
static int check_tokenizer(const SavedRun *sr, long run, const char *spec) {
    Tokenizer *t;
    if (!spec)
        return 0;
    if (tokenizer_new(spec, &t) != 0)
        return -1;
    int same = strcmp(tokenizer_spec(t), tokenizer_spec(sr->tok)) == 0;
    tokenizer_free(t);
    return same ? 0
                : el_fail("--tokenizer %s does not match run %ld, trained with tokenizer %s (leave --tokenizer out to "
                          "use it)",
                          spec, run, tokenizer_spec(sr->tok));
}

int cli_load_run(const CommonOpts *co, long run, const char *spec, SavedRun *sr) {
    sqlite3 *db;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    int rc = saved_run_load(db, run, sr);
    lab_close(db);
    if (rc == 0 && check_tokenizer(sr, run, spec) != 0) {
        saved_run_free(sr);
        rc = -1;
    }
    return rc;
}
