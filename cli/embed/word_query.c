/* cli/embed/word_query.c: what nearest and analogy share (cli_word_query in
 * cli/cli.h): the embedding loaded (its index and unit vectors alone when
 * every query word is in its vocabulary, else whole, a stale or damaged
 * index rebuilt), the query of db/index/nearest.h over it, and its outcome
 * said: results on stdout, notes on stderr, errors through el_fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "db/embeddings.h"
#include "db/index/ann_lab.h"
#include "db/index/nearest.h"
#include "db/lab.h"
#include "embed/text/textio.h"
#include "embed/text/tok_norm.h"

enum { FALL_BACK = -100 };

/* An embedding as the command loaded it: whole (e, with its index ix when
 * open: ix.n 0 without), or its index and unit vectors alone (a: the
 * embedding's words then looked up by rank, no row per word read). */
typedef struct {
    sqlite3 *db;
    const char *name;
    int whole;
    Embedding e;
    uint8_t *image;
    AnnIndex ix;
    AnnLoaded a;
    char *spec; /* the tokenizer that made its words, once the query form was read */
    double load_ms;
    NearestRows rows;
} Loaded;

static int32_t row_of(void *ctx, const char *word, size_t len) {
    (void)len; /* word ends in NUL */
    Loaded *l = ctx;
    return l->whole ? emb_row(&l->e, word) : ann_lab_row(l->db, &l->a, word);
}

/* The embedding's query form (db_query_form's message when it names none),
 * and the tokenizer its words came from, for the note that says so. */
static int query_form(void *ctx, TokQueryForm *form) {
    Loaded *l = ctx;
    sqlite3_stmt *st;
    if (lab_prepare(l->db, "SELECT coalesce(tokenizer, 'words'), query_form FROM embeddings WHERE name = ?", &st) != 0)
        return -1;
    sqlite3_bind_text(st, 1, l->name, -1, SQLITE_STATIC);
    int rc = 0;
    *form = TOK_QUERY_AS_GIVEN;
    if (sqlite3_step(st) == SQLITE_ROW) {
        free(l->spec);
        l->spec = xstrdup((const char *)sqlite3_column_text(st, 0));
        rc = db_query_form(st, 1, l->name, form);
    }
    sqlite3_finalize(st);
    return rc;
}

static void set_rows(Loaded *l, int32_t n, int dim, const float *unit, const AnnIndex *ix) {
    l->rows = (NearestRows){.n = n, .dim = dim, .unit = unit, .ix = ix, .row_of = row_of, .form = query_form, .ctx = l};
    if (l->whole)
        emb_subwords(&l->e, &l->rows.subwords);
}

/* Loads the index and unit vectors alone (ann_lab_load): 0; FALL_BACK when
 * there is no such index (none, a stale or damaged one, subwords); -1 after
 * a message. How long it took is said with the answer (answer), when there
 * is one from it. */
static int load_index(Loaded *l) {
    double t0 = now_seconds();
    int rc = ann_lab_load(l->db, l->name, &l->a);
    if (rc != ANN_OK)
        return rc == ANN_ENOMEM ? -1 : FALL_BACK;
    set_rows(l, l->a.ix.n, l->a.ix.d, l->a.unit, &l->a.ix);
    l->load_ms = (now_seconds() - t0) * 1e3;
    return 0;
}

/* Loads the embedding whole and, unless exact, its index (rebuilt when
 * stale or damaged: cli_index_open); with timing, says on stderr how long
 * each took and what it holds. 0, or -1 after a message. */
static int load_whole(Loaded *l, int exact, int timing) {
    double t0 = now_seconds();
    int64_t eid;
    /* refused before any vector is read when it cannot fit here */
    if (db_embedding_fits(l->db, l->name) != 0 || db_embedding_load_subwords(l->db, l->name, &l->e, &eid) != 0)
        return -1;
    l->whole = 1;
    double t1 = now_seconds();
    if (!exact) {
        int open = cli_index_open(l->db, eid, l->name, &l->e, &l->image, &l->ix);
        if (open != ANN_OK && open != ANN_EMISSING)
            return -1;
    }
    set_rows(l, l->e.n, l->e.dim, l->e.unit, l->ix.n > 0 ? &l->ix : NULL);
    if (timing) {
        double vec_mb = 2.0 * l->e.n * l->e.dim * sizeof(float) / 1e6; /* raw and unit */
        fprintf(stderr, "load: vectors %.1f ms (%d words x %d dims, %.1f MB raw + unit)", (t1 - t0) * 1e3, l->e.n,
                l->e.dim, vec_mb);
        if (l->ix.n > 0)
            fprintf(stderr, ", index %.1f ms (%.1f MB, %d lists, nprobe %d, recall@10 %.4f)\n",
                    (now_seconds() - t1) * 1e3, ann_bytes(&l->ix) / 1e6, l->ix.k, l->ix.nprobe, l->ix.recall);
        else
            fprintf(stderr, ", no index%s\n", exact ? " (--exact)" : "");
    }
    return 0;
}

