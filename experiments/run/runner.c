/* experiments/run/runner.c: one classifier run. */
#include "experiments/run/runner.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "core/hash.h"
#include "db/embeddings.h"
#include "db/lab.h"
#include "db/tokenizers.h"
#include "embed/data/dataset.h"
#include "embed/data/sequence.h"
#include "embed/data/source.h"
#include "experiments/run/input_kind.h"
#include "experiments/run/subword_input.h"

/* The fingerprint of c's documents (LabData.data_hash), in buf: per
 * document its split, label and each token's length (4 bytes) and bytes,
 * hashed, and then the documents' hashes in order. Tokens as strings, since
 * the ids a dictionary gives may depend on the order threads loaded files. */
static void corpus_fingerprint(const Corpus *c, char buf[17]) {
    uint64_t *docs = xmalloc((c->ndocs + 1) * sizeof *docs);
    size_t cap = 256, len;
    char *bytes = xmalloc(cap);
    for (size_t i = 0; i < c->ndocs; i++) {
        const Doc *doc = &c->docs[i];
        bytes[0] = (char)doc->split;
        bytes[1] = (char)doc->label;
        len = 2;
        for (uint32_t t = 0; t < doc->len; t++) {
            int32_t id = c->tokens[doc->start + t];
            uint32_t n = dict_len(&c->dict, id);
            if (len + 4 + n > cap) {
                cap = 2 * (len + 4 + n);
                bytes = xrealloc(bytes, cap);
            }
            memcpy(bytes + len, &n, 4);
            memcpy(bytes + len + 4, dict_word(&c->dict, id), n);
            len += 4 + n;
        }
        docs[i] = hash_bytes(bytes, len);
    }
    snprintf(buf, 17, "%016" PRIx64, hash_bytes(docs, c->ndocs * sizeof *docs));
    free(bytes);
    free(docs);
}

int labdata_load(LabData *d, const char *data, const char *test_data, Tokenizer *tok) {
    memset(d, 0, sizeof *d);
    corpus_init(&d->corpus);
    d->tok = tok;
    d->corpus.tok = tok;
    if ((tok && source_train_tokenizer(tok, data, 0) != 0) ||
        source_read(&d->corpus, data, test_data, SPLITS_ALL) != 0) {
        corpus_free(&d->corpus);
        tokenizer_free(tok);
        d->tok = NULL;
        return -1;
    }
    vocab_build(&d->vocab, &d->corpus, SPLIT_MASK(SPLIT_TRAIN));
    corpus_fingerprint(&d->corpus, d->data_hash);
    snprintf(d->data, sizeof d->data, "%s", data);
    snprintf(d->test_data, sizeof d->test_data, "%s", test_data ? test_data : "");
    return 0;
}

void labdata_free(LabData *d) {
    vocab_free(&d->vocab);
    corpus_free(&d->corpus);
    tokenizer_free(d->tok);
    d->tok = NULL;
}

typedef struct {
    sqlite3 *db;
    int64_t run;
    const RunOptions *o;
    int epochs;
    double last_line; /* when this run last wrote a line (quiet mode) */
} EpochCtx;

/* A quiet run (in a sweep) still shows it is alive: an epoch line when the
 * last line is older than this. */
#define QUIET_LINE_SECONDS 10.0

static int record_epoch(const EpochMetrics *e, void *ctx) {
    EpochCtx *x = ctx;
    if (run_add_epoch(x->db, x->run, e) != 0)
        return -1;
    if (!x->o->quiet) {
        fprintf(stderr, "epoch %d: loss %.4f acc %.4f val_loss %.4f val_acc %.4f (%.2f s)\n", e->epoch, e->train_loss,
                e->train_acc, e->val_loss, e->val_acc, e->seconds);
    } else if (now_seconds() - x->last_line >= QUIET_LINE_SECONDS) {
        fprintf(stderr, "embedlab: running %s: epoch %d/%d, val_acc %.4f (%.1f s/epoch)\n",
                x->o->sweep_key ? x->o->sweep_key : "run", e->epoch, x->epochs, e->val_acc, e->seconds);
        x->last_line = now_seconds();
    }
    return 0;
}

