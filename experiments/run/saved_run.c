/* experiments/run/saved_run.c: a finished run, loaded back to be used. */
#include "experiments/run/saved_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/tokenizers.h"
#include "embed/data/corpus.h"
#include "embed/data/sequence.h"
#include "embed/data/source.h"
#include "embed/text/text.h"
#include "experiments/run/run_record.h"

/* The stored vocabulary into d: the words of indices 2, 3, ..., one a line. */
static void read_vocab(Dict *d, const char *vocab) {
    dict_init(d);
    for (const char *p = vocab, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            break;
        dict_add(d, p, nl - p);
    }
}

/* The tokenizer the run was trained with, into r->tok: a learned one's
 * model is the tokenizers row the run points to (runs.tokenizer_id). */
static int open_tokenizer(sqlite3 *db, int64_t run, SavedRun *r) {
    sqlite3_stmt *st;
    int64_t tok_id = 0;
    if (lab_prepare(db, "SELECT tokenizer_id FROM runs WHERE id = ?", &st) == 0) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) == SQLITE_ROW)
            tok_id = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    char what[64];
    snprintf(what, sizeof what, "run %lld", (long long)run);
    return db_tokenizer_open(db, r->c.tokenizer, tok_id, what, &r->tok);
}

/* A word's index under the run's stored vocabulary and cap. */
static int32_t run_index(const SavedRun *r, const char *word, size_t len) {
    int32_t id = dict_find(&r->words, word, len);
    return id >= 0 && id + 2 < r->c.model.vocab ? id + 2 : INDEX_OOV;
}

/* Subword input: r->si rebuilt over the tokens of dict (their types are
 * dict id + 2, r->si.type_of), r->m freed. 0, or -1 with a message. */
static int build_types(SavedRun *r, const Dict *dict) {
    model_free(&r->m);
    subword_input_free(&r->si);
    int32_t *index = xmalloc(((size_t)dict->size + 1) * sizeof *index);
    for (int32_t d = 0; d < dict->size; d++)
        index[d] = run_index(r, dict_word(dict, d), dict_len(dict, d));
    int rc =
        subword_input_build_mapped(&r->si, dict, index, r->c.model.vocab, r->base.minn, r->base.maxn, r->base.buckets);
    free(index);
    return rc;
}

/* Subword input: r->si and r->m rebuilt over the tokens of dict, the model's
 * parameters the run's (r->sr). 0, or -1 with a message. */
static int bind_tokens(SavedRun *r, const Dict *dict) {
    ModelConfig mc;
    if (build_types(r, dict) != 0 || classifier_model_config(&r->c.model, &mc) != 0)
        return -1;
    return subword_run_model(&r->sr, &r->base, &r->si, &mc, &r->m);
}

/* A subword-input run stored before SUBWORD_RUN_FORMAT kept its whole table
 * as float32-le, its n-gram rows in the order of the buckets its corpus (its
 * data's every split) used: read the data again with the run's tokenizer to
 * learn that order, check the sizes, and keep what SUBWORD_RUN_FORMAT keeps
 * in r->sr. 0, or -1 with a message. */
static int unpack_full_table(SavedRun *r, const RunModel *rm) {
    Corpus c;
    corpus_init(&c);
    c.tok = r->tok;
    int rc = source_read(&c, r->c.data, r->c.test_data[0] ? r->c.test_data : NULL, SPLITS_ALL);
    if (rc == 0)
        rc = build_types(r, &c.dict);
    corpus_free(&c);
    ModelConfig mc;
    if (rc == 0 && classifier_model_config(&r->c.model, &mc) == 0) {
        mc.rows = &r->si.rows;
        rc = model_layout(&r->m, &mc); /* the size first: nothing allocated yet */
    } else {
        rc = -1;
    }
    if (rc == 0 && rm->bytes != (size_t)r->m.nparams * sizeof(real))
        rc = el_fail("its stored parameters have %zu bytes; its data read again gives a model of %lld (has the data "
                     "changed?)",
                     rm->bytes, (long long)r->m.nparams * (long long)sizeof(real));
    if (rc == 0)
        rc = model_load(&r->m, &mc, rm->params, rm->bytes);
    if (rc == 0) {
        void *blob;
        size_t bytes;
        subword_run_pack(&r->si, &r->m, &r->base, &blob, &bytes);
        rc = subword_run_unpack(blob, bytes, r->c.model.vocab, &r->base, &r->sr);
        free(blob);
    }
    return rc;
}

/* A subword-input run's parameters (rm) and its embedding's n-gram rows. 0,
 * or -1 with a message. */
static int load_subword(sqlite3 *db, SavedRun *r, const RunModel *rm) {
    char name[256];
    if (!rm->embedding_id)
        return el_fail("its embedding '%s' was removed, and a subword-input run's n-gram rows are completed from it",
                       r->c.embedding);
    if (db_embedding_load_ngrams(db, rm->embedding_id, &r->base, name, sizeof name) != 0)
        return -1;
    if (r->base.dim != r->c.model.dim)
        return el_fail("its embedding '%s' has %d dimensions, the run %d", name, r->base.dim, r->c.model.dim);
    int rc;
    if (strcmp(rm->format, SUBWORD_RUN_FORMAT) == 0)
        rc = subword_run_unpack(rm->params, rm->bytes, r->c.model.vocab, &r->base, &r->sr);
    else if (strcmp(rm->format, "float32-le") == 0)
        rc = unpack_full_table(r, rm);
    else
        rc = el_fail("its parameters are stored as '%s', which this build does not read", rm->format);
    if (rc != 0)
        return -1;
    /* A model over no tokens yet: checks the layout against the configuration. */
    Dict empty;
    dict_init(&empty);
    rc = bind_tokens(r, &empty);
    dict_free(&empty);
    return rc;
}

