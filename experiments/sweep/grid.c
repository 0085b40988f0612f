/* experiments/sweep/grid.c: parsing and expanding a sweep's grid. */
#include "experiments/sweep/grid.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/trainer.h"
#include "experiments/run/input_kind.h"
#include "rnn/cell.h"
#include "rnn/config.h"

/* A growing string. */
typedef struct {
    char *s;
    size_t len, cap;
} Text;

static void appendf(Text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void appendf(Text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->s = xrealloc(t->s, t->cap);
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

static void free_list(char **values, int *n) {
    for (int i = 0; i < *n; i++)
        free(values[i]);
    *n = 0;
}

/* Splits a comma list into out (replacing what it held): the count, or -1
 * with a message. A value may not repeat nor hold a space or '=': the grid
 * point's key would then not name one point. */
static int split_list(const char *opt, const char *s, char **out, int *n) {
    free_list(out, n);
    char *copy = xstrdup(s), *save = NULL;
    int rc = 0;
    for (char *t = strtok_r(copy, ",", &save); t && rc == 0; t = strtok_r(NULL, ",", &save)) {
        if (*n == GRID_MAX_VALUES)
            rc = el_fail("%s: at most %d values", opt, GRID_MAX_VALUES);
        else if (strpbrk(t, " =\t\n"))
            rc = el_fail("%s: '%s' holds a space or '='", opt, t);
        for (int i = 0; i < *n && rc == 0; i++)
            if (!strcmp(out[i], t))
                rc = el_fail("%s: '%s' is given twice", opt, t);
        if (rc == 0)
            out[(*n)++] = xstrdup(t);
    }
    free(copy);
    if (rc == 0 && *n == 0)
        rc = el_fail("%s needs a comma list", opt);
    if (rc != 0)
        free_list(out, n);
    return rc;
}

/* Options that take no value: the table's flags. */
static int is_flag(const char *opt) {
    const Option *f = experiment_find(opt);
    return f && f->type == OPTION_FLAG;
}

static int add_fixed(Grid *g, const char *opt, const char *value) {
    if (g->nfixed + (value ? 2 : 1) > GRID_MAX_FIXED)
        return el_fail("too many options (at most %d words)", GRID_MAX_FIXED);
    g->fixed[g->nfixed++] = opt;
    if (value)
        g->fixed[g->nfixed++] = value;
    return 0;
}

#define AT(member) OPTION_AT(Grid, member)
#define GRID "Grid (comma lists)"
static const char *const jobs_names[] = {"auto", NULL}; /* --jobs auto is 0 */
static const Option grid_fields[] = {
    {"dims", OPTION_STRING, AT(dims_given), "16,32,64,128", 0, 0, NULL, NULL, "LIST", GRID,
     "embedding sizes, each point's --dim", 0},
    {"cells", OPTION_STRING, AT(cells_given), "rnn,lstm,gru", 0, 0, NULL, cell_name_at, "LIST", GRID,
     "each point's --cell", 0},
    {"inputs", OPTION_STRING, AT(inputs_given), "onehot,random,word2vec", 0, 0, NULL, input_kind_name_at, "LIST", GRID,
     "what each point reads (its --input and --embedding): one-hot ignores the dimension, it runs once per other "
     "setting and serves as the baseline across dims; a stored embedding's NAME with {dim} gives one per --dims",
     0},
    {"seeds", OPTION_STRING, AT(seeds_given), "1,2,3", 0, 0, NULL, NULL, "LIST", GRID,
     "each point's --seed (default 1,2,3: single runs mislead)", 0},
    {"hidden", OPTION_STRING, AT(hidden), NULL, 0, 0, NULL, NULL, "N|LIST", GRID, "--units by another name", 0},
    {"embed_options", OPTION_STRING, AT(embed_options), "", 0, 0, NULL, NULL, "S", "Runner",
     "options for 'embedlab embed train' when word2vec inputs need an embedding of a dimension (trained once, "
     "reused when lab.db has it)",
     0},
    {"embeddings", OPTION_STRING, AT(embeddings), NULL, 0, 0, NULL, NULL, "PAT", "Runner",
     "use (or train, under that name) the embeddings named PAT with {dim} replaced, e.g. imdb-sg{dim} (default: "
     "named by the sweep)",
     0},
    {"jobs", OPTION_INT, AT(jobs), "auto", 1, 256, jobs_names, NULL, "J|auto", "Runner",
     "configurations at once, each with its share of --threads; auto runs one per thread, which scales better "
     "than giving one run every thread",
     0},
    {"shard", OPTION_STRING, AT(shard_given), NULL, 0, 0, NULL, NULL, "I/N", "Runner",
     "run only configurations I, I+N, I+2N, ... (0 <= I < N)", 0},
    {"name", OPTION_STRING, AT(name), NULL, 0, 0, NULL, NULL, "NAME", "Runner", "a name for the sweep", 0},
    {"dry_run", OPTION_FLAG, AT(dry_run), NULL, 0, 0, NULL, NULL, NULL, "Runner",
     "list the configurations, which have finished and which embeddings would be trained; run and record nothing", 0},
};
#undef GRID
#undef AT
const OptionTable grid_options = {grid_fields, (int)(sizeof grid_fields / sizeof *grid_fields)};

const char *const grid_listed[] = {"dim", "cell", "input", "seed", "embedding", NULL};

/* The flags of the run configuration's options ("--recurrent-dropout"), for
 * as long as the program runs: a grid keeps them in its fixed options and
 * axes, whatever text named them. */
enum { MAX_RUN_FIELDS = 64 };
static char run_flags[MAX_RUN_FIELDS][64];
static pthread_once_t run_flags_made = PTHREAD_ONCE_INIT;

static void make_run_flags(void) {
    const OptionTable *t = experiment_table();
    if (t->n > MAX_RUN_FIELDS)
        abort(); /* more fields than MAX_RUN_FIELDS: raise it */
    for (int i = 0; i < t->n; i++)
        opt_flag(&t->opts[i], run_flags[i], sizeof run_flags[i]);
}

static const char *run_flag(const Option *f) {
    pthread_once(&run_flags_made, make_run_flags);
    return run_flags[f - experiment_table()->opts];
}

/* Each value of a list of the grid checked as the value of the run's option
 * name (--cells' as a --cell): 0, or -1 with a message naming the list. */
static int check_items(const char *list, const char *name, char *const *values, int n) {
    Experiment x;
    experiment_defaults(&x);
    for (int i = 0; i < n; i++)
        if (experiment_set(&x, name, values[i]) != 0)
            return el_fail("%s: %s", list, el_error());
    return 0;
}

/* What the grid's own option o, set in g as given, means for the grid: a
 * list split (and its values checked where the grid's shape depends on
 * them), --hidden given as --units, a pattern or shard read. 0, or -1 with
 * a message. */
static int grid_apply(Grid *g, const Option *o) {
    char flag[64];
    opt_flag(o, flag, sizeof flag);
    const char *n = o->name;
    if (!strcmp(n, "dims"))
        return split_list(flag, g->dims_given, g->dims, &g->ndims);
    if (!strcmp(n, "cells"))
        return split_list(flag, g->cells_given, g->cells, &g->ncells) != 0
                   ? -1
                   : check_items(flag, "cell", g->cells, g->ncells);
    if (!strcmp(n, "seeds"))
        return split_list(flag, g->seeds_given, g->seeds, &g->nseeds);
    if (!strcmp(n, "inputs")) {
        if (split_list(flag, g->inputs_given, g->inputs, &g->ninputs) != 0)
            return -1;
        InputChoice ch;
        for (int i = 0; i < g->ninputs; i++)
            if (input_kind_parse(g->inputs[i], &ch) != 0)
                return -1;
        return 0;
    }
    if (!strcmp(n, "hidden"))
        return grid_set(g, "--units", g->hidden);
    if (!strcmp(n, "embeddings") && !strstr(g->embeddings, "{dim}")) {
        g->embeddings = NULL;
        return el_fail("--embeddings needs {dim} in the name, like imdb-sg{dim}");
    }
    char end;
    if (!strcmp(n, "shard") && (sscanf(g->shard_given, "%d/%d%c", &g->shard, &g->nshards, &end) != 2 ||
                                g->nshards < 1 || g->shard < 0 || g->shard >= g->nshards))
        return el_fail("--shard is I/N with 0 <= I < N, got '%s'", g->shard_given);
    return 0;
}

/* A run option (or a common one grid_parse gives) with its value: 0, or -1
 * with a message. */
static int run_option(Grid *g, const char *o, const char *v) {
    const char **as_given[] = {&g->db, &g->data, &g->test_data, &g->threads};
    const char *names[] = {"--db", "--data", "--test-data", "--threads"};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (!strcmp(o, names[k])) {
            *as_given[k] = v;
            return v ? 0 : el_fail("%s needs a value", o);
        }
    const Option *f = experiment_find(o);
    if (!f || !opt_on_command_line(f))
        return el_fail("unknown option '%s'", o);
    for (const char *const *l = grid_listed; *l; l++)
        if (!strcmp(f->name, *l))
            return el_fail("in a sweep, give %s as the grid's list (--dims, --cells, --inputs, --seeds)", o);
    const char *opt = run_flag(f);
    if (f->type == OPTION_FLAG)
        return add_fixed(g, opt, NULL);
    if (!v)
        return el_fail("%s needs a value", o);
    if (!strchr(v, ','))
        return add_fixed(g, opt, v);
    for (int a = 0; a < g->naxes; a++)
        if (!strcmp(g->axes[a].opt, opt))
            return split_list(opt, v, g->axes[a].values, &g->axes[a].n);
    if (g->naxes == GRID_MAX_AXES)
        return el_fail("at most %d list options", GRID_MAX_AXES);
    GridAxis *a = &g->axes[g->naxes++];
    a->opt = opt;
    return split_list(opt, v, a->values, &a->n);
}

void grid_init(Grid *g) {
    memset(g, 0, sizeof *g);
    opt_defaults(&grid_options, g);
    g->nshards = 1;
    for (int i = 0; i < grid_options.n; i++)
        if (grid_options.opts[i].def && grid_apply(g, &grid_options.opts[i]) != 0)
            abort(); /* a default the grid refuses: a bug in the table */
}

int grid_set(Grid *g, const char *opt, const char *value) {
    const Option *o = strncmp(opt, "--", 2) == 0 ? opt_find(&grid_options, opt) : NULL;
    if (!o)
        return run_option(g, opt, value);
    if (!value && o->type != OPTION_FLAG)
        return el_fail("%s needs a value", opt);
    if (opt_set(&grid_options, g, o->name, o->type == OPTION_FLAG ? "1" : value) != 0)
        return -1;
    return grid_apply(g, o);
}

int grid_parse(int argc, char **argv, Grid *g) {
    grid_init(g);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            g->help = 1;
            return 0;
        }
        if (strncmp(o, "--", 2) != 0)
            return el_fail("unexpected argument '%s'", o);
        if (!strcmp(o, "--progress")) {
            g->progress = 1;
            continue;
        }
        const Option *own = opt_find(&grid_options, o);
        int flag = own ? own->type == OPTION_FLAG : is_flag(o);
        if (grid_set(g, o, flag ? NULL : v) != 0)
            return -1;
        i += !flag;
    }
    return 0;
}

