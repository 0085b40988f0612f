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
    "Ctrl-C stops it.\n\n"
    "  --port N           TCP port (default 8400)\n"
    "  --host ADDRESS     IPv4 address to listen on (default 127.0.0.1: this machine only;\n"
    "                     another address lets other machines read the lab, with a warning)\n\n" COMMON_HELP;

int cmd_serve(int argc, char **argv) {
    const char *cmd = "embedlab serve", *host = "127.0.0.1";
    long port = 8400;
    CommonOpts co;
    common_init(&co);
    enum { OPT_PORT = 2000, OPT_HOST };
    static const struct option longopts[] = {
        {"port", required_argument, 0, OPT_PORT}, {"host", required_argument, 0, OPT_HOST}, COMMON_LONG_OPTIONS, {0}};
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, serve_help, argc, argv, longopts, &co)) >= 0) {
        if (opt == OPT_PORT && cli_int(cmd, "--port", optarg, 1, 65535, &port))
            return 2;
        if (opt == OPT_HOST)
            host = optarg;
    }
    if (opt != CLI_END)
        return cli_status(opt);
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
