/* embed/trainer.c: the registry of embedding trainers. */
#include "embed/trainer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

extern const EmbedTrainer trainer_word2vec;

/* Adding a trainer: its file (embed/trainer_NAME.c) and one line here (or
 * trainer_register() at start-up). */
enum { MAX_TRAINERS = 16 };
static const EmbedTrainer *trainers[MAX_TRAINERS] = {
    &trainer_word2vec,
};
static int ntrainers = 1;

const EmbedTrainer *trainer_find(const char *name) {
    for (int i = 0; i < ntrainers; i++)
        if (!strcmp(trainers[i]->name, name))
            return trainers[i];
    return NULL;
}

const EmbedTrainer *trainer_at(int i) { return i >= 0 && i < ntrainers ? trainers[i] : NULL; }

const char *trainer_name_at(int i) { return trainer_at(i) ? trainer_at(i)->name : NULL; }

const char *trainer_names(void) {
    static char names[512];
    names[0] = 0; /* again each time: the registry may have grown */
    for (int i = 0; i < ntrainers; i++) {
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", trainers[i]->name);
    }
    return names;
}

int trainer_register(const EmbedTrainer *t) {
    if (ntrainers == MAX_TRAINERS || trainer_find(t->name))
        return -1;
    trainers[ntrainers++] = t;
    return 0;
}

int trainer_defaults(const EmbedTrainer *t, void *params, int dim) {
    memset(params, 0, t->params_size);
    opt_defaults(t->options, params);
    char text[32];
    snprintf(text, sizeof text, "%d", dim);
    return dim > 0 ? opt_set(t->options, params, "dim", text) : 0;
}

int trainer_options(const EmbedTrainer *t, const char *text, void *params, int *threads) {
    char *copy = xstrdup(text), *save = NULL;
    int rc = 0;
    for (char *o = strtok_r(copy, " ", &save); o && rc == 0; o = strtok_r(NULL, " ", &save)) {
        char *v = strtok_r(NULL, " ", &save);
        if (!v) {
            rc = el_fail("--embed-options: %s needs a value", o);
        } else if (!strcmp(o, "--threads")) {
            char *end;
            long n = strtol(v, &end, 10);
            if (end == v || *end || n < 1 || n > 1024)
                rc = el_fail("--embed-options: bad or unknown option %s '%s' (the options of 'embedlab embed "
                             "train' that shape the vectors, and --threads)",
                             o, v);
            else
                *threads = (int)n;
        } else if (!opt_find(t->options, o) || strncmp(o, "--", 2) != 0) {
            rc = el_fail("--embed-options: bad or unknown option %s '%s' (the options of 'embedlab embed train "
                         "--trainer %s' that shape the vectors, and --threads)",
                         o, v, t->name);
        } else if (opt_set(t->options, params, o, v) != 0) {
            rc = el_fail("--embed-options: %s", el_error());
        }
    }
    free(copy);
    if (rc == 0 && t->check(params) != 0)
        rc = el_fail("--embed-options: %s", el_error());
    return rc;
}

void trained_free(TrainedEmbedding *t) {
    emb_free(&t->emb);
    free(t->params_json);
    memset(t, 0, sizeof *t);
}