int saved_run_load(sqlite3 *db, int64_t run, SavedRun *r) {
    memset(r, 0, sizeof *r);
    if (run_config(db, run, &r->c) != 0)
        return -1;
    r->sub = r->c.model.input == INPUT_EMBED && r->c.model.subwords == SUBWORDS_ON;
    RunModel rm = {0};
    char *vocab = NULL;
    int rc = r->sub ? run_read_model(db, run, &rm) : run_load(db, run, &r->c, &r->m, &vocab);
    if (rc != 0)
        return -1;
    read_vocab(&r->words, r->sub ? rm.vocab : vocab);
    free(vocab);
    rc = open_tokenizer(db, run, r);
    if (rc == 0 && r->sub && load_subword(db, r, &rm) != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", el_error());
        rc = el_fail("run %lld: %s", (long long)run, msg);
    }
    run_model_free(&rm);
    if (rc != 0) {
        saved_run_free(r);
        return -1;
    }
    return 0;
}

void saved_run_free(SavedRun *r) {
    dict_free(&r->words);
    model_free(&r->m);
    tokenizer_free(r->tok);
    r->tok = NULL;
    subword_run_free(&r->sr);
    subword_input_free(&r->si);
    if (r->base.dim)
        emb_free(&r->base);
}

/* How many space-separated fields text[0..len) holds: what encode() writes.
 * Counted from the text itself, not taken from the tokenizer's ntokens: a
 * piece holding a space (a crafted model's, refused at load since: see
 * embed/text/spm_model.h) made more fields than tokens, and overflowed. */
static size_t fields(const char *text, size_t len) {
    size_t n = len > 0;
    for (const char *p = text, *end = text + len; (p = memchr(p, ' ', (size_t)(end - p))) != NULL; p++)
        n++;
    return n;
}

/* text[0..n) tokenized by the run's tokenizer into out (r->c.maxlen
 * entries): each token's index under the run's vocabulary and cap, or under
 * subword input its type in r->si, by seen (the dict r->si was built on);
 * seen given and add set: the tokens are only added to seen, nothing
 * written. 0, or -1 with a message. */
static int encode(const SavedRun *r, const char *text, size_t n, TokenBuf *b, Dict *seen, int add, int32_t *out) {
    if (tokenizer_tokens(r->tok, text, n, b) != 0)
        return -1;
    int32_t *idx = xmalloc((fields(b->text, b->len) + 1) * sizeof *idx);
    size_t k = 0;
    for (char *p = b->text, *end = b->text + b->len; p < end;) {
        char *q = memchr(p, ' ', end - p);
        if (!q)
            q = end;
        if (!seen)
            idx[k++] = run_index(r, p, q - p);
        else if (add)
            dict_add(seen, p, q - p);
        else
            idx[k++] = r->si.type_of[dict_find(seen, p, q - p)];
        p = q + 1;
    }
    if (!add)
        seq_shape(idx, k, r->c.model.maxlen, r->c.model.pad, r->c.model.truncate, out);
    free(idx);
    return 0;
}

int saved_run_predict(SavedRun *r, char *const *texts, int n, real *p) {
    int T = r->c.model.maxlen, rc = 0;
    int32_t *x = xmalloc(((size_t)n * T + 1) * sizeof *x);
    Dict seen;
    dict_init(&seen);
    TokenBuf b;
    tokbuf_init(&b);
    /* Under subword input the model is rebuilt over the texts' tokens first. */
    for (int i = 0; r->sub && i < n && rc == 0; i++)
        rc = encode(r, texts[i], strlen(texts[i]), &b, &seen, 1, NULL);
    if (rc == 0 && r->sub)
        rc = bind_tokens(r, &seen);
    for (int i = 0; i < n && rc == 0; i++)
        rc = encode(r, texts[i], strlen(texts[i]), &b, r->sub ? &seen : NULL, 0, x + (size_t)i * T);
    tokbuf_free(&b);
    if (rc == 0)
        predict_probs(&r->m, x, n, p);
    dict_free(&seen);
    free(x);
    return rc;
}

int saved_run_test(SavedRun *r, const char *file, Dataset *d) {
    memset(d, 0, sizeof *d);
    Corpus c;
    corpus_init(&c);
    c.tok = r->tok;
    int rc = file ? corpus_load_tsv(&c, file, SPLIT_TEST)
                  : source_read(&c, r->c.data, r->c.test_data[0] ? r->c.test_data : NULL, SPLIT_MASK(SPLIT_TEST));
    if (rc == 0 && r->sub)
        rc = bind_tokens(r, &c.dict);
    if (rc == 0) {
        /* This corpus's word ids -> the run's indices (or types), one lookup per distinct word. */
        int32_t *map = r->sub ? r->si.type_of : xmalloc(((size_t)c.dict.size + 1) * sizeof *map);
        for (int32_t id = 0; !r->sub && id < c.dict.size; id++)
            map[id] = run_index(r, dict_word(&c.dict, id), dict_len(&c.dict, id));
        SeqOptions so = {.maxlen = r->c.model.maxlen, .pad = r->c.model.pad, .truncate = r->c.model.truncate};
        dataset_build_mapped(d, &c, map, &so, SPLIT_TEST);
        if (!r->sub)
            free(map);
    }
    corpus_free(&c);
    return rc;
}
