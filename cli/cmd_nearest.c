/* cli/cmd_nearest.c: "embedlab nearest" and "embedlab analogy". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/memory.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/textio.h"

static const char nearest_help[] =
    "Usage: embedlab nearest --embedding NAME WORD [-k N]\n\n"
    "Prints the N (default 10) words most cosine-similar to WORD, best first, WORD itself\n"
    "excluded. The same search runs in SQL: SELECT * FROM nearest('NAME', 'WORD', N)\n"
    "after '.load build/embedlab_sqlite' in the sqlite3 shell. With an embedding trained\n"
    "with --subwords, a WORD not in its vocabulary gets the mean vector of its character\n"
    "n-grams (stderr says so).\n\n"
    "  --embedding NAME   an embedding in the lab database ('embedlab embed list')\n"
    "  -k N               how many neighbours (default 10)\n"
    "  --time             also print the search time per query (after loading)\n\n" COMMON_HELP;

static const char analogy_help[] =
    "Usage: embedlab analogy --embedding NAME A B C [-k N]\n\n"
    "A is to B as C is to ...: the words nearest to B - A + C (unit vectors), the three\n"
    "inputs excluded. Example: embedlab analogy --embedding NAME man king woman\n"
    "With a --subwords embedding, a word not in its vocabulary gets the mean vector of\n"
    "its character n-grams.\n\n"
    "  --embedding NAME   an embedding in the lab database\n"
    "  -k N               how many answers (default 5)\n\n" COMMON_HELP;

/* Loads embedding `name` with its n-gram rows, after refusing one too large
 * to load here (count x dim floats, twice: raw and unit length, and the
 * n-gram rows) from its row in lab.db, before reading any vector. */
static int load_checked(const CommonOpts *co, const char *name, Embedding *e) {
    sqlite3 *db;
    sqlite3_stmt *st;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    int rc = lab_prepare(db,
                         "SELECT vocab_size, dim, (SELECT count(*) FROM ngrams g WHERE g.embedding_id = e.id) "
                         "FROM embeddings e WHERE name = ?",
                         &st);
    if (rc == 0) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) { /* an unknown name passes: loading it then says so */
            int64_t n = sqlite3_column_int64(st, 0), dim = sqlite3_column_int64(st, 1),
                    ngrams = sqlite3_column_int64(st, 2);
            char what[300], rows[64] = "";
            if (ngrams > 0)
                snprintf(rows, sizeof rows, " and %lld n-gram rows", (long long)ngrams);
            snprintf(what, sizeof what, "embedding '%s': %lld words%s x %lld dims", name, (long long)n, rows,
                     (long long)dim);
            rc = mem_check(mem_add(emb_memory(n, dim), emb_subword_memory(ngrams, dim)), what);
        }
        sqlite3_finalize(st);
    }
    if (rc == 0)
        rc = db_embedding_load_subwords(db, name, e, NULL);
    lab_close(db);
    return rc;
}

/* The unit vector of word into unit[0..dim) (emb_query): its row, or -1 for
 * a word built from its n-grams (said on stderr), or -2 after an error
 * message. */
static int32_t query_word(const Embedding *e, const char *name, const char *word, float *unit) {
    int64_t found, ngrams;
    int32_t row = emb_query(e, word, strlen(word), unit, &found, &ngrams);
    char shown[96];
    textio_quote(word, strlen(word), shown, sizeof shown);
    if (row == EMB_FROM_NGRAMS)
        fprintf(stderr,
                "embedlab: '%s' is not in the vocabulary: its vector is built from %lld of its %lld character "
                "n-grams\n",
                shown, (long long)found, (long long)ngrams);
    else if (row == EMB_NO_VECTOR && e->minn == 0)
        el_fail("'%s' is not in embedding '%s' (%d words)", shown, name, e->n);
    else if (row == EMB_NO_VECTOR && ngrams == 0)
        el_fail("'%s' is not in embedding '%s' (%d words) and has no character n-grams of %d to %d characters", shown,
                name, e->n, e->minn, e->maxn);
    else if (row == EMB_NO_VECTOR && found == 0)
        el_fail("'%s' is not in embedding '%s' (%d words) and none of its %lld character n-grams was seen in training",
                shown, name, e->n, (long long)ngrams);
    else if (row == EMB_NO_VECTOR)
        el_fail("'%s' is not in embedding '%s' (%d words) and its n-grams' vectors add up to zero", shown, name, e->n);
    return row;
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
    if (load_checked(&co, name, &e) != 0)
        return cli_failed();
    /* The inputs' unit vectors, and the rows of those in the vocabulary (excluded from the answers). */
    float *unit = xmalloc((size_t)want * e.dim * sizeof *unit);
    int32_t rows[3];
    int nrows = 0;
    for (int i = 0; i < want; i++) {
        int32_t row = query_word(&e, name, argv[optind + i], unit + (size_t)i * e.dim);
        if (row == EMB_NO_VECTOR) {
            free(unit);
            emb_free(&e);
            return cli_failed();
        }
        if (row >= 0)
            rows[nrows++] = row;
    }
    Scored *best = xmalloc(k * sizeof *best);
    double t0 = now_seconds();
    int found = analogy
                    ? emb_analogy_unit(&e, unit, unit + e.dim, unit + 2 * (size_t)e.dim, rows, nrows, (int)k, 0, best)
                    : emb_nearest(&e, unit, (int)k, rows, nrows, best);
    double dt = now_seconds() - t0;
    for (int i = 0; i < found; i++)
        printf("%-24s %.4f\n", emb_word(&e, best[i].index), best[i].score);
    if (timing)
        fprintf(stderr, "search: %.3f ms over %d words x %d dims\n", dt * 1e3, e.n, e.dim);
    free(best);
    free(unit);
    emb_free(&e);
    return 0;
}

int cmd_nearest(int argc, char **argv) { return nearest_or_analogy(argc, argv, 0); }
int cmd_analogy(int argc, char **argv) { return nearest_or_analogy(argc, argv, 1); }
