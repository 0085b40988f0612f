/* cli/cmd_nearest.c: "embedlab nearest" and "embedlab analogy". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/memory.h"
#include "db/embeddings.h"
#include "db/lab.h"

static const char nearest_help[] =
    "Usage: embedlab nearest --embedding NAME WORD [-k N]\n\n"
    "Prints the N (default 10) words most cosine-similar to WORD, best first, WORD itself\n"
    "excluded. The same search runs in SQL: SELECT * FROM nearest('NAME', 'WORD', N)\n"
    "after '.load build/embedlab_sqlite' in the sqlite3 shell.\n\n"
    "  --embedding NAME   an embedding in the lab database ('embedlab embed list')\n"
    "  -k N               how many neighbours (default 10)\n"
    "  --time             also print the search time per query (after loading)\n\n" COMMON_HELP;

static const char analogy_help[] =
    "Usage: embedlab analogy --embedding NAME A B C [-k N]\n\n"
    "A is to B as C is to ...: the words nearest to B - A + C (unit vectors), the three\n"
    "inputs excluded. Example: embedlab analogy --embedding NAME man king woman\n\n"
    "  --embedding NAME   an embedding in the lab database\n"
    "  -k N               how many answers (default 5)\n\n" COMMON_HELP;

/* Refuses an embedding too large to load here (count x dim floats, twice:
 * raw and unit length) from its row in lab.db, before reading any vector.
 * An unknown name passes: loading it then says so. */
static int embedding_fits(const CommonOpts *co, const char *name) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    int rc = lab_prepare(db, "SELECT vocab_size, dim FROM embeddings WHERE name = ?", &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) {
            int64_t n = sqlite3_column_int64(st, 0), dim = sqlite3_column_int64(st, 1);
            char what[300];
            snprintf(what, sizeof what, "embedding '%s': %lld words x %lld dims", name, (long long)n, (long long)dim);
            rc = mem_check(emb_memory(n, dim), what);
        }
        sqlite3_finalize(st);
    }
    lab_close(db);
    return rc;
}

static int nearest_or_analogy(int argc, char **argv, int analogy) {
    const char *cmd = analogy ? "embedlab analogy" : "embedlab nearest";
    static const struct option longopts[] = {
        {"embedding", required_argument, 0, 'e'}, {"time", no_argument, 0, 't'}, COMMON_LONG_OPTIONS, {0, 0, 0, 0}};
    CommonOpts co;
    common_init(&co);
    const char *name = NULL;
    long k = analogy ? 5 : 10;
    int timing = 0, opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hk:", longopts, NULL)) != -1) {
        int r = common_option(cmd, opt, optarg, &co);
        if (r < 0)
            return 2;
        if (r > 0)
            continue;
        switch (opt) {
        case 'h': printf("%s", analogy ? analogy_help : nearest_help); return 0;
        case 'e': name = optarg; break;
        case 't': timing = 1; break;
        case 'k':
            if (cli_int(cmd, "-k", optarg, 1, 100000, &k))
                return 2;
            break;
        default: return cli_usage(cmd, "unknown option");
        }
    }
    if (!name)
        return cli_usage(cmd, "--embedding NAME is required");
    int want = analogy ? 3 : 1;
    if (argc - optind != want)
        return cli_usage(cmd, analogy ? "give three words: A B C" : "give one WORD");
    common_apply(&co);
    Embedding e;
    if (embedding_fits(&co, name) != 0 || cli_load_embedding(&co, name, &e) != 0)
        return cli_failed();
    int32_t rows[3];
    for (int i = 0; i < want; i++) {
        rows[i] = emb_row(&e, argv[optind + i]);
        if (rows[i] < 0) {
            el_fail("'%s' is not in embedding '%s' (%d words)", argv[optind + i], name, e.n);
            emb_free(&e);
            return cli_failed();
        }
    }
    Scored *best = xmalloc(k * sizeof *best);
    double t0 = now_seconds();
    int found = analogy ? emb_analogy(&e, rows[0], rows[1], rows[2], (int)k, 0, best)
                        : emb_nearest(&e, e.unit + (size_t)rows[0] * e.dim, (int)k, rows, 1, best);
    double dt = now_seconds() - t0;
    for (int i = 0; i < found; i++)
        printf("%-24s %.4f\n", emb_word(&e, best[i].index), best[i].score);
    if (timing)
        fprintf(stderr, "search: %.3f ms over %d words x %d dims\n", dt * 1e3, e.n, e.dim);
    free(best);
    emb_free(&e);
    return 0;
}

int cmd_nearest(int argc, char **argv) { return nearest_or_analogy(argc, argv, 0); }
int cmd_analogy(int argc, char **argv) { return nearest_or_analogy(argc, argv, 1); }
