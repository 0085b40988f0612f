/* cli/cmd_report.c: "embedlab report". */
#include <stdio.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "experiments/report/plots.h"
#include "experiments/report/report.h"

static const char report_help[] =
    "Usage: embedlab report [SWEEP] [--html FILE] [--db PATH]\n\n"
    "A Markdown report of a sweep on stdout (default: the newest sweep): test accuracy\n"
    "mean ± std over seeds for each cell, input kind and embedding size; parameters, input\n"
    "memory and seconds per epoch; one conclusion line per cell.\n\n";

typedef struct {
    const char *html;
} ReportArgs;

static const Option report_fields[] = {
    {"html", OPTION_STRING, OPTION_AT(ReportArgs, html), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "also write an HTML page with the sweep plot embedded", 0},
};
static const OptionTable report_options = {report_fields, 1};

int cmd_report(int argc, char **argv) {
    const char *cmd = "embedlab report";
    CommonOpts co;
    ReportArgs a;
    int r = cli_parse(cmd, report_help, &report_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *html = a.html;
    if (argc - optind > 1)
        return cli_usage(cmd, "give at most one sweep ID");
    long id = -1;
    if (optind < argc && cli_int(cmd, "sweep ID", argv[optind], 1, 1L << 40, &id))
        return 2;
    sqlite3 *db;
    if (lab_open_existing(lab_path(co.db), &db) != 0)
        return cli_failed();
    if (id < 0)
        id = latest_sweep(db);
    int rc = id < 0 ? -1 : report_markdown(db, id, stdout);
    if (rc == 0 && html) {
        rc = report_html(db, id, html);
        if (rc == 0)
            fprintf(stderr, "embedlab: wrote %s\n", html);
    }
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}
