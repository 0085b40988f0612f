/* cli/cmd_plot.c: "embedlab plot sweep|curves|lengths|words". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/names.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "experiments/plot.h"
#include "experiments/plots.h"
#include "experiments/report.h"

static const char plot_help[] =
    "Usage: embedlab plot KIND [args] [--out FILE] [--format png|svg] [options]\n\n"
    "  sweep [ID]                  test accuracy against embedding size, one line per cell and\n"
    "                              input kind, mean and std over seeds; one-hot as baselines\n"
    "                              (default: the newest sweep)\n"
    "  curves RUN [RUN ...]        training and validation loss and accuracy per epoch\n"
    "  lengths [--maxlen N]        histogram of training review lengths\n"
    "  words --embedding NAME W..  2-D map of words (PCA of their vectors)\n\n"
    "  --out FILE                  image path (default plots/KIND[-ID].png)\n"
    "  --format png|svg            when --out is not given (default png)\n"
    "The gnuplot script (.gp) and data (.dat) are written next to the image.\n\n" COMMON_HELP;

int cmd_plot(int argc, char **argv) {
    const char *cmd = "embedlab plot";
    if (argc < 2)
        return cli_usage(cmd, "missing KIND (sweep, curves, lengths, words)");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("%s", plot_help);
        return 0;
    }
    const char *kind = argv[1];
    if (strcmp(kind, "sweep") && strcmp(kind, "curves") && strcmp(kind, "lengths") && strcmp(kind, "words"))
        return cli_usage(cmd, "unknown plot '%s' (sweep, curves, lengths, words)", kind);
    static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
                                             {"format", required_argument, 0, 'f'},
                                             {"embedding", required_argument, 0, 'e'},
                                             {"maxlen", required_argument, 0, 'm'},
                                             COMMON_LONG_OPTIONS,
                                             {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    const char *out = NULL, *format = "png", *embedding = NULL;
    long maxlen = 100;
    int opt;
    optind = 2;
    while ((opt = cli_next(cmd, argc, argv, longopts, &co)) != -1) {
        if (opt == -2)
            return 2;
        switch (opt) {
        case 'h': printf("%s", plot_help); return 0;
        case 'o': out = optarg; break;
        case 'e': embedding = optarg; break;
        case 'f':
            if (strcmp(optarg, "png") && strcmp(optarg, "svg"))
                return cli_usage(cmd, "--format is png or svg");
            format = optarg;
            break;
        case 'm':
            if (cli_int(cmd, "--maxlen", optarg, 1, 1000000, &maxlen))
                return 2;
            break;
        default: return cli_usage(cmd, "unknown option");
        }
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    common_apply(&co);
    char path[4096];
    int rc = 0;
    if (!strcmp(kind, "lengths")) {
        if (nargs)
            return cli_usage(cmd, "plot lengths takes no arguments");
        if (!out)
            snprintf(path, sizeof path, "plots/lengths.%s", format);
        Corpus c;
        corpus_init(&c);
        rc = cli_load_corpus(&co, SPLIT_MASK(SPLIT_TRAIN), &c);
        if (rc == 0) {
            uint32_t *len = xmalloc((c.ndocs + 1) * sizeof *len);
            for (size_t d = 0; d < c.ndocs; d++)
                len[d] = c.docs[d].len;
            if (!out)
                mkdir("plots", 0755);
            rc = plot_lengths(len, c.ndocs, (int)maxlen, out ? out : path);
            free(len);
        }
        corpus_free(&c);
    } else {
        sqlite3 *db;
        if (lab_open_existing(lab_path(co.db), &db) != 0)
            return cli_failed();
        if (!strcmp(kind, "sweep")) {
            if (nargs > 1) {
                lab_close(db);
                return cli_usage(cmd, "plot sweep takes at most one sweep ID");
            }
            long id = -1;
            if (nargs && cli_int(cmd, "sweep ID", args[0], 1, 1L << 40, &id)) {
                lab_close(db);
                return 2;
            }
            if (!nargs)
                id = latest_sweep(db);
            if (id < 0)
                rc = -1;
            if (rc == 0) {
                snprintf(path, sizeof path, "plots/sweep-%ld.%s", id, format);
                if (!out)
                    mkdir("plots", 0755);
                rc = plot_sweep(db, id, out ? out : path);
            }
        } else if (!strcmp(kind, "curves")) {
            if (!nargs) {
                lab_close(db);
                return cli_usage(cmd, "plot curves needs one or more run IDs");
            }
            int64_t *runs = xmalloc(nargs * sizeof *runs);
            for (int i = 0; i < nargs; i++) {
                long r;
                if (cli_int(cmd, "run ID", args[i], 1, 1L << 40, &r)) {
                    free(runs);
                    lab_close(db);
                    return 2;
                }
                runs[i] = r;
            }
            snprintf(path, sizeof path, "plots/curves-%s.%s", args[0], format);
            if (!out)
                mkdir("plots", 0755);
            rc = plot_curves(db, runs, nargs, out ? out : path);
            free(runs);
        } else {
            if (!embedding || nargs < 2) {
                lab_close(db);
                return cli_usage(cmd, "plot words needs --embedding NAME and two or more words");
            }
            Embedding e;
            rc = db_embedding_load(db, embedding, &e, NULL);
            if (rc == 0) {
                int32_t *rows = xmalloc(nargs * sizeof *rows);
                for (int i = 0; i < nargs && rc == 0; i++)
                    if ((rows[i] = emb_row(&e, args[i])) < 0)
                        rc = el_fail("'%s' is not in embedding '%s'", args[i], embedding);
                char stem[NAME_MAX_LEN + 2]; /* a name from an older or foreign database may hold '/' */
                snprintf(stem, sizeof stem, "%s", embedding);
                name_fix(stem);
                snprintf(path, sizeof path, "plots/words-%s.%s", stem, format);
                if (!out)
                    mkdir("plots", 0755);
                if (rc == 0)
                    rc = plot_words(&e, embedding, rows, nargs, out ? out : path);
                free(rows);
                emb_free(&e);
            }
        }
        lab_close(db);
    }
    if (rc != 0)
        return cli_failed();
    printf("Wrote %s (gnuplot script and data next to it)\n", out ? out : path);
    return 0;
}

static const char report_help[] =
    "Usage: embedlab report [SWEEP] [--html FILE] [--db PATH]\n\n"
    "A Markdown report of a sweep on stdout (default: the newest sweep): test accuracy\n"
    "mean ± std over seeds for each cell, input kind and embedding size; parameters, input\n"
    "memory and seconds per epoch; one conclusion line per cell.\n\n"
    "  --html FILE        also write an HTML page with the sweep plot embedded\n";

int cmd_report(int argc, char **argv) {
    const char *cmd = "embedlab report";
    static const struct option longopts[] = {{"html", required_argument, 0, 'H'}, COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    const char *html = NULL;
    int opt;
    optind = 1;
    while ((opt = cli_next(cmd, argc, argv, longopts, &co)) != -1) {
        if (opt == -2)
            return 2;
        if (opt == 'h') {
            printf("%s", report_help);
            return 0;
        }
        if (opt == 'H') {
            html = optarg;
            continue;
        }
        return cli_usage(cmd, "unknown option");
    }
    if (argc - optind > 1)
        return cli_usage(cmd, "give at most one sweep ID");
    long id = -1;
    if (optind < argc && cli_int(cmd, "sweep ID", argv[optind], 1, 1L << 40, &id))
        return 2;
    common_apply(&co);
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
