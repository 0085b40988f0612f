/* experiments/sweep/grid.h: a sweep's grid, from the command line's words to its
 * points. Pure: no files, no database, no output; errors are el_fail()
 * messages that the caller reports as bad usage.
 *
 *   grid_options the option table of a sweep's own options (the grid's lists,
 *                the runner's settings); with the run configuration's table
 *                (experiments/run/experiment.h), whose options a sweep takes as
 *                a value or a comma list (an axis), they are a sweep's options
 *   grid_set     one option of a sweep (grid_parse: the words after "sweep"),
 *                either table's, and the common options as given
 *   grid_size    how many points the grid has
 *   grid_expand  the points: each one's training configuration (rnn/config.h,
 *                every value through experiment_set) and its key
 *   grid_spec    the sweep's identity: everything but how and where it runs
 *
 * Contract: every point of a grid has a key of its own (lists may not repeat
 * a value, nor hold spaces or '=' that would make two keys read alike), and a
 * grid has at most GRID_MAX_POINTS points. */
#ifndef EL_GRID_H
#define EL_GRID_H

#define GRID_MAX_AXES 16
#define GRID_MAX_VALUES 64
#define GRID_MAX_FIXED 120
#define GRID_MAX_POINTS 100000

#include "experiments/run/experiment.h"
#include "experiments/run/input_kind.h"
#include "rnn/train.h"

typedef struct {
    const char *opt; /* the option of a config field, e.g. "--units" */
    int n;
    char *values[GRID_MAX_VALUES];
} GridAxis;

typedef struct {
    GridAxis axes[GRID_MAX_AXES];
    int naxes;
    const char *fixed[GRID_MAX_FIXED]; /* config options given once: "--epochs", "5", "--mask", ... */
    int nfixed;
    char *dims[GRID_MAX_VALUES], *cells[GRID_MAX_VALUES], *inputs[GRID_MAX_VALUES], *seeds[GRID_MAX_VALUES];
    int ndims, ncells, ninputs, nseeds;
    /* The sweep's own options (grid_options' members): the lists as given
     * (split above), the others as the runner reads them. */
    const char *dims_given, *cells_given, *inputs_given, *seeds_given, *hidden, *shard_given;
    const char *embed_options, *name;
    const char *embeddings; /* a name pattern with {dim}, or NULL: the sweep names them */
    int jobs;               /* configurations at once; 0: auto, one per thread */
    int shard, nshards;
    int dry_run, help, progress;
    /* As given (NULL if not): the caller checks and applies them. */
    const char *threads, *db, *data, *test_data;
} Grid;

typedef struct {
    char *key;             /* "cell=gru input=random dim=8 units=32 seed=1": the grid point */
    Experiment cfg;        /* the defaults, then the fixed options, then the point's values */
    int dim_given;         /* cfg.dim is the grid's: a named embedding must have it */
    int dim;               /* 0 for one-hot, and a stored embedding's own dimension */
    const InputKind *kind; /* its input kind (experiments/run/input_kind.h) */
    const char *embedding; /* the trained or stored embedding it uses (cfg.embedding), or NULL */
} GridPoint;

/* The sweep's own options over a Grid: --dims, --cells, --inputs (their
 * choices from the registries), --seeds, --hidden (--units), --embed-options,
 * --embeddings, --jobs, --shard, --name, --dry-run. */
extern const OptionTable grid_options;
/* The run options a sweep takes only as its grid's lists (--dim as --dims,
 * --embedding in --inputs): NULL-terminated names. */
extern const char *const grid_listed[];

/* The default grid (--dims 16,32,64,128 --cells rnn,lstm,gru --inputs
 * onehot,random,word2vec --seeds 1,2,3); free it with grid_free. --inputs
 * takes the kinds of experiments/run/input_kind.h. */
void grid_init(Grid *g);
/* One option of a sweep ("--units", "8,32"; value NULL for a flag such as
 * "--mask" or "--dry-run"; value outliving g): 0, or -1 with a message on
 * bad usage (grid_options' own, such as "--jobs must be a whole number from
 * 1 to 256 or auto, got '0'", or "--cells: unknown cell 'x' (known: rnn, lstm, gru)").
 * `embedlab sweep` gives each option it parses. */
int grid_set(Grid *g, const char *opt, const char *value);
/* grid_init and grid_set over argv[1..argc-1] (strings that must outlive g),
 * the common options too (kept as given), for tests and the fuzzer. 0 on
 * success (g->help set: --help was asked, nothing else is checked), -1 with
 * a message on bad usage. Free g with grid_free either way. */
int grid_parse(int argc, char **argv, Grid *g);
void grid_free(Grid *g);

/* The number of points, or -1 with a message if above GRID_MAX_POINTS. */
int grid_size(const Grid *g);

/* Expands the grid in a fixed order: cells, inputs, dims, the other lists,
 * seeds (one-hot points, and those of a stored embedding without {dim} in its
 * name, skip the dims). data names the reviews, which name the sweep's own
 * trained embeddings. The number of points with *out set, or -1 with a
 * message (a value its field refuses, a point experiment_check refuses, or
 * --embed-options its trainer refuses). Free with grid_points_free. */
int grid_expand(const Grid *g, const char *data, GridPoint **out);
void grid_points_free(GridPoint *pts, int n);

/* The sweep's identity, a string the caller frees: two commands that differ
 * only in --jobs, --threads, --shard, --db or --name give the same spec. */
char *grid_spec(const Grid *g, const char *data, const char *test_data);

#endif
