/* tests/test_grid.c: a sweep's grid (experiments/sweep/grid.c): every point is a
 * configuration built through the config table, an axis may be any of its
 * fields, and bad values or options are refused before anything runs. */
#include "tests/fixtures.h"

#include "core/common.h"
#include "experiments/sweep/grid.h"
#include "experiments/sweep/sweep.h"
#include "rnn/config.h"

/* Expands a grid from a command line: the point count (or -1) and *pts. */
static int expand(int argc, char **argv, Grid *g, GridPoint **pts) {
    if (grid_parse(argc, argv, g) != 0)
        return -1;
    return grid_expand(g, "reviews.tsv", pts);
}

static void axes_over_any_field(void **state) {
    (void)state;
    char *argv[] = {"sweep",  "--cells",  "gru",      "--inputs", "onehot,word2vec-frozen",
                    "--dims", "8",        "--seeds",  "4",        "--recurrent-dropout",
                    "0,0.25", "--pad",    "pre,post", "--mask",   "--epochs",
                    "5",      "--hidden", "3"};
    Grid g;
    GridPoint *pts = NULL;
    int n = expand(sizeof argv / sizeof *argv, argv, &g, &pts);
    assert_int_equal(n, 8); /* 2 inputs x 2 x 2 */
    /* The last axis varies fastest after the seeds; one-hot has no dim. */
    assert_string_equal(pts[0].key, "cell=gru input=onehot recurrent-dropout=0 pad=pre seed=4");
    assert_string_equal(pts[1].key, "cell=gru input=onehot recurrent-dropout=0.25 pad=pre seed=4");
    assert_string_equal(pts[7].key, "cell=gru input=word2vec-frozen dim=8 recurrent-dropout=0.25 pad=post seed=4");
    Experiment want;
    experiment_defaults(&want);
    assert_int_equal(experiment_set(&want, "cell", "gru"), 0);
    assert_int_equal(experiment_set(&want, "input", "onehot"), 0);
    assert_int_equal(experiment_set(&want, "input_kind", "onehot"), 0); /* recorded as given */
    assert_int_equal(experiment_set(&want, "recurrent_dropout", "0.25"), 0);
    assert_int_equal(experiment_set(&want, "mask", "1"), 0);
    assert_int_equal(experiment_set(&want, "epochs", "5"), 0);
    assert_int_equal(experiment_set(&want, "units", "3"), 0);
    assert_int_equal(experiment_set(&want, "seed", "4"), 0);
    assert_memory_equal(&pts[1].cfg, &want, sizeof want);
    assert_int_equal(pts[1].dim_given, 0);
    assert_null(pts[1].embedding);
    /* word2vec-frozen: a named embedding of the grid's dim, frozen. */
    const GridPoint *p = &pts[7];
    assert_int_equal(p->cfg.model.dim, 8);
    assert_int_equal(p->dim_given, 1);
    assert_int_equal(p->cfg.model.freeze, 1);
    assert_int_equal(p->cfg.model.pad, SIDE_POST);
    assert_non_null(p->embedding);
    assert_string_equal(p->embedding, p->cfg.embedding);
    assert_non_null(strstr(p->embedding, "sweep-w2v-d8-"));
    /* The costlier point (embedding input over one-hot's row lookup) first. */
    assert_true(sweep_point_cost(&pts[7].cfg.model) > sweep_point_cost(&pts[1].cfg.model));
    grid_points_free(pts, n);
    grid_free(&g);
}

/* A grid that must be refused, with a message holding want. */
static void refused(int argc, char **argv, const char *want) {
    Grid g;
    GridPoint *pts = NULL;
    int n = expand(argc, argv, &g, &pts);
    assert_int_equal(n, -1);
    assert_null(pts);
    if (!strstr(el_error(), want))
        fail_msg("'%s' lacks '%s'", el_error(), want);
    grid_free(&g);
}

static void bad_grids(void **state) {
    (void)state;
    char *bad_value[] = {"sweep", "--units", "8,zero"};
    refused(3, bad_value, "--units must be a whole number from 1 to 4096, got 'zero' (in cell=rnn input=onehot");
    char *bad_fixed[] = {"sweep", "--lr", "0"};
    refused(3, bad_fixed, "--lr must be a number from 1e-12 to 100, got '0'");
    char *unknown[] = {"sweep", "--nosuch", "1,2"};
    refused(3, unknown, "unknown option '--nosuch'");
    char *recorded[] = {"sweep", "--test_data", "x"};
    refused(3, recorded, "unknown option");
    char *dim[] = {"sweep", "--dim", "8"};
    refused(3, dim, "give --dim as the grid's list");
    char *jobs[] = {"sweep", "--jobs", "0"};
    refused(3, jobs, "--jobs must be a whole number from 1 to 256 or auto, got '0'");
    char *cell[] = {"sweep", "--cells", "gru,foo"};
    refused(3, cell, "--cells: unknown cell 'foo' (known: rnn, lstm, gru)");
    char *frozen_random[] = {"sweep", "--freeze", "--inputs", "random"};
    refused(4, frozen_random, "--freeze needs --embedding NAME");
}

/* The sweep's own options are its table's (grid_options): defaults, values
 * and --hidden, the run's --units by another name. */
static void own_options(void **state) {
    (void)state;
    Grid g;
    grid_init(&g);
    assert_int_equal(g.jobs, 0); /* auto */
    assert_int_equal(g.nshards, 1);
    assert_string_equal(g.embed_options, "");
    grid_free(&g);
    char *argv[] = {"sweep",    "--jobs", "auto",    "--jobs", "3",        "--shard", "1/4",     "--dry-run",
                    "--hidden", "5,6",    "--cells", "gru",    "--inputs", "onehot",  "--seeds", "1"};
    GridPoint *pts = NULL;
    int n = expand(sizeof argv / sizeof *argv, argv, &g, &pts);
    assert_int_equal(n, 2);
    assert_int_equal(g.jobs, 3);
    assert_int_equal(g.shard, 1);
    assert_int_equal(g.nshards, 4);
    assert_int_equal(g.dry_run, 1);
    assert_string_equal(pts[1].key, "cell=gru input=onehot units=6 seed=1");
    assert_int_equal(pts[1].cfg.model.units, 6);
    grid_points_free(pts, n);
    grid_free(&g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(axes_over_any_field),
        cmocka_unit_test(bad_grids),
        cmocka_unit_test(own_options),
    };
    return cmocka_run_group_tests_name("grid", tests, NULL, NULL);
}