/* The vocabulary as stored with a run: the words of indices 2 .. cap-1. */
static char *vocab_text(const Corpus *c, const Vocab *v, int cap, size_t *len) {
    size_t n = 0;
    for (int32_t r = 0; r < v->size && r + 2 < cap; r++)
        n += dict_len(&c->dict, v->by_rank[r]) + 1;
    char *s = xmalloc(n + 1), *p = s;
    for (int32_t r = 0; r < v->size && r + 2 < cap; r++) {
        uint32_t l = dict_len(&c->dict, v->by_rank[r]);
        memcpy(p, dict_word(&c->dict, v->by_rank[r]), l);
        p += l;
        *p++ = '\n';
    }
    *p = 0;
    *len = n;
    return s;
}

/* The model's embedding rows from emb: words matched by string; words the
 * embedding lacks keep their random start. */
static void init_embedding(Model *m, const ModelConfig *mc, const Experiment *c, const Corpus *cp, const Vocab *vp,
                           const Embedding *emb, int quiet) {
    int found = 0, wanted = 0;
    for (int32_t r = 0; r < vp->size && r + 2 < c->model.vocab; r++) {
        wanted++;
        int32_t row = emb_row(emb, dict_word(&cp->dict, vp->by_rank[r]));
        if (row < 0)
            continue;
        memcpy(m->params + m->embed + (int64_t)(r + 2) * mc->dim, emb->vec + (size_t)row * emb->dim,
               mc->dim * sizeof(real));
        found++;
    }
    if (!quiet)
        fprintf(stderr, "embedlab: embedding '%s': %d of %d vocabulary words found, the rest start random%s\n",
                c->embedding, found, wanted, c->model.freeze ? "; frozen" : "");
}

/* The run's named embedding (its n-gram rows too, unless --subwords off):
 * its dimension rules, and --dim must agree. 0, or -1 with a message and
 * nothing held. */
static int load_embedding(sqlite3 *db, Experiment *c, ModelConfig *mc, int dim_given, const LabData *d, Embedding *emb,
                          int64_t *emb_id) {
    int rc = c->model.subwords != SUBWORDS_OFF ? db_embedding_load_subwords(db, c->embedding, emb, emb_id)
                                               : db_embedding_load(db, c->embedding, emb, emb_id);
    if (rc != 0)
        return -1;
    if (dim_given && c->model.dim != emb->dim) {
        el_fail("--dim %d does not match embedding '%s', which has %d dimensions", c->model.dim, c->embedding,
                emb->dim);
        emb_free(emb);
        return -1;
    }
    c->model.dim = mc->dim = emb->dim;
    /* Again with the embedding's own dimension, which the first check
     * could not know (a 300-wide embedding under the default --dim 16). */
    if (classifier_fits(&c->model, el_threads(), d->corpus.ndocs) != 0) {
        emb_free(emb);
        return -1;
    }
    return 0;
}

/* The model's input table from emb: through the token rows si under subword
 * input, else word by word. */
static void init_input(Model *m, const ModelConfig *mc, const Experiment *c, const LabData *d, const Embedding *emb,
                       const SubwordInput *si, int quiet) {
    if (!si) {
        init_embedding(m, mc, c, &d->corpus, &d->vocab, emb, quiet);
        return;
    }
    int found, wanted;
    subword_input_init(si, m, emb, &d->corpus, &d->vocab, &found, &wanted);
    if (!quiet)
        fprintf(stderr,
                "embedlab: embedding '%s' with subwords: %d of %d vocabulary words start from it; %lld n-gram rows "
                "for %d distinct tokens%s\n",
                c->embedding, found, wanted, (long long)si->nngrams, si->rows.ntypes - 2,
                c->model.freeze ? "; frozen" : "");
}

/* Whether the run takes subword input: decides --subwords auto from the
 * embedding emb (NULL: none; "off"), which c then records as on or off. 1,
 * 0, or -1 with a message (--subwords on without n-gram rows). */
static int decide_subwords(Experiment *c, const Embedding *emb) {
    int has = emb && emb->minn > 0;
    if (c->model.subwords == SUBWORDS_ON && !has)
        return el_fail("--subwords on: embedding '%s' has no n-gram rows (train one with embed train --subwords)",
                       c->embedding);
    int use = has && c->model.subwords != SUBWORDS_OFF;
    c->model.subwords = use ? SUBWORDS_ON : SUBWORDS_OFF;
    return use;
}

