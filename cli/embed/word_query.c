/* cli/embed/word_query.c: what nearest and analogy share (cli_word_query in
 * cli/cli.h): loading an embedding checked, query words in the embedding's
 * normal form, the search through its index or over every vector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/common.h"
#include "core/vecmath.h"
#include "db/index/ann_lab.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "embed/text/textio.h"
#include "embed/text/tok_norm.h"

/* One result line: the word padded to 24 terminal columns (a Hangul syllable
 * takes two), then its score. */
static void print_scored(const char *word, double score) {
    size_t cols = utf8_columns(word);
    printf("%s%*s %.4f\n", word, cols < 24 ? (int)(24 - cols) : 0, "", score);
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

/* An empty answer (every word of the embedding was a query word) is said,
 * so that it does not look like a failure to print. */
static void say_nothing_found(const char *name, int given) {
    fprintf(stderr, "%s has no word besides the %d given\n", name, given);
}

/* 0, or -1 with a message when word's unit vector is zero (a word imported
 * with a zero vector): it has no direction, and every word would score 0,
 * listed in row order. SQL nearest() refuses it too. */
static int check_direction(const float *unit, int dim, const char *word, const char *name) {
    if (vec_dot_f32(unit, unit, dim) > 0)
        return 0;
    char shown[96];
    return el_fail("'%s' has a zero vector in embedding '%s': no direction, so no word is nearer than another",
                   textio_quote(word, strlen(word), shown, sizeof shown), name);
}

/* The k best rows for the unit queries (one, or analogy's three), rows[]
 * excluded: through ix when it is open (ix->n > 0), else exactly. */
static int search(const Embedding *e, const AnnIndex *ix, const float *unit, int analogy, const int32_t *rows,
                  int nrows, int k, Scored *best) {
    if (ix->n == 0)
        return analogy ? emb_analogy_unit(e, unit, unit + e->dim, unit + 2 * (size_t)e->dim, rows, nrows, k, 0, best)
                       : emb_nearest(e, unit, k, rows, nrows, best);
    float *q = xmalloc((size_t)e->dim * sizeof *q);
    if (analogy)
        emb_analogy_query(unit, unit + e->dim, unit + 2 * (size_t)e->dim, e->dim, q);
    else
        memcpy(q, unit, (size_t)e->dim * sizeof *q);
    int found = ann_search(ix, e->unit, q, k, 0, 0, rows, nrows, best);
    free(q);
    return found < 0 ? el_fail("out of memory in the index search") : found;
}

/* Loads embedding `name` and, unless exact, its index (ix->n 0 without);
 * with timing, says on stderr how long each took and what it holds. */
static int load_all(const CommonOpts *co, const char *name, int exact, int timing, Embedding *e, uint8_t **image,
                    AnnIndex *ix) {
    memset(ix, 0, sizeof *ix);
    *image = NULL;
    sqlite3 *db;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    int64_t eid;
    double t0 = now_seconds();
    /* refused before any vector is read when it cannot fit here */
    int rc = db_embedding_fits(db, name) == 0 ? db_embedding_load_subwords(db, name, e, &eid) : -1;
    double t1 = now_seconds();
    if (rc == 0 && !exact) {
        int open = cli_index_open(db, eid, name, e, image, ix);
        if (open != ANN_OK && open != ANN_EMISSING) {
            emb_free(e);
            rc = -1;
        }
    }
    lab_close(db);
    if (rc == 0 && timing) {
        double vec_mb = 2.0 * e->n * e->dim * sizeof(float) / 1e6; /* raw and unit */
        fprintf(stderr, "load: vectors %.1f ms (%d words x %d dims, %.1f MB raw + unit)", (t1 - t0) * 1e3, e->n, e->dim,
                vec_mb);
        if (ix->n > 0)
            fprintf(stderr, ", index %.1f ms (%.1f MB, %d lists, nprobe %d, recall@10 %.4f)\n",
                    (now_seconds() - t1) * 1e3, ann_bytes(ix) / 1e6, ix->k, ix->nprobe, ix->recall);
        else
            fprintf(stderr, ", no index%s\n", exact ? " (--exact)" : "");
    }
    return rc;
}

/* Each query word not in embedding name's vocabulary as given becomes the
 * form the embedding's tokenizer gives it (its recorded query_form,
 * tok_query_word: `Movie` is `movie`, `ＭＯＶＩＥ` too under unicode), said
 * on stderr when it differs; a query form that names none is an error;
 * words[i] then points at held[i] (the caller frees held[0..want)). A word
 * in the vocabulary as given stays (an imported embedding keeps its own
 * spelling). An unknown name changes nothing: loading it says so. 0, or -1
 * with a message. */
static int normalise_queries(const CommonOpts *co, const char *name, char **words, int want, char **held) {
    sqlite3 *db;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return -1;
    sqlite3_stmt *st, *in = NULL;
    int rc = lab_prepare(db, "SELECT id, coalesce(tokenizer, 'words'), query_form FROM embeddings WHERE name = ?", &st);
    if (rc == 0)
        rc = lab_prepare(db, "SELECT 1 FROM vectors WHERE embedding_id = ? AND word = ?", &in);
    if (rc == 0 && (sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC), sqlite3_step(st) == SQLITE_ROW)) {
        int64_t id = sqlite3_column_int64(st, 0);
        const char *spec = (const char *)sqlite3_column_text(st, 1);
        TokQueryForm form;
        for (int i = 0; rc == 0 && i < want; i++) {
            sqlite3_bind_int64(in, 1, id);
            sqlite3_bind_text(in, 2, words[i], -1, SQLITE_STATIC);
            int known = sqlite3_step(in) == SQLITE_ROW;
            sqlite3_reset(in);
            /* The form is read only for a word it is needed for, as SQL nearest() does. */
            if (!known && db_query_form(st, 2, name, &form) != 0) {
                rc = -1;
                break;
            }
            size_t len;
            char *q = known ? NULL : tok_query_word(form, words[i], strlen(words[i]), &len);
            if (!q || strcmp(q, words[i]) == 0) {
                free(q);
                continue;
            }
            char was[96], now[96];
            textio_quote(words[i], strlen(words[i]), was, sizeof was);
            textio_quote(q, len, now, sizeof now);
            fprintf(stderr, "embedlab: '%s' is looked up as '%s' (embedding '%s' has its words from tokenizer %s)\n",
                    was, now, name, spec);
            words[i] = held[i] = q;
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(in);
    lab_close(db);
    return rc;
}

enum { FALL_BACK = -100 };

/* The search through the stored index alone (db/index/ann_lab.h): its unit
 * vectors in a few blob reads, words looked up by rank, no row per word.
 * For an embedding with an index, no subwords, and every query word in its
 * vocabulary; FALL_BACK otherwise (and for a stale or damaged index, which
 * the full load then rebuilds), else the command's exit status. */
static int indexed_only(const CommonOpts *co, const char *name, char **words, int want, int analogy, int k,
                        int timing) {
    sqlite3 *db;
    if (lab_open_existing(lab_path(co->db), &db) != 0)
        return cli_failed();
    AnnLoaded a;
    double t0 = now_seconds();
    int rc = ann_lab_load(db, name, &a);
    double t1 = now_seconds();
    if (rc != ANN_OK) {
        lab_close(db);
        return rc == ANN_ENOMEM ? cli_failed() : FALL_BACK;
    }
    int32_t rows[3];
    for (int i = 0; i < want; i++)
        if ((rows[i] = ann_lab_row(db, &a, words[i])) < 0) {
            ann_lab_free(&a);
            lab_close(db);
            return FALL_BACK;
        }
    int d = a.ix.d;
    float *q = xmalloc((size_t)d * sizeof *q);
    if (analogy)
        emb_analogy_query(a.unit + (size_t)rows[0] * d, a.unit + (size_t)rows[1] * d, a.unit + (size_t)rows[2] * d, d,
                          q);
    else
        memcpy(q, a.unit + (size_t)rows[0] * d, (size_t)d * sizeof *q);
    Scored *best = xmalloc((size_t)k * sizeof *best);
    double t2 = now_seconds();
    int found = 0;
    rc = analogy ? 0 : check_direction(q, d, words[0], name);
    if (rc == 0 && (found = ann_search(&a.ix, a.unit, q, k, 0, 0, rows, want, best)) < 0)
        rc = el_fail("out of memory in the index search");
    double dt = now_seconds() - t2;
    for (int i = 0; rc == 0 && i < found; i++) {
        char *w = ann_lab_word(db, &a, best[i].index);
        if (!w)
            rc = -1;
        else
            print_scored(w, best[i].score);
        free(w);
    }
    if (rc == 0 && found == 0)
        say_nothing_found(name, want);
    if (rc == 0 && timing)
        fprintf(stderr,
                "load: index and unit vectors %.1f ms (%.1f MB; %d lists, nprobe %d, recall@10 %.4f; no rows read)\n"
                "search: %.3f ms over %d words x %d dims (index)\n",
                (t1 - t0) * 1e3, a.bytes / 1e6, a.ix.k, a.ix.nprobe, a.ix.recall, dt * 1e3, a.ix.n, d);
    free(best);
    free(q);
    ann_lab_free(&a);
    lab_close(db);
    return rc == 0 ? 0 : cli_failed();
}

/* cli_word_query's search for the words (normalised), its exit status. */
static int search_words(const CommonOpts *co, const char *name, char **words, int want, int analogy, long k, int timing,
                        int exact) {
    if (!exact) {
        int r = indexed_only(co, name, words, want, analogy, (int)k, timing);
        if (r != FALL_BACK)
            return r;
    }
    Embedding e;
    AnnIndex ix;
    uint8_t *image;
    if (load_all(co, name, exact, timing, &e, &image, &ix) != 0)
        return cli_failed();
    /* The inputs' unit vectors, and the rows of those in the vocabulary (excluded from the answers). */
    float *unit = xmalloc((size_t)want * e.dim * sizeof *unit);
    int32_t rows[3];
    int nrows = 0, found = -1;
    for (int i = 0; i < want; i++) {
        int32_t row = query_word(&e, name, words[i], unit + (size_t)i * e.dim);
        if (row == EMB_NO_VECTOR || (!analogy && check_direction(unit, e.dim, words[0], name) != 0))
            goto done;
        if (row >= 0)
            rows[nrows++] = row;
    }
    Scored *best = xmalloc(k * sizeof *best);
    double t0 = now_seconds();
    found = search(&e, &ix, unit, analogy, rows, nrows, (int)k, best);
    double dt = now_seconds() - t0;
    for (int i = 0; i < found; i++)
        print_scored(emb_word(&e, best[i].index), best[i].score);
    if (found == 0)
        say_nothing_found(name, nrows);
    if (timing && found >= 0)
        fprintf(stderr, "search: %.3f ms over %d words x %d dims (%s)\n", dt * 1e3, e.n, e.dim,
                ix.n ? "index" : "exact");
    free(best);
done:
    free(unit);
    free(image);
    emb_free(&e);
    return found >= 0 ? 0 : cli_failed();
}

int cli_word_query(int argc, char **argv, int analogy, const char *usage, const OptionTable *table) {
    const char *cmd = analogy ? "embedlab analogy" : "embedlab nearest";
    CommonOpts co;
    WordQueryArgs a;
    int r = cli_parse(cmd, usage, table, &a, argc, argv, &co);
    if (r >= 0)
        return r;
    const char *name = a.embedding;
    long k = a.k;
    int timing = a.time, exact = a.exact;
    if (!name)
        return cli_usage(cmd, "--embedding NAME is required");
    int want = analogy ? 3 : 1;
    if (argc - optind != want)
        return cli_usage(cmd, analogy ? "give three words: A B C" : "give one WORD");
    for (int i = 0; i < want; i++)
        if (strlen(argv[optind + i]) > TOK_MAX_QUERY_BYTES)
            return cli_usage(cmd, "a query word has %zu bytes; at most %d are taken", strlen(argv[optind + i]),
                             TOK_MAX_QUERY_BYTES);
    char *words[3], *held[3] = {NULL, NULL, NULL};
    for (int i = 0; i < want; i++)
        words[i] = argv[optind + i];
    if (normalise_queries(&co, name, words, want, held) != 0)
        return cli_failed();
    r = search_words(&co, name, words, want, analogy, k, timing, exact);
    for (int i = 0; i < want; i++)
        free(held[i]);
    return r;
}
