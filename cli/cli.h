/* cli/cli.h: what every subcommand shares.
 *
 *   Command         a subcommand: name, one-line summary, entry point
 *   cli_usage       bad usage: prints "embedlab: error: ..." and a hint, returns 2
 *   cli_failed      a failed run: prints el_error(), returns 1
 *   cli_int/double  option parsing with ranges (a bad value is bad usage)
 *   CommonOpts      --db, --data, --test-data, --threads, --progress
 *   cli_parse_tables  a command's options through its option tables and the
 *                   common ones: --help generated from them, bad usage
 *                   reported (cli/parse.c); cli_parse of one table
 *   cli_load_corpus the reviews named by --data (aclImdb folder or TSV file)
 *   cli_word_query  nearest and analogy (cli/embed/word_query.c)
 *   cli_run_option  predict and eval: --run ID, the run loaded (cli/run/run_args.c)
 */
#ifndef EL_CLI_H
#define EL_CLI_H

#include <getopt.h>

#include <sqlite3.h>

#include "core/options.h"
#include "db/index/ann.h"
#include "embed/data/corpus.h"
#include "embed/vectors.h"
#include "experiments/run/saved_run.h"
#include "rnn/train.h"

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
} Command;

/* Whether arg asks for help: "--help" or "-h". */
int cli_is_help(const char *arg);

/* Dispatches argv[1] among cmds (a NULL-terminated table); prefix names the
 * parent command in messages ("embedlab embed"). */
int cli_dispatch(const char *prefix, const Command *cmds, int argc, char **argv);

int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_failed(void);

/* Parse a number; on error print a usage error naming opt and return -1. */
int cli_int(const char *cmd, const char *opt, const char *s, long lo, long hi, long *out);
int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);
/* cli_int into an int field. */
int cli_set_int(const char *cmd, const char *opt, const char *s, long lo, long hi, int *out);
/* Appends the run ids in list ("7" or "3,4,5", as 'embedlab runs' lists
 * them) to (*ids)[*n..], growing *ids (free() it); at most max in all (0:
 * any number). 0, or -1 after a usage error naming opt. */
int cli_run_ids(const char *cmd, const char *opt, const char *list, int64_t **ids, int *n, int max);

typedef struct {
    const char *db;
    const char *data;      /* aclImdb folder or a LABEL<TAB>TEXT file (then the train split) */
    const char *test_data; /* a LABEL<TAB>TEXT file for the test split */
    int threads;
    int progress;
} CommonOpts;

enum { OPT_DB = 1000, OPT_DATA, OPT_TEST_DATA, OPT_THREADS, OPT_PROGRESS, OPT_HELP = 'h' };

#define COMMON_LONG_OPTIONS                                                                                            \
    {"db", required_argument, 0, OPT_DB}, {"data", required_argument, 0, OPT_DATA},                                    \
        {"test-data", required_argument, 0, OPT_TEST_DATA}, {"threads", required_argument, 0, OPT_THREADS},            \
        {"progress", no_argument, 0, OPT_PROGRESS}, {                                                                  \
        "help", no_argument, 0, OPT_HELP                                                                               \
    }

/* The --tokenizer SPEC option of a command (core/options.h), into member
 * (a const char *, NULL when not given) of TYPE. */
#define TOKENIZER_OPTION(TYPE, member)                                                                                 \
    {                                                                                                                  \
        "tokenizer", OPTION_STRING, OPTION_AT(TYPE, member), NULL, 0, 0, NULL, NULL, "SPEC", "Options",                \
            "words (default), unicode, chars or spm[:unigram|bpe[:N]] (a learned SentencePiece model, trained on the " \
            "train "                                                                                                   \
            "split only)",                                                                                             \
            0                                                                                                          \
    }

#define COMMON_HELP                                                                                                    \
    "Common options:\n"                                                                                                \
    "  --db PATH          lab database (default: $EMBEDLAB_DB, else lab.db)\n"                                         \
    "  --data PATH        aclImdb folder, or a LABEL<TAB>TEXT file as the train split\n"                               \
    "                     (default: $EMBEDLAB_DATA, else data/aclImdb)\n"                                              \
    "  --test-data FILE   a LABEL<TAB>TEXT file as the test split (with a file --data)\n"                              \
    "  --threads N        bound on busy threads, OpenBLAS included (default: all cores)\n"                             \
    "  --progress         draw progress bars even when stderr is not a terminal\n"                                     \
    "  -h, --help         this help\n"

void common_init(CommonOpts *o);

/* One option table of a command (core/options.h) and where its options go. */
typedef struct {
    const OptionTable *table;
    void *obj; /* set to the table's defaults first (NULL: not), then each option given is stored here */
    /* NULL: each option given is opt_set into obj. Else each one, in
     * command-line order, is handed here instead (text "1" for a flag): 0,
     * or -1 with a message, which is bad usage (a sweep's grid takes the
     * run's options so, as values or lists). */
    int (*given)(void *ctx, const Option *o, const char *text);
    void *ctx;
    /* Names of options taken (given decides) but left out of the table's
     * --help lines, NULL-terminated; NULL: none. A sweep's --dim, which the
     * grid's --dims line names. */
    const char *const *hidden;
} CliTable;

/* A command's whole option parse, through n tables: their command-line
 * options (core/options.h's opt_on_command_line) in table order, then the
 * common ones into co (common_init first); an option named like a common
 * one ("data") stands in for it, in the parse and in --help. --help prints
 * usage, the tables' lines, after (NULL: nothing) and the common options:
 * the options it lists are the ones the parse takes. Returns -1 to go on,
 * with optind at the first argument and co applied (common_apply), else an
 * exit status (0 after --help, 2 on bad usage, a table's message printed). */
