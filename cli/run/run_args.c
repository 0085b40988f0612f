/* cli/run/run_args.c: what predict and eval share: --run ID with the common
 * options, the run loaded back, its tokenizer checked (cli/cli.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "experiments/run/saved_run.h"
#include "db/lab.h"

/* The option table of predict (data 0) and eval (data 1): --run ID,
 * --tokenizer SPEC, and eval's --data FILE, a file to score on in place of
 * the common --data (predict takes that one, as every command does, and has
 * no use for it). */
#define AT(member) OPTION_AT(RunArgs, member)
static const Option run_fields[] = {
    {"run", OPTION_INT64, AT(run), NULL, 1, 1099511627776.0, NULL, NULL, "ID", "Options",
     "the finished run (see 'embedlab runs')", 0},
    {"tokenizer", OPTION_STRING, AT(tokenizer), NULL, 0, 0, NULL, NULL, "SPEC", "Options",
     "if given, must name the run's tokenizer", 0},
    {"data", OPTION_STRING, AT(file), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "a LABEL<TAB>TEXT file to score on (default: the test split of the data the run was trained on)", 0},
};

int cli_run_option(const char *cmd, const char *help, int argc, char **argv, int file, CommonOpts *co, RunArgs *a) {
    const OptionTable table = {run_fields, file ? 3 : 2};
    int r = cli_parse(cmd, help, &table, a, argc, argv, co);
    if (r >= 0)
        return r;
    if (!a->run)
        return cli_usage(cmd, "--run ID is required (see 'embedlab runs')");
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
