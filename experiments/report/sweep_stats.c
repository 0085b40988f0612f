/* experiments/report/sweep_stats.c: a sweep's runs grouped for the plot and the report. */
#include "experiments/report/sweep_stats.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/lab.h"
#include "experiments/run/input_kind.h"

/* The setting comes from the run's grid point, sweep_key ("cell=gru
 * input=random dim=8 units=32 seed=1"): spelt as a JSON object, stripped of
 * cell, input, dim and seed by json_remove, and spelt back as "units=32". A
 * key that does not make valid JSON (a value with a quote in it) keeps its
 * runs apart from the others rather than pooling them. The kind's label,
 * style and baseline come from the run's recorded input kind through the
 * table of experiments/run/input_kind.c (the SQL functions below); a stored
 * embedding's trainer from its params (embed/trainer.h), 'word2vec' for one
 * trained before trainers were recorded (the only one then), else where it
 * came from ('imported' of source 'imported:FILE'). */
static const char view_sql[] =
    "CREATE TEMP VIEW IF NOT EXISTS sweep_runs AS\n"
    "SELECT run_id, sweep_id, cell, input_kind_label(k, trainer) AS kind, input_kind_style(k) AS style,\n"
    "  input_kind_baseline(k) AS baseline, dim, test_acc, params, input_bytes, onehot_bytes, seconds_per_epoch,\n"
    "  epochs, threads,\n"
    "  CASE WHEN json_valid(j) THEN replace(replace(replace(replace(replace(\n"
    "    json_remove(j, '$.cell', '$.input', '$.dim', '$.seed'), '{\"', ''), '\"}', ''), '\":\"', '='),\n"
    "    '\",\"', ' '), '{}', '') ELSE coalesce(key, '') END AS setting\n"
    "FROM (SELECT rr.run_id, rr.sweep_id, rr.cell, coalesce(rr.dim, 0) AS dim, rr.test_acc, rr.params,\n"
    "    rr.seconds_per_epoch, rr.epochs, s.input_bytes, s.onehot_bytes, r.sweep_key AS key,\n"
    "    json_extract(r.config, '$.threads') AS threads,\n"
    "    input_kind_recorded(json_extract(r.config, '$.input_kind'), rr.input, rr.embedding,\n"
    "      json_extract(r.config, '$.freeze')) AS k,\n"
    "    (SELECT coalesce(json_extract(e.params, '$.trainer'), CASE e.source WHEN 'trained' THEN 'word2vec'\n"
    "      ELSE substr(e.source, 1, instr(e.source || ':', ':') - 1) END)\n"
    "      FROM embeddings e WHERE e.name = rr.embedding) AS trainer,\n"
    "    '{\"' || replace(replace(coalesce(r.sweep_key, ''), '=', '\":\"'), ' ', '\",\"') || '\"}' AS j\n"
    "  FROM run_results rr JOIN runs r ON r.id = rr.run_id JOIN results s ON s.run_id = rr.run_id\n"
    "  WHERE rr.sweep_id IS NOT NULL AND rr.status = 'finished')";

/* A decimal numeral's exact value as 0.sig x 10^point: sig its significant
 * digits (no leading or trailing zeros; empty for zero). Exact, so digit
 * runs beyond 64 bits (or a double) still compare right. */
typedef struct {
    char *sig;
    size_t nsig;
    int64_t point;
} Numeral;

/* Reads the numeral starting at p[0] (a digit): digits, then optionally '.'
 * and digits, then optionally 'e' or 'E', a sign and digits. Only decimal
 * forms count (no hex, inf or nan), so a string splits into the same tokens
 * whatever it is compared with. Returns its length; free num->sig after. */