void grid_free(Grid *g) {
    free_list(g->dims, &g->ndims);
    free_list(g->cells, &g->ncells);
    free_list(g->inputs, &g->ninputs);
    free_list(g->seeds, &g->nseeds);
    for (int a = 0; a < g->naxes; a++)
        free_list(g->axes[a].values, &g->axes[a].n);
    g->naxes = 0;
}

/* Whether input i of the grid is crossed with the dims (grid_set checked it parses). */
static int input_per_dim(const Grid *g, int i) {
    InputChoice ch;
    return input_kind_parse(g->inputs[i], &ch) == 0 && input_kind_per_dim(&ch);
}

int grid_size(const Grid *g) {
    int onehot = 0; /* the inputs without a dim of their own */
    for (int i = 0; i < g->ninputs; i++)
        onehot += !input_per_dim(g, i);
    /* Each factor is at most GRID_MAX_VALUES: checking after each product
     * keeps every product below 2^63. */
    int64_t total = (int64_t)g->ncells * (onehot + (int64_t)(g->ninputs - onehot) * g->ndims) * g->nseeds;
    for (int a = 0; a < g->naxes && total <= GRID_MAX_POINTS; a++)
        total *= g->axes[a].n;
    if (total > GRID_MAX_POINTS)
        return el_fail("the grid has more than %d points", GRID_MAX_POINTS);
    return (int)total;
}

