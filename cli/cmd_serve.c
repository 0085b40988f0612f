/* cli/cmd_serve.c: "embedlab serve", the live lab UI (web/web.h). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/lab.h"
#include "web/web.h"

static const char serve_help[] =
    "Usage: embedlab serve [--db PATH] [--port N] [--host ADDRESS]\n\n"
    "Serves a live view of the lab database in a browser: runs (sort, filter, compare),\n"
    "training curves that grow while a run trains, sweeps, embeddings (nearest words,\n"
    "analogies, a 2-D projector) and predictions. The page is built into the program and\n"
    "needs no network. lab.db is opened read-only, so it runs beside trainings and sweeps\n"
    "that write the same file. The JSON endpoints the page uses are in the README.\n"
    "Ctrl-C stops it.\n\n";

typedef struct {
    int port;
    const char *host;
} ServeArgs;

static const Option serve_fields[] = {
    {"port", OPTION_INT, OPTION_AT(ServeArgs, port), "8400", 1, 65535, NULL, NULL, NULL, "Options", "TCP port", 0},
    {"host", OPTION_STRING, OPTION_AT(ServeArgs, host), "127.0.0.1", 0, 0, NULL, NULL, "ADDRESS", "Options",
     "IPv4 address to listen on (default 127.0.0.1: this machine only; another address lets other machines read the "
     "lab, with a warning)",
     0},
};
static const OptionTable serve_options = {serve_fields, 2};

int cmd_serve(int argc, char **argv) {
    const char *cmd = "embedlab serve";
    CommonOpts co;
    ServeArgs a;
    int r = cli_parse(cmd, serve_help, &serve_options, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *host = a.host;
    long port = a.port;
    if (optind < argc)
        return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
    const char *path = lab_path(co.db);
    sqlite3 *db; /* a clear error now for a wrong --db, rather than on every page */
    if (lab_open_readonly(path, &db) != 0)
        return cli_failed();
    lab_close(db);
    if (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "localhost") != 0)
        fprintf(stderr,
                "embedlab: warning: listening on %s: anyone who can reach this address can read the whole lab "
                "database (there is no login); the default, 127.0.0.1, is this machine only\n",
                host);
    cli_catch_interrupts();
    printf("embedlab: serving %s read-only at http://%s:%ld/ (Ctrl-C stops)\n", path, host, port);
    fflush(stdout);
    if (web_serve(path, host, (int)port, &cli_interrupted) != 0)
        return cli_failed();
    return 0;
}