int cli_parse_tables(const char *cmd, const char *usage, const CliTable *tables, int n, const char *after, int argc,
                     char **argv, CommonOpts *co);
/* The text the parse of argv through the n tables would give option name
 * (the last one given), or NULL if none: read first when its value decides
 * which tables the command has (embed train's --trainer, its trainer's
 * table). Options of none of the tables are left to the parse to report. */
const char *cli_peek(const CliTable *tables, int n, const char *name, int argc, char **argv);
/* An option's flag, "--recurrent-dropout" (core/options.h's opt_flag). */
typedef char CliFlagName[64];

/* cli_parse_tables of one table, t over obj. */
int cli_parse(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
              CommonOpts *co);
/* cli_parse for a command whose arguments are texts (data tokenize): the
 * options end at "--" or at the first argument that is not a long option or
 * -h, so "-5 stars" is a text; options after a text are texts too. */
int cli_parse_texts(const char *cmd, const char *usage, const OptionTable *t, void *obj, int argc, char **argv,
                    CommonOpts *co);
/* Handles a common option; returns 1 if handled, 0 if not, -1 on bad usage. */
int common_option(const char *cmd, int opt, const char *arg, CommonOpts *o);
/* Applies --threads and --progress. */
void common_apply(const CommonOpts *o);

/* Set by SIGINT or SIGTERM once cli_catch_interrupts() has run (with
 * core/common.h's el_stop): a long command stops cleanly (a run is marked
 * interrupted, a blocking read fails) instead of dying; a second signal kills. */
extern volatile int cli_interrupted;
void cli_catch_interrupts(void);

int cli_load_corpus(const CommonOpts *o, unsigned split_mask, Corpus *c);
/* The reviews named by o through tokenizer spec (NULL: words), made into
 * *tok (the caller frees it after c): a learned kind is trained first on
 * the train split of o->data. 0, or -1 with a message (*tok NULL then). */
int cli_load_corpus_with(const CommonOpts *o, const char *spec, unsigned split_mask, Corpus *c, Tokenizer **tok);
/* Warning lines on stderr for what the loaded reviews held that a user
 * should know: empty reviews (no tokens), invalid UTF-8 (replaced). */
void cli_corpus_warn(const Corpus *c);
/* Subcommands. */
int cmd_data(int argc, char **argv);
int cmd_data_tokenize(int argc, char **argv); /* "embedlab data tokenize" */
int cmd_embed(int argc, char **argv);
int cmd_embed_train(int argc, char **argv);
int cmd_embed_list(int argc, char **argv);
int cmd_embed_rm(int argc, char **argv);
int cmd_embed_eval(int argc, char **argv);
int cmd_embed_export(int argc, char **argv);
int cmd_embed_import(int argc, char **argv);
int cmd_embed_index(int argc, char **argv);
/* The nearest-word index (cli/embed/cmd_embed_index.c): built for a new embedding
 * of ANN_AUTO_MIN_FLOATS or more (printed; a failure is a warning, since the
 * embedding is saved: returns 0), and opened for e by
 * nearest/analogy: ANN_OK, ANN_EMISSING, or -1; a stale or damaged index is
 * rebuilt (said on stderr). */
int cli_index_new_embedding(sqlite3 *db, const char *name);
int cli_index_open(sqlite3 *db, int64_t eid, const char *name, const Embedding *e, uint8_t **image, AnnIndex *ix);
int cmd_sweep(int argc, char **argv);
int cmd_runs(int argc, char **argv);
int cmd_runs_rm(int argc, char **argv); /* "embedlab runs rm" */
int cmd_merge(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);

int cmd_nearest(int argc, char **argv);
int cmd_analogy(int argc, char **argv);

/* The options of nearest and analogy (each command's own table over it). */
typedef struct {
    const char *embedding;
    int k, exact, time;
} WordQueryArgs;

/* nearest (analogy 0: one WORD) or analogy (1: A B C), with its usage text
 * and option table over WordQueryArgs: options parsed, the search run and
 * printed; an exit status. */
int cli_word_query(int argc, char **argv, int analogy, const char *usage, const OptionTable *table);
int cmd_train(int argc, char **argv);
int cmd_predict(int argc, char **argv);
int cmd_eval(int argc, char **argv);

/* predict's and eval's shared parts (cli/run/run_args.c): their options,
 * parsed by cli_run_option from their table (file 1: eval's --data FILE
 * too), the common ones into co; -1 to go on, else an exit status. */
typedef struct {
    int64_t run;
    const char *tokenizer; /* NULL: not given */
    const char *file;      /* eval's --data: NULL, not given */
} RunArgs;
int cli_run_option(const char *cmd, const char *help, int argc, char **argv, int file, CommonOpts *co, RunArgs *a);
/* Opens the lab database of co and loads finished run `run` into sr (free it
 * with saved_run_free), checking that spec (NULL: not given) names the run's
 * tokenizer, as a run reads text only as it was trained to; 0, or -1 with a
 * message and nothing held. */
int cli_load_run(const CommonOpts *co, long run, const char *spec, SavedRun *sr);
int cmd_ensemble(int argc, char **argv);

/* The options of a command that has only the common ones, and between
 * min_args and max_args arguments after them: -1 to go on (co applied),
 * else an exit status (help printed, or bad usage). */
int cli_simple_opts(const char *cmd, const char *help, int argc, char **argv, CommonOpts *co, int min_args,
                    int max_args);

/* The whole command line: dispatches argv[1] to its command (cli/main.c);
 * the exit status. main() is cli/entry.c's. */
int embedlab_main(int argc, char **argv);

#endif