static size_t numeral(const char *p, size_t n, Numeral *num) {
    num->sig = xmalloc(n + 1);
    num->nsig = 0;
    num->point = 0;
    size_t i = 0;
    for (; i < n && isdigit((unsigned char)p[i]); i++, num->point++)
        num->sig[num->nsig++] = p[i];
    if (i + 1 < n && p[i] == '.' && isdigit((unsigned char)p[i + 1]))
        for (i++; i < n && isdigit((unsigned char)p[i]); i++)
            num->sig[num->nsig++] = p[i];
    if (i + 1 < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t j = i + 1;
        int neg = j < n && p[j] == '-';
        if (j < n && (p[j] == '+' || p[j] == '-'))
            j++;
        if (j < n && isdigit((unsigned char)p[j])) {
            int64_t e = 0;
            for (; j < n && isdigit((unsigned char)p[j]); j++)
                if (e < 1000000000000LL) /* beyond any real setting; saturating keeps it an order */
                    e = e * 10 + (p[j] - '0');
            num->point += neg ? -e : e;
            i = j;
        }
    }
    size_t lead = 0;
    while (lead < num->nsig && num->sig[lead] == '0')
        lead++;
    memmove(num->sig, num->sig + lead, num->nsig - lead);
    num->nsig -= lead;
    num->point -= (int64_t)lead;
    while (num->nsig > 0 && num->sig[num->nsig - 1] == '0')
        num->nsig--;
    return i;
}

static int numeral_compare(const Numeral *a, const Numeral *b) {
    if (a->nsig == 0 || b->nsig == 0)
        return (a->nsig > 0) - (b->nsig > 0); /* zero is the smallest: numerals have no sign */
    if (a->point != b->point)
        return a->point < b->point ? -1 : 1;
    size_t m = a->nsig < b->nsig ? a->nsig : b->nsig;
    int c = memcmp(a->sig, b->sig, m);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return (a->nsig > b->nsig) - (a->nsig < b->nsig);
}

int natural_compare(const char *a, size_t na, const char *b, size_t nb) {
    /* Each string reads as a sequence of tokens: a numeral or a single other
     * byte. Tokens compare by (byte, exact value), a numeral counting as the byte
     * '0' (other bytes are never digits, so a numeral and a byte never tie).
     * Sequences compare token by token, a prefix first: a consistent total
     * preorder. */
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        int da = isdigit((unsigned char)a[i]), db = isdigit((unsigned char)b[j]);
        if (da && db) {
            Numeral u, v;
            i += numeral(a + i, na - i, &u);
            j += numeral(b + j, nb - j, &v);
            int c = numeral_compare(&u, &v);
            free(u.sig), free(v.sig);
            if (c != 0)
                return c;
            continue;
        }
        unsigned char x = da ? '0' : (unsigned char)a[i], y = db ? '0' : (unsigned char)b[j];
        if (x != y)
            return x < y ? -1 : 1;
        i++, j++; /* two equal non-digit bytes */
    }
    if (i < na || j < nb)
        return i < na ? 1 : -1;
    /* Equal as token sequences ("01" and "1", "1e3" and "1000"): the plain
     * bytes decide, so only identical strings are equal, as SQLite requires
     * of a collation. */
    int c = memcmp(a, b, na < nb ? na : nb);
    if (c != 0)
        return c < 0 ? -1 : 1;
    return na < nb ? -1 : na > nb;
}

/* input_kind_recorded(KIND, INPUT, EMBEDDING, FREEZE): the run's recorded
 * input kind; for a sweep's run recorded before kinds were (KIND null), the
 * one its settings made then: a sweep could only name the embeddings it
 * trained with word2vec. */
static void sql_kind_recorded(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    (void)argc;
    const char *kind = (const char *)sqlite3_value_text(argv[0]);
    const char *input = (const char *)sqlite3_value_text(argv[1]);
    const char *emb = (const char *)sqlite3_value_text(argv[2]);
    if (kind)
        sqlite3_result_text(ctx, kind, -1, SQLITE_TRANSIENT);
    else if (input && !strcmp(input, "onehot"))
        sqlite3_result_text(ctx, "onehot", -1, SQLITE_STATIC);
    else if (!emb || !strcmp(emb, "random"))
        sqlite3_result_text(ctx, "random", -1, SQLITE_STATIC);
    else
        sqlite3_result_text(ctx, sqlite3_value_int(argv[3]) ? "word2vec-frozen" : "word2vec", -1, SQLITE_STATIC);
}

/* input_kind_label(KIND, TRAINER), input_kind_style(KIND),
 * input_kind_baseline(KIND): experiments/run/input_kind.h's label, plot style
 * and whether the kind has no embedding (one-hot, the baseline). A kind this
 * version does not know (a newer one's) is its own label. */