static void loaded_free(Loaded *l) {
    if (l->whole)
        emb_free(&l->e);
    free(l->image);
    ann_lab_free(&l->a);
    free(l->spec);
    memset(l, 0, sizeof *l);
}

/* What a query word came to, said: a note for one built from its n-grams,
 * an error for one with no vector, or (nearest, not analogy) a zero one.
 * 0, or -1 after a message. */
static int say_word(const Loaded *l, const char *given, const NearestWord *w, NearestStatus st, int analogy) {
    const char *word = w->normal ? w->normal : given;
    const char *name = l->name;
    int n = l->rows.n, minn = l->rows.subwords.minn;
    char shown[96];
    textio_quote(word, strlen(word), shown, sizeof shown);
    if (st == NEAREST_OK && w->row < 0)
        fprintf(stderr,
                "embedlab: '%s' is not in the vocabulary: its vector is built from %lld of its %lld character "
                "n-grams\n",
                shown, (long long)w->found, (long long)w->ngrams);
    if (st == NEAREST_OK || st == NEAREST_BAD_FORM) /* the form's message is db_query_form's */
        return st == NEAREST_OK ? 0 : -1;
    if (st == NEAREST_NOT_FOUND && minn == 0)
        return el_fail("'%s' is not in embedding '%s' (%d words)", shown, name, n);
    if (st == NEAREST_NOT_FOUND && w->ngrams == 0)
        return el_fail("'%s' is not in embedding '%s' (%d words) and has no character n-grams of %d to %d characters",
                       shown, name, n, minn, l->rows.subwords.maxn);
    if (st == NEAREST_NOT_FOUND)
        return el_fail("'%s' is not in embedding '%s' (%d words) and none of its %lld character n-grams was seen in "
                       "training",
                       shown, name, n, (long long)w->ngrams);
    if (w->row < 0)
        return el_fail("'%s' is not in embedding '%s' (%d words) and its n-grams' vectors add up to zero", shown, name,
                       n);
    /* A vocabulary word with a zero vector (imported so) has no direction:
     * every word would score 0, listed in row order. An analogy's sum may
     * still have one. SQL nearest() refuses it too. */
    return analogy ? 0
                   : el_fail("'%s' has a zero vector in embedding '%s': no direction, so no word is nearer than "
                             "another",
                             shown, name);
}

/* The unit vectors of the query words into unit[want x dim] and their rows
 * (excluded from the answers) into rows[*nrows]: each word's lookup said (a
 * note when it is looked up in its normal form, then say_word). 0; FALL_BACK
 * when the index alone is loaded and a word needs more than a row with a
 * direction (then nothing is said: the whole load says it); -1 after a
 * message. */
static int query_words(Loaded *l, char **words, int want, int analogy, float *unit, int32_t *rows, int *nrows) {
    NearestWord w[3];
    NearestStatus st[3];
    int got = 0, rc = 0;
    while (got < want) {
        st[got] = nearest_word(&l->rows, words[got], strlen(words[got]), unit + (size_t)got * l->rows.dim, &w[got]);
        if (st[got++] == NEAREST_BAD_FORM)
            break;
    }
    for (int i = 0; !l->whole && i < got; i++)
        if (st[i] != NEAREST_OK || w[i].row < 0)
            rc = FALL_BACK;
    for (int i = 0; rc == 0 && i < got; i++)
        if (w[i].normal) {
            char was[96], now[96];
            textio_quote(words[i], strlen(words[i]), was, sizeof was);
            textio_quote(w[i].normal, w[i].normal_len, now, sizeof now);
            fprintf(stderr, "embedlab: '%s' is looked up as '%s' (embedding '%s' has its words from tokenizer %s)\n",
                    was, now, l->name, l->spec ? l->spec : "words");
        }
    *nrows = 0;
    for (int i = 0; rc == 0 && i < got; i++)
        if ((rc = say_word(l, words[i], &w[i], st[i], analogy)) == 0 && w[i].row >= 0)
            rows[(*nrows)++] = w[i].row;
    for (int i = 0; i < got; i++)
        nearest_word_free(&w[i]);
    return rc;
}