/* Subword input, as decide_subwords decided (use): interns the corpus's
 * tokens in *si, checks the memory, points mc at the rows and rewrites the
 * datasets as type ids. 1 when the run takes subword input, 0 when not, -1
 * with a message. */
static int start_subwords(int use, const Experiment *c, ModelConfig *mc, const Embedding *emb, const LabData *d,
                          const SeqOptions *so, Dataset *sets[3], SubwordInput *si) {
    if (use <= 0)
        return use;
    if (subword_input_build(si, &d->corpus, &d->vocab, c->model.vocab, emb->minn, emb->maxn, emb->buckets) != 0)
        return -1;
    if (classifier_fits_subwords(&c->model, el_threads(), d->corpus.ndocs, si->nngrams, si->start[si->rows.ntypes]) !=
        0) {
        subword_input_free(si);
        return -1;
    }
    mc->rows = &si->rows;
    for (int k = 0; k < 3; k++)
        subword_input_dataset(si, &d->corpus, so, sets[k]);
    return 1;
}

/* The rest of c that a run records, from the data d and the embedding emb
 * (NULL: none): the data's paths and fingerprint, the threads, --subwords
 * (decide_subwords) and, made without a kind (train), the input kind its
 * settings make (after --subwords auto is settled). What decide_subwords
 * returns. */
static int settle_config(Experiment *c, const ModelConfig *mc, const LabData *d, const Embedding *emb) {
    snprintf(c->data, sizeof c->data, "%s", d->data);
    snprintf(c->test_data, sizeof c->test_data, "%s", d->test_data);
    snprintf(c->data_hash, sizeof c->data_hash, "%s", d->data_hash);
    c->model.threads = el_threads();
    int use = mc->onehot ? 0 : decide_subwords(c, emb);
    if (!c->input_kind[0])
        input_kind_of(c, c->input_kind, sizeof c->input_kind);
    return use;
}

/* run_find_same into the caller's run_out and res_out (either may be NULL):
 * 1, 0 or -1 as it returns. */
static int find_same(sqlite3 *db, const Experiment *c, int64_t emb_id, int64_t tok_id, int64_t *run_out,
                     RunResult *res_out) {
    int64_t run;
    RunResult res;
    int found = run_find_same(db, c, emb_id, tok_id, &run, &res);
    if (found > 0 && run_out)
        *run_out = run;
    if (found > 0 && res_out)
        *res_out = res;
    return found;
}

/* After training: the test score, results, parameters and vocabulary stored
 * (run_finish; under subword input, si not NULL, run_finish_subword against
 * embedding emb_id); the run marked failed if that fails. 0 or -1. */
static int finish_run(sqlite3 *db, int64_t run, const Model *m, const ModelConfig *mc, const Experiment *c,
                      const LabData *d, const Dataset *test, const TrainSummary *sum, int64_t oh,
                      const SubwordInput *si, int64_t emb_id, RunResult *res_out) {
    /* The test predictions are kept with the results (for ensembles). */
    int64_t n = test->n;
    real *probs = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *probs);
    float *pf = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *pf);
    uint8_t *labels = xmalloc((size_t)(n > 0 ? n : 1));
    EvalResult te = evaluate_probs(m, test, probs);
    for (int64_t i = 0; i < n; i++) {
        pf[i] = (float)probs[i];
        labels[i] = test->y[i] >= 0.5;
    }
    free(probs);
    RunResult res = {.npred = n,
                     .pred_probs = pf,
                     .pred_labels = labels,
                     .test_loss = te.loss,
                     .test_acc = te.acc,
                     .val_loss = sum->best_val_loss,
                     .val_acc = sum->best_val_acc,
                     .best_epoch = sum->best_epoch,
                     .epochs = sum->epochs_run,
                     .params = m->nparams,
                     .seconds = sum->seconds,
                     .seconds_per_epoch = sum->epochs_run ? sum->seconds / sum->epochs_run : 0,
                     .input_bytes = mc->onehot ? 0 : m->table_rows * c->model.dim * 4,
                     .onehot_bytes = oh};
    size_t vlen;
    char *vt = vocab_text(&d->corpus, &d->vocab, c->model.vocab, &vlen);
    int rc = si ? run_finish_subword(db, run, &res, m, si, emb_id, vt, vlen) : run_finish(db, run, &res, m, vt, vlen);
    free(vt);
    free(pf);
    free(labels);
    res.npred = 0; /* the caller's copy points at nothing */
    res.pred_probs = NULL;
    res.pred_labels = NULL;
    if (rc != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", el_error());
        run_set_status(db, run, "failed", msg);
    }
    if (res_out)
        *res_out = res;
    return rc;
}