static void sql_kind_info(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
    const char *what = sqlite3_user_data(ctx), *text = (const char *)sqlite3_value_text(argv[0]);
    InputChoice ch;
    int known = text && input_kind_parse(text, &ch) == 0;
    if (!strcmp(what, "label")) {
        char buf[512];
        const char *trainer = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
        sqlite3_result_text(ctx,
                            known  ? input_kind_label(&ch, trainer, buf, sizeof buf)
                            : text ? text
                                   : "",
                            -1, SQLITE_TRANSIENT);
    } else if (!strcmp(what, "style")) {
        sqlite3_result_int(ctx, known ? ch.kind->style : 0);
    } else {
        sqlite3_result_int(ctx, known && ch.kind->source == EMB_NONE);
    }
}

static int natural_collation(void *unused, int na, const void *a, int nb, const void *b) {
    (void)unused;
    return natural_compare(a, (size_t)na, b, (size_t)nb);
}

int sweep_runs_view(sqlite3 *db) {
    static char label[] = "label", style[] = "style", baseline[] = "baseline";
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
    if (sqlite3_create_collation(db, "natural_order", SQLITE_UTF8, NULL, natural_collation) != SQLITE_OK ||
        sqlite3_create_function(db, "input_kind_recorded", 4, flags, NULL, sql_kind_recorded, NULL, NULL) ||
        sqlite3_create_function(db, "input_kind_label", 2, flags, label, sql_kind_info, NULL, NULL) ||
        sqlite3_create_function(db, "input_kind_style", 1, flags, style, sql_kind_info, NULL, NULL) ||
        sqlite3_create_function(db, "input_kind_baseline", 1, flags, baseline, sql_kind_info, NULL, NULL))
        return el_fail("database: %s", sqlite3_errmsg(db));
    return lab_exec(db, view_sql);
}

int sweep_series(sqlite3 *db, int64_t sweep, Series *out) {
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st;
    if (sweep_runs_view(db) != 0 ||
        lab_prepare(
            db,
            "SELECT cell, kind, setting, dim, avg(test_acc),\n"
            "  CASE WHEN count(*) > 1 THEN sqrt(max(sum((test_acc - m) * (test_acc - m)), 0) / (count(*) - 1))\n"
            "  ELSE 0 END, count(*), min(style), max(baseline), avg(params), avg(seconds_per_epoch)\n"
            "FROM (SELECT *, avg(test_acc) OVER (PARTITION BY cell, kind, setting, dim) AS m\n"
            "  FROM sweep_runs WHERE sweep_id = ?)\n"
            "GROUP BY cell, kind, setting, dim\n"
            "ORDER BY max(baseline) DESC, cell, kind, setting COLLATE natural_order, dim",
            &st) != 0)
        return -1;
    sqlite3_bind_int64(st, 1, sweep);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (out->n == cap)
            out->points = xrealloc(out->points, (cap = cap ? cap * 2 : 64) * sizeof *out->points);
        SeriesPoint *p = &out->points[out->n++];
        snprintf(p->cell, sizeof p->cell, "%s", lab_text(st, 0));
        snprintf(p->kind, sizeof p->kind, "%s", lab_text(st, 1));
        snprintf(p->setting, sizeof p->setting, "%s", lab_text(st, 2));
        p->dim = sqlite3_column_int(st, 3);
        p->mean = sqlite3_column_double(st, 4);
        p->sd = sqlite3_column_double(st, 5);
        p->n = sqlite3_column_int(st, 6);
        p->style = sqlite3_column_int(st, 7);
        p->baseline = sqlite3_column_int(st, 8);
        p->params = sqlite3_column_double(st, 9);
        p->seconds = sqlite3_column_double(st, 10);
        out->settings |= p->setting[0] != 0;
    }
    sqlite3_finalize(st);
    if (out->n == 0) {
        series_free(out);
        return el_fail("sweep %lld has no finished runs yet", (long long)sweep);
    }
    return 0;
}

void series_free(Series *s) {
    free(s->points);
    memset(s, 0, sizeof *s);
}

int series_same_line(const SeriesPoint *a, const SeriesPoint *b) {
    return !strcmp(a->cell, b->cell) && !strcmp(a->kind, b->kind) && !strcmp(a->setting, b->setting);
}