/* The name of the sweep's trained embedding of a dimension, fixed by everything that
 * shapes it: the options, the data, the dimension, a tokenizer other than
 * words (tok; NULL for words). */
static char *embedding_name(const Grid *g, const char *data, int dim, const char *tok) {
    Text t = {0};
    if (g->embeddings) {
        const char *at = strstr(g->embeddings, "{dim}");
        appendf(&t, "%.*s%d%s", (int)(at - g->embeddings), g->embeddings, dim, at + 5);
        return t.s;
    }
    uint32_t h = 2166136261u;
    for (const char *s = g->embed_options; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    h = (h ^ 0xff) * 16777619u;
    for (const char *s = data; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    for (const char *s = tok ? tok : ""; *s; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    appendf(&t, "sweep-w2v-d%d-%08x", dim, h);
    return t.s;
}

/* Sets one option of a point's config: 0, or -1 with a message naming the point. */
static int set(GridPoint *p, const char *opt, const char *value, const char *key) {
    if (experiment_set(&p->cfg, opt, value) == 0)
        return 0;
    return el_fail("%s (in %s)", el_error(), key);
}

/* Fills one point: cell c, input in, dim d (ignored for one-hot), the other
 * lists at idx, seed s; the options in the order a command line would give
 * them, so that a later one wins. 0, or -1 with a message. */
static int make_point(const Grid *g, const char *data, int c, int in, int d, const int *idx, int s, GridPoint *p) {
    InputChoice ch;
    if (input_kind_parse(g->inputs[in], &ch) != 0)
        return -1;
    p->kind = ch.kind;
    Text key = {0};
    appendf(&key, "cell=%s input=%s", g->cells[c], g->inputs[in]);
    int per_dim = input_kind_per_dim(&ch);
    if (per_dim)
        appendf(&key, " dim=%s", g->dims[d]);
    for (int a = 0; a < g->naxes; a++)
        appendf(&key, " %s=%s", g->axes[a].opt + 2, g->axes[a].values[idx[a]]);
    appendf(&key, " seed=%s", g->seeds[s]);
    p->key = key.s;
    experiment_defaults(&p->cfg);
    int rc = 0;
    for (int f = 0; f < g->nfixed && rc == 0; f++) {
        int flag = is_flag(g->fixed[f]);
        rc = set(p, g->fixed[f], flag ? "1" : g->fixed[f + 1], p->key);
        f += !flag;
    }
    rc = rc ? rc : set(p, "cell", g->cells[c], p->key);
    if (rc == 0 && per_dim) {
        rc = set(p, "dim", g->dims[d], p->key);
        p->dim = p->cfg.model.dim;
        p->dim_given = 1;
    }
    if (rc == 0) {
        char *name = ch.kind->source == EMB_TRAINED ? embedding_name(g, data, p->dim, NULL) : NULL;
        if (input_kind_apply(&ch, g->inputs[in], p->dim, name, &p->cfg) != 0)
            rc = el_fail("%s (in %s)", el_error(), p->key);
        free(name);
        if (ch.kind->source == EMB_TRAINED || ch.kind->source == EMB_STORED)
            p->embedding = p->cfg.embedding;
    }
    for (int a = 0; a < g->naxes && rc == 0; a++)
        rc = set(p, g->axes[a].opt, g->axes[a].values[idx[a]], p->key);
    /* Another tokenizer makes other words: an embedding of its own. */
    if (rc == 0 && ch.kind->source == EMB_TRAINED && !g->embeddings && strcmp(p->cfg.tokenizer, "words") != 0) {
        char *name = embedding_name(g, data, p->dim, p->cfg.tokenizer);
        rc = set(p, "embedding", name, p->key);
        free(name);
    }
    rc = rc ? rc : set(p, "seed", g->seeds[s], p->key);
    if (rc == 0 && experiment_check(&p->cfg) != 0)
        rc = el_fail("%s (in %s)", el_error(), p->key);
    return rc;
}

/* --embed-options checked against the trainer of every trained input kind of
 * the grid (word2vec's when it has none, as the options can only be meant
 * for it): 0, or -1 with a message. */
static int check_embed_options(const Grid *g) {
    int checked = 0;
    for (int i = 0; i <= g->ninputs; i++) {
        InputChoice ch;
        if (i < g->ninputs && (input_kind_parse(g->inputs[i], &ch) != 0 || ch.kind->source != EMB_TRAINED))
            continue;
        if (i == g->ninputs && checked)
            break;
        const EmbedTrainer *t = trainer_find(i < g->ninputs ? ch.kind->trainer : "word2vec");
        void *params = xcalloc(1, t->params_size);
        int threads = 0, rc = trainer_defaults(t, params, 16);
        if (rc == 0)
            rc = trainer_options(t, g->embed_options, params, &threads);
        free(params);
        if (rc != 0)
            return -1;
        checked = 1;
    }
    return 0;
}

int grid_expand(const Grid *g, const char *data, GridPoint **out) {
    *out = NULL;
    int total = grid_size(g);
    if (total < 0 || check_embed_options(g) != 0)
        return -1;
    GridPoint *pts = xcalloc((size_t)total + 1, sizeof *pts);
    int n = 0;
    int idx[GRID_MAX_AXES], rc = 0;
    for (int c = 0; c < g->ncells && rc == 0; c++)
        for (int in = 0; in < g->ninputs && rc == 0; in++)
            for (int d = 0; d < g->ndims && rc == 0; d++) {
                if (d > 0 && !input_per_dim(g, in))
                    continue;
                memset(idx, 0, sizeof idx);
                for (;;) {
                    for (int s = 0; s < g->nseeds && rc == 0; s++)
                        rc = make_point(g, data, c, in, d, idx, s, &pts[n++]);
                    int a = 0;
                    while (a < g->naxes && ++idx[a] == g->axes[a].n)
                        idx[a++] = 0;
                    if (a == g->naxes || rc != 0)
                        break;
                }
            }
    if (rc != 0) {
        grid_points_free(pts, n);
        return -1;
    }
    *out = pts;
    return n;
}

void grid_points_free(GridPoint *pts, int n) {
    for (int i = 0; pts && i < n; i++)
        free(pts[i].key);
    free(pts);
}

/* Appends " name=v1,v2,...". */
static void add_list(Text *t, const char *name, char *const *values, int n) {
    appendf(t, " %s=", name);
    for (int i = 0; i < n; i++)
        appendf(t, "%s%s", i ? "," : "", values[i]);
}

char *grid_spec(const Grid *g, const char *data, const char *test_data) {
    Text t = {0};
    appendf(&t, "data=%s test_data=%s", data, test_data ? test_data : "");
    add_list(&t, "cells", g->cells, g->ncells);
    add_list(&t, "inputs", g->inputs, g->ninputs);
    add_list(&t, "dims", g->dims, g->ndims);
    add_list(&t, "seeds", g->seeds, g->nseeds);
    for (int a = 0; a < g->naxes; a++)
        add_list(&t, g->axes[a].opt + 2, g->axes[a].values, g->axes[a].n);
    for (int f = 0; f < g->nfixed; f++)
        appendf(&t, " %s", g->fixed[f]);
    appendf(&t, " embed_options=%s embeddings=%s", g->embed_options, g->embeddings ? g->embeddings : "");
    return t.s;
}