/* c's tokenizer must be tok (the data's), as its canonical spec, which c then
 * holds (what runs.config records); a learned tok's model is stored, its row
 * in *id (0 for a fixed kind). 0, or -1 with a message. */
static int run_tokenizer(sqlite3 *db, Experiment *c, const Tokenizer *tok, int64_t *id) {
    Tokenizer *want;
    if (tokenizer_new(c->tokenizer, &want) != 0)
        return -1;
    int same = strcmp(tokenizer_spec(want), tokenizer_spec(tok)) == 0;
    tokenizer_free(want);
    if (!same)
        return el_fail("--tokenizer %s is not the tokenizer the data was read with (%s)", c->tokenizer,
                       tokenizer_spec(tok));
    snprintf(c->tokenizer, sizeof c->tokenizer, "%s", tokenizer_spec(tok));
    return db_tokenizer_store(db, tok, id);
}

/* 0 if embedding name was trained with tok (the same spec and, for a learned
 * kind, the same stored model, row tok_id), else -1 with a message. */
static int embedding_tokenizer_matches(sqlite3 *db, const char *name, const Tokenizer *tok, int64_t tok_id) {
    Tokenizer *et;
    int64_t et_id;
    if (db_embedding_tokenizer(db, name, &et, &et_id) != 0)
        return -1;
    int rc = 0;
    if (strcmp(tokenizer_spec(et), tokenizer_spec(tok)) != 0)
        rc = el_fail("embedding '%s' was trained with tokenizer %s, not %s: give --tokenizer %s", name,
                     tokenizer_spec(et), tokenizer_spec(tok), tokenizer_spec(et));
    else if (et_id != tok_id)
        rc = el_fail("embedding '%s' was trained with another %s model than this run's", name, tokenizer_spec(tok));
    tokenizer_free(et);
    return rc;
}

/* The line that starts a run on stderr: model, input, parameters, splits,
 * threads; for one-hot input what Keras would have materialised. */
static void announce_run(int64_t run, const Experiment *c, const ModelConfig *mc, int sub, const Model *m,
                         const Dataset *train, const Dataset *val, const Dataset *test, int64_t oh) {
    fprintf(stderr,
            "embedlab: run %lld: %s x%d (%d units) on %s input, %lld parameters; %lld train / %lld validation / %lld "
            "test reviews, %d threads\n",
            (long long)run, cell_at(c->model.cell)->name, c->model.layers, c->model.units,
            mc->onehot ? "one-hot"
            : sub      ? "subword"
                       : "embedding",
            (long long)m->nparams, (long long)train->n, (long long)val->n, (long long)test->n, el_threads());
    if (mc->onehot)
        fprintf(stderr,
                "embedlab: one-hot input materialised would take %.1f MB for the training set (%lld x %d x %d "
                "float32); gathered rows of W take none\n",
                oh / 1e6, (long long)train->n, c->model.maxlen, c->model.vocab);
}

/* How the model's fields shape a review into its index sequence. */
static SeqOptions seq_options(const ClassifierConfig *c) {
    return (SeqOptions){.cap = c->vocab, .maxlen = c->maxlen, .pad = c->pad, .truncate = c->truncate};
}

