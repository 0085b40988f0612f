/* experiments/run/input_kind.c: the table of input kinds and what follows from it. */
#include "experiments/run/input_kind.h"

#include <stdio.h>
#include <string.h>

#include "core/common.h"
#include "core/names.h"
#include "embed/trainer.h"
#include "rnn/config.h"

/* Adding an input kind: one line here, plus the code that uses what it sets
 * (a stored kind's name is "PREFIX:NAME", and "PREFIX:NAME:frozen" for its
 * frozen line). The first four are the sweep's original kinds: their names
 * and labels are in existing lab databases and reports. */
const InputKind input_kinds[] = {
    {"onehot", "onehot", EMB_NONE, NULL, 0, "one-hot", NULL, 0, NULL},
    {"random", "embed", EMB_RANDOM, NULL, 0, "random", NULL, 1, NULL},
    {"word2vec", "embed", EMB_TRAINED, "word2vec", 0, NULL, NULL, 0, NULL},
    {"word2vec-frozen", "embed", EMB_TRAINED, "word2vec", 1, NULL, NULL, 2, NULL},
    {"emb:NAME", "embed", EMB_STORED, NULL, 0, NULL, NULL, 0, "off"},
    {"emb:NAME:frozen", "embed", EMB_STORED, NULL, 1, NULL, NULL, 2, "off"},
    {"sub:NAME", "embed", EMB_STORED, NULL, 0, NULL, "subwords", 0, "on"},
    {"sub:NAME:frozen", "embed", EMB_STORED, NULL, 1, NULL, "subwords", 2, "on"},
};
const int input_kinds_n = (int)(sizeof input_kinds / sizeof *input_kinds);

static const char frozen_suffix[] = ":frozen";

/* A stored kind's prefix, "emb:" of "emb:NAME": its length. */
static size_t prefix_len(const InputKind *k) {
    const char *colon = strchr(k->name, ':');
    return colon ? (size_t)(colon - k->name) + 1 : strlen(k->name);
}

/* The stored kind of that prefix (the first prefix_len bytes of text) and
 * freeze, or NULL. */
static const InputKind *stored_kind(const char *text, size_t np, int freeze) {
    for (int i = 0; i < input_kinds_n; i++)
        if (input_kinds[i].source == EMB_STORED && prefix_len(&input_kinds[i]) == np &&
            !strncmp(input_kinds[i].name, text, np) && input_kinds[i].freeze == freeze)
            return &input_kinds[i];
    return NULL;
}

const char *input_kind_name_at(int i) { return i >= 0 && i < input_kinds_n ? input_kinds[i].name : NULL; }

const char *input_kind_names(void) {
    static char names[512];
    if (!names[0])
        for (int i = 0; i < input_kinds_n; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", input_kinds[i].name);
        }
    return names;
}

/* A name pattern with its first {dim} filled in, into out: 0, or -1 when it does not fit. */
static int fill_dim(const char *pattern, int dim, char *out, size_t n) {
    const char *at = strstr(pattern, "{dim}");
    int len =
        at ? snprintf(out, n, "%.*s%d%s", (int)(at - pattern), pattern, dim, at + 5) : snprintf(out, n, "%s", pattern);
    return len >= 0 && (size_t)len < n ? 0 : -1;
}

int input_kind_parse(const char *text, InputChoice *out) {
    memset(out, 0, sizeof *out);
    const char *colon = strchr(text, ':');
    size_t len = strlen(text), np = colon ? (size_t)(colon - text) + 1 : 0, nf = strlen(frozen_suffix);
    int frozen = colon && len > np + nf && !strcmp(text + len - nf, frozen_suffix);
    const InputKind *k = colon ? stored_kind(text, np, frozen) : NULL;
    if (colon && !k && frozen) /* a kind with no frozen form: ":frozen" is part of the name, which refuses it */
        k = stored_kind(text, np, frozen = 0);
    if (k && len > np) {
        size_t name_len = len - np - (frozen ? nf : 0);
        if (name_len >= sizeof out->embedding)
            return el_fail("input '%s': the embedding's name is too long", text);
        memcpy(out->embedding, text + np, name_len);
        char name[sizeof out->embedding + 16];
        if (fill_dim(out->embedding, 1, name, sizeof name) != 0 || name_check("embedding", name) != 0)
            return el_fail("input '%s': %s", text, el_error());
        out->kind = k;
        return 0;
    }
    for (int i = 0; i < input_kinds_n; i++)
        if (input_kinds[i].source != EMB_STORED && !strcmp(input_kinds[i].name, text)) {
            out->kind = &input_kinds[i];
            return 0;
        }
    return el_fail("unknown input '%s' (%s)", text, input_kind_names());
}