/* One result line: the word padded to 24 terminal columns (a Hangul syllable
 * takes two), then its score. */
static void print_scored(const char *word, double score) {
    size_t cols = utf8_columns(word);
    printf("%s%*s %.4f\n", word, cols < 24 ? (int)(24 - cols) : 0, "", score);
}

/* The query over what l holds, its results printed: 0, FALL_BACK (from
 * query_words), or -1 after a message. */
static int answer(Loaded *l, char **words, int want, int analogy, int k, int exact, int timing) {
    int dim = l->rows.dim, nrows, found = 0;
    float *unit = xmalloc((size_t)(want + 1) * dim * sizeof *unit), *q = unit + (size_t)want * dim;
    Scored *best = xmalloc((size_t)k * sizeof *best);
    int32_t rows[3];
    int rc = query_words(l, words, want, analogy, unit, rows, &nrows);
    if (rc == 0 && analogy)
        emb_analogy_query(unit, unit + dim, unit + 2 * (size_t)dim, dim, q);
    else if (rc == 0)
        memcpy(q, unit, (size_t)dim * sizeof *q);
    double t0 = now_seconds();
    int indexed = 0;
    if (rc == 0 && nearest_search(&l->rows, q, k, rows, nrows, exact, best, &found, &indexed) != NEAREST_OK)
        rc = el_fail("out of memory in the index search");
    double dt = now_seconds() - t0;
    for (int i = 0; rc == 0 && i < found; i++) {
        char *w = l->whole ? xstrdup(emb_word(&l->e, best[i].index)) : ann_lab_word(l->db, &l->a, best[i].index);
        if (!w)
            rc = -1;
        else
            print_scored(w, best[i].score);
        free(w);
    }
    if (rc == 0 && found == 0) /* so that it does not look like a failure to print */
        fprintf(stderr, "%s has no word besides the %d given\n", l->name, nrows);
    if (rc == 0 && timing && !l->whole)
        fprintf(stderr,
                "load: index and unit vectors %.1f ms (%.1f MB; %d lists, nprobe %d, recall@10 %.4f; no rows read)\n",
                l->load_ms, l->a.bytes / 1e6, l->a.ix.k, l->a.ix.nprobe, l->a.ix.recall);
    if (rc == 0 && timing)
        fprintf(stderr, "search: %.3f ms over %d words x %d dims (%s)\n", dt * 1e3, l->rows.n, dim,
                indexed ? "index" : "exact");
    free(best);
    free(unit);
    return rc;
}

/* cli_word_query's search for the words, its exit status: through the index
 * alone when it answers, else over the whole embedding. */
static int search_words(const CommonOpts *co, const char *name, char **words, int want, int analogy, int k, int timing,
                        int exact) {
    Loaded l = {.name = name};
    if (lab_open_existing(lab_path(co->db), &l.db) != 0)
        return cli_failed();
    int rc = exact ? FALL_BACK : load_index(&l);
    if (rc == 0)
        rc = answer(&l, words, want, analogy, k, exact, timing);
    if (rc == FALL_BACK) {
        sqlite3 *db = l.db;
        loaded_free(&l);
        l = (Loaded){.db = db, .name = name};
        rc = load_whole(&l, exact, timing);
        if (rc == 0)
            rc = answer(&l, words, want, analogy, k, exact, timing);
    }
    sqlite3 *db = l.db;
    loaded_free(&l);
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}

int cli_word_query(int argc, char **argv, int analogy, const char *usage, const OptionTable *table) {
    const char *cmd = analogy ? "embedlab analogy" : "embedlab nearest";
    CommonOpts co;
    WordQueryArgs a;
    int r = cli_parse(cmd, usage, table, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    if (!a.embedding)
        return cli_usage(cmd, "--embedding NAME is required");
    int want = analogy ? 3 : 1;
    if (argc - optind != want)
        return cli_usage(cmd, analogy ? "give three words: A B C" : "give one WORD");
    for (int i = 0; i < want; i++)
        if (strlen(argv[optind + i]) > TOK_MAX_QUERY_BYTES)
            return cli_usage(cmd, "a query word has %zu bytes; at most %d are taken", strlen(argv[optind + i]),
                             TOK_MAX_QUERY_BYTES);
    return search_words(&co, a.embedding, argv + optind, want, analogy, (int)a.k, a.time, a.exact);
}