int classifier_run(sqlite3 *db, Experiment *c, const LabData *d, const RunOptions *o, int64_t *run_out,
                   RunResult *res_out) {
    int dim_given = o->dim_given;
    ModelConfig mc;
    if (classifier_model_config(&c->model, &mc) != 0)
        return -1;
    Embedding emb;
    int64_t emb_id = 0;
    /* Every run, a sweep's too, is checked as it starts, before anything is
     * loaded or recorded: one that cannot fit beside the others fails alone. */
    if (classifier_fits(&c->model, el_threads(), d->corpus.ndocs) != 0)
        return -1;
    /* The run records the tokenizer that made the data's words; a stored
     * embedding must have been trained with the same one (spec and model). */
    const Tokenizer *tok = d->tok ? d->tok : tokenizer_words();
    int64_t tok_id = 0;
    if (run_tokenizer(db, c, tok, &tok_id) != 0)
        return -1;
    int have_emb = !mc.onehot && strcmp(c->embedding, "random") != 0;
    if (have_emb && (embedding_tokenizer_matches(db, c->embedding, tok, tok_id) != 0 ||
                     load_embedding(db, c, &mc, dim_given, d, &emb, &emb_id) != 0))
        return -1;
    int use_sub = settle_config(c, &mc, d, have_emb ? &emb : NULL);
    /* The configuration is now what run_start would record: an equal finished
     * run is reported instead of trained again. */
    int found = use_sub >= 0 && o->reuse ? find_same(db, c, emb_id, tok_id, run_out, res_out) : 0;
    if (use_sub < 0 || found != 0) {
        if (have_emb)
            emb_free(&emb);
        return found > 0 ? 2 : -1;
    }
    const Corpus *cp = &d->corpus;
    const Vocab *vp = &d->vocab;
    SeqOptions so = seq_options(&c->model);
    size_t ntrain = 0;
    for (size_t i = 0; i < cp->ndocs; i++)
        ntrain += cp->docs[i].split == SPLIT_TRAIN && cp->docs[i].label >= 0;
    uint8_t *is_val = xmalloc(ntrain + 1);
    split_validation(ntrain, c->model.val_split, c->model.seed, is_val);
    Dataset train, val, test;
    dataset_build(&train, cp, vp, &so, SPLIT_TRAIN, is_val, 0);
    dataset_build(&val, cp, vp, &so, SPLIT_TRAIN, is_val, 1);
    dataset_build(&test, cp, vp, &so, SPLIT_TEST, NULL, 0);
    free(is_val);
    SubwordInput si;
    Dataset *sets[3] = {&train, &val, &test};
    int sub = start_subwords(use_sub, c, &mc, have_emb ? &emb : NULL, d, &so, sets, &si);

    Model m = {0};
    int rc = sub < 0 ? -1 : model_init(&m, &mc, c->model.seed);
    if (rc == 0 && (train.n == 0 || val.n == 0))
        rc = el_fail("need labeled training reviews for both training and validation");
    if (rc == 0 && have_emb)
        init_input(&m, &mc, c, d, &emb, sub > 0 ? &si : NULL, o->quiet);
    if (have_emb)
        emb_free(&emb);
    int64_t run = 0;
    if (rc == 0)
        rc = run_start(db, c, o->sweep_id, o->sweep_key, emb_id, &run);
    if (rc != 0) {
        if (m.params)
            model_free(&m);
        if (sub > 0)
            subword_input_free(&si);
        dataset_free(&train), dataset_free(&val), dataset_free(&test);
        return rc == 1 ? 1 : -1; /* 1: another process has this grid point */
    }
    if (run_out)
        *run_out = run;
    if (tok_id > 0 && db_tokenizer_attach_run(db, run, tok_id) != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", el_error());
        run_set_status(db, run, "failed", msg);
        model_free(&m);
        if (sub > 0)
            subword_input_free(&si);
        dataset_free(&train), dataset_free(&val), dataset_free(&test);
        return el_fail("%s", msg);
    }
    int64_t oh = onehot_bytes(train.n, c->model.maxlen, c->model.vocab);
    if (!o->quiet)
        announce_run(run, c, &mc, sub > 0, &m, &train, &val, &test, oh);
    EpochCtx ctx = {db, run, o, c->model.epochs, now_seconds()};
    TrainSummary sum;
    rc = train_model(&m, &c->model, &train, &val, record_epoch, &ctx, o->stop, &sum);
    if (rc == 1) {
        run_set_status(db, run, "interrupted", "interrupted by the user (SIGINT)");
        el_fail("interrupted; run %lld marked interrupted (its epochs are kept)", (long long)run);
    } else if (rc != 0) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", el_error());
        run_set_status(db, run, "failed", msg);
    } else {
        rc = finish_run(db, run, &m, &mc, c, d, &test, &sum, oh, sub > 0 ? &si : NULL, emb_id, res_out);
    }
    model_free(&m);
    if (sub > 0)
        subword_input_free(&si);
    dataset_free(&train), dataset_free(&val), dataset_free(&test);
    return rc == 0 ? 0 : -1;
}