int input_kind_per_dim(const InputChoice *ch) {
    EmbSource s = ch->kind->source;
    return s == EMB_RANDOM || s == EMB_TRAINED || (s == EMB_STORED && strstr(ch->embedding, "{dim}"));
}

/* The kind recorded for text when the configuration is frozen already (a
 * sweep's --freeze, given once for every point): its frozen counterpart, so
 * that the record says what the run is. */
static void frozen_kind(const InputChoice *ch, const char *text, char *out, size_t n) {
    const InputKind *k = ch->kind;
    snprintf(out, n, "%s", text);
    if (k->source == EMB_STORED && !k->freeze && stored_kind(k->name, prefix_len(k), 1))
        snprintf(out, n, "%s%s", text, frozen_suffix);
    for (int i = 0; i < input_kinds_n && k->source == EMB_TRAINED && !k->freeze; i++)
        if (input_kinds[i].source == EMB_TRAINED && input_kinds[i].freeze &&
            !strcmp(input_kinds[i].trainer, k->trainer))
            snprintf(out, n, "%s", input_kinds[i].name);
}

int input_kind_apply(const InputChoice *ch, const char *text, int dim, const char *trained_name, Experiment *c) {
    const InputKind *k = ch->kind;
    char kind[sizeof c->input_kind];
    if (c->model.freeze)
        frozen_kind(ch, text, kind, sizeof kind);
    else
        snprintf(kind, sizeof kind, "%s", text);
    char name[sizeof ch->embedding + 16] = "random";
    if (k->source == EMB_TRAINED)
        snprintf(name, sizeof name, "%s", trained_name);
    else if (k->source == EMB_STORED && fill_dim(ch->embedding, dim, name, sizeof name) != 0)
        return el_fail("input '%s': the embedding's name is too long", text);
    if (experiment_set(c, "input", k->input) != 0 || experiment_set(c, "input_kind", kind) != 0)
        return -1;
    if (k->source != EMB_NONE && experiment_set(c, "embedding", name) != 0)
        return -1;
    if (k->subwords && experiment_set(c, "subwords", k->subwords) != 0)
        return -1;
    return k->freeze ? experiment_set(c, "freeze", "1") : 0;
}

const char *input_kind_label(const InputChoice *ch, const char *trainer, char *buf, size_t n) {
    const InputKind *k = ch->kind;
    const char *frozen = k->freeze ? " (frozen)" : "";
    if (k->label) {
        snprintf(buf, n, "%s", k->label);
    } else if (k->source == EMB_TRAINED) {
        const EmbedTrainer *t = trainer_find(k->trainer);
        snprintf(buf, n, "%s%s", t ? t->label : k->trainer, frozen);
    } else { /* stored: "NAME (TRAINER, TAG, frozen)", each part when there is one */
        const char *parts[3] = {trainer, k->tag, k->freeze ? "frozen" : NULL};
        size_t at = (size_t)snprintf(buf, n, "%s", ch->embedding);
        for (int i = 0, first = 1; i < 3; i++)
            if (parts[i] && at < n) {
                at += (size_t)snprintf(buf + at, n - at, "%s%s", first ? " (" : ", ", parts[i]);
                first = 0;
            }
        if (at < n && (trainer || k->tag || k->freeze))
            snprintf(buf + at, n - at, ")");
    }
    return buf;
}

const char *input_kind_of(const Experiment *c, char *buf, size_t n) {
    EmbSource want = c->model.input == INPUT_ONEHOT    ? EMB_NONE
                     : !strcmp(c->embedding, "random") ? EMB_RANDOM
                                                       : EMB_STORED;
    char input[32]; /* the input's name, as a kind's row gives it */
    experiment_text(c, "input", input, sizeof input);
    snprintf(buf, n, "%s", input); /* no row says what this is: its input as it is */
    for (int i = 0; i < input_kinds_n; i++) {
        const InputKind *k = &input_kinds[i];
        if (k->source != want || strcmp(k->input, input) || (want == EMB_STORED && k->freeze != (c->model.freeze != 0)))
            continue;
        /* A stored embedding read through its n-grams is the subword kind. */
        if (want == EMB_STORED && k->subwords && (strcmp(k->subwords, "on") == 0) != (c->model.subwords == SUBWORDS_ON))
            continue;
        if (want == EMB_STORED)
            snprintf(buf, n, "%.*s%s%s", (int)prefix_len(k), k->name, c->embedding,
                     c->model.freeze ? frozen_suffix : "");
        else
            snprintf(buf, n, "%s", k->name);
        break;
    }
    return buf;
}
