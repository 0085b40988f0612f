/* experiments/saved_run.c: a finished run, loaded back to be used. */
#include "experiments/saved_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "embed/corpus.h"
#include "embed/sequence.h"
#include "embed/source.h"
#include "embed/text.h"
#include "experiments/run_record.h"
#include "db/lab.h"
#include "db/tokenizers.h"

int saved_run_load(sqlite3 *db, int64_t run, SavedRun *r) {
    char *vocab;
    if (run_load(db, run, &r->c, &r->m, &vocab) != 0)
        return -1;
    /* The stored vocabulary: the words of indices 2, 3, ..., one a line. */
    dict_init(&r->words);
    for (char *p = vocab, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl)
            break;
        dict_add(&r->words, p, nl - p);
    }
    free(vocab);
    /* The tokenizer the run was trained with: a learned one's model is the
     * tokenizers row the run points to (runs.tokenizer_id). */
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
    if (db_tokenizer_open(db, r->c.tokenizer, tok_id, what, &r->tok) != 0) {
        dict_free(&r->words);
        model_free(&r->m);
        return -1;
    }
    return 0;
}

void saved_run_free(SavedRun *r) {
    dict_free(&r->words);
    model_free(&r->m);
    tokenizer_free(r->tok);
    r->tok = NULL;
}

/* A word's index under the run's stored vocabulary and cap. */
static int32_t run_index(const SavedRun *r, const char *word, size_t len) {
    int32_t id = dict_find(&r->words, word, len);
    return id >= 0 && id + 2 < r->c.vocab ? id + 2 : INDEX_OOV;
}

int saved_run_encode(const SavedRun *r, const char *text, size_t n, TokenBuf *b, int32_t *out) {
    if (tokenizer_tokens(r->tok, text, n, b) != 0)
        return -1;
    int32_t *idx = xmalloc((b->ntokens + 1) * sizeof *idx);
    size_t k = 0;
    for (char *p = b->text, *end = b->text + b->len; p < end;) {
        char *q = memchr(p, ' ', end - p);
        if (!q)
            q = end;
        idx[k++] = run_index(r, p, q - p);
        p = q + 1;
    }
    seq_shape(idx, k, r->c.maxlen, seq_side(r->c.pad), seq_side(r->c.truncate), out);
    free(idx);
    return 0;
}

int saved_run_test(const SavedRun *r, const char *file, Dataset *d) {
    memset(d, 0, sizeof *d);
    Corpus c;
    corpus_init(&c);
    c.tok = r->tok;
    int rc = file ? corpus_load_tsv(&c, file, SPLIT_TEST)
                  : source_read(&c, r->c.data, r->c.test_data[0] ? r->c.test_data : NULL, SPLIT_MASK(SPLIT_TEST));
    if (rc == 0) {
        /* This corpus's word ids -> the run's indices, one lookup per distinct word. */
        int32_t *map = xmalloc(((size_t)c.dict.size + 1) * sizeof *map);
        for (int32_t id = 0; id < c.dict.size; id++)
            map[id] = run_index(r, dict_word(&c.dict, id), dict_len(&c.dict, id));
        SeqOptions so = {.maxlen = r->c.maxlen, .pad = seq_side(r->c.pad), .truncate = seq_side(r->c.truncate)};
        dataset_build_mapped(d, &c, map, &so, SPLIT_TEST);
        free(map);
    }
    corpus_free(&c);
    return rc;
}
