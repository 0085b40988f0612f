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
#include "experiments/report/plot.h"
#include "experiments/report/plots.h"
#include "experiments/report/report.h"

static const char plot_help[] =
    "Usage: embedlab plot KIND [args] [--out FILE] [--format png|svg] [options]\n\n"
    "  sweep [ID]                  test accuracy against embedding size, one line per cell and\n"
    "                              input kind, mean and std over seeds; one-hot as baselines\n"
    "                              (default: the newest sweep)\n"
    "  curves RUN [RUN ...]        training and validation loss and accuracy per epoch\n"
    "  lengths [--maxlen N]        histogram of training review lengths\n"
    "  words --embedding NAME W..  2-D map of words (PCA of their vectors)\n\n"
    "The gnuplot script (.gp) and data (.dat) are written next to the image.\n\n";

/* What the options and arguments of a plot say: the options (plot_fields)
 * first, then what the command fills in. */
typedef struct {
    const char *out, *embedding;
    int format; /* the index in format_names */
    int maxlen;
    const char *cmd;
    int nargs;
    char **args;
    char path[4096]; /* the image: out, or the default under plots/ */
} PlotArgs;

static const char *const format_names[] = {"png", "svg", NULL};

#define AT(member) OPTION_AT(PlotArgs, member)
static const Option plot_fields[] = {
    {"out", OPTION_STRING, AT(out), NULL, 0, 0, NULL, NULL, "FILE", "Options",
     "image path (default plots/KIND[-ID].png)", 0},
    {"format", OPTION_ENUM, AT(format), "png", 0, 0, format_names, NULL, NULL, "Options", "when --out is not given", 0},
    {"embedding", OPTION_STRING, AT(embedding), NULL, 0, 0, NULL, NULL, "NAME", "Options",
     "the embedding of plot words", 0},
    {"maxlen", OPTION_INT, AT(maxlen), "100", 1, 1000000, NULL, NULL, NULL, "Options",
     "the sequence length marked on plot lengths", 0},
};
static const OptionTable plot_options = {plot_fields, (int)(sizeof plot_fields / sizeof *plot_fields)};

/* Sets a->path to out, or to plots/STEM.FORMAT (making plots/) when no
 * --out was given; returns it. */
static const char *image_path(PlotArgs *a, const char *stem) {
    if (a->out) {
        snprintf(a->path, sizeof a->path, "%s", a->out);
        return a->path;
    }
    snprintf(a->path, sizeof a->path, "plots/%s.%s", stem, format_names[a->format]);
    mkdir("plots", 0755);
    return a->path;
}

/* Each kind below returns 0 when the image is written, 2 after a usage error
 * (printed), -1 with a message. */

static int plot_kind_lengths(const CommonOpts *co, PlotArgs *a) {
    if (a->nargs)
        return cli_usage(a->cmd, "plot lengths takes no arguments");
    Corpus c;
    corpus_init(&c);
    int rc = cli_load_corpus(co, SPLIT_MASK(SPLIT_TRAIN), &c);
    if (rc == 0) {
        uint32_t *len = xmalloc((c.ndocs + 1) * sizeof *len);
        for (size_t d = 0; d < c.ndocs; d++)
            len[d] = c.docs[d].len;
        rc = plot_lengths(len, c.ndocs, (int)a->maxlen, image_path(a, "lengths"));
        free(len);
    }
    corpus_free(&c);
    return rc;
}

static int plot_kind_sweep(sqlite3 *db, PlotArgs *a) {
    if (a->nargs > 1)
        return cli_usage(a->cmd, "plot sweep takes at most one sweep ID");
    long id = -1;
    if (a->nargs && cli_int(a->cmd, "sweep ID", a->args[0], 1, 1L << 40, &id))
        return 2;
    if (!a->nargs)
        id = latest_sweep(db);
    if (id < 0)
        return -1;
    char stem[64];
    snprintf(stem, sizeof stem, "sweep-%ld", id);
    return plot_sweep(db, id, image_path(a, stem));
}

static int plot_kind_curves(sqlite3 *db, PlotArgs *a) {
    if (!a->nargs)
        return cli_usage(a->cmd, "plot curves needs one or more run IDs");
    int64_t *runs = xmalloc(a->nargs * sizeof *runs);
    for (int i = 0; i < a->nargs; i++) {
        long r;
        if (cli_int(a->cmd, "run ID", a->args[i], 1, 1L << 40, &r)) {
            free(runs);
            return 2;
        }
        runs[i] = r;
    }
    char stem[64]; /* the first run ID, a number */
    snprintf(stem, sizeof stem, "curves-%s", a->args[0]);
    int rc = plot_curves(db, runs, a->nargs, image_path(a, stem));
    free(runs);
    return rc;
}

static int plot_kind_words(sqlite3 *db, PlotArgs *a) {
    if (!a->embedding || a->nargs < 2)
        return cli_usage(a->cmd, "plot words needs --embedding NAME and two or more words");
    Embedding e;
    if (db_embedding_load(db, a->embedding, &e, NULL) != 0)
        return -1;
    int rc = 0;
    int32_t *rows = xmalloc(a->nargs * sizeof *rows);
    for (int i = 0; i < a->nargs && rc == 0; i++)
        if ((rows[i] = emb_row(&e, a->args[i])) < 0)
            rc = el_fail("'%s' is not in embedding '%s'", a->args[i], a->embedding);
    char stem[NAME_MAX_LEN + 8]; /* a name from an older or foreign database may hold '/' */
    snprintf(stem, sizeof stem, "%s", a->embedding);
    name_fix(stem);
    char words_stem[NAME_MAX_LEN + 16];
    snprintf(words_stem, sizeof words_stem, "words-%s", stem);
    const char *path = image_path(a, words_stem);
    if (rc == 0)
        rc = plot_words(&e, a->embedding, rows, a->nargs, path);
    free(rows);
    emb_free(&e);
    return rc;
}

int cmd_plot(int argc, char **argv) {
    const char *cmd = "embedlab plot";
    if (argc < 2)
        return cli_usage(cmd, "missing KIND (sweep, curves, lengths, words)");
    const char *kind = argv[1];
    CommonOpts co;
    PlotArgs a;
    if (cli_is_help(kind)) /* "plot --help": parsed as the whole line */
        return cli_parse(cmd, plot_help, &plot_options, &a, argc, argv, &co);
    if (strcmp(kind, "sweep") && strcmp(kind, "curves") && strcmp(kind, "lengths") && strcmp(kind, "words"))
        return cli_usage(cmd, "unknown plot '%s' (sweep, curves, lengths, words)", kind);
    /* The options after KIND: argv + 1 is KIND's own command line. */
    int rc = cli_parse(cmd, plot_help, &plot_options, &a, argc - 1, argv + 1, &co);
    if (rc >= 0)
        return rc;
    a.cmd = cmd;
    a.nargs = argc - 1 - optind;
    a.args = argv + 1 + optind;
    if (!strcmp(kind, "lengths")) {
        rc = plot_kind_lengths(&co, &a);
    } else {
        sqlite3 *db;
        if (lab_open_existing(lab_path(co.db), &db) != 0)
            return cli_failed();
        rc = !strcmp(kind, "sweep")    ? plot_kind_sweep(db, &a)
             : !strcmp(kind, "curves") ? plot_kind_curves(db, &a)
                                       : plot_kind_words(db, &a);
        lab_close(db);
    }
    if (rc == 2)
        return 2;
    if (rc != 0)
        return cli_failed();
    printf("Wrote %s (gnuplot script and data next to it)\n", a.path);
    return 0;
}
