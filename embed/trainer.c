/* embed/trainer.c: the registry of embedding trainers. */
#include "embed/trainer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"

extern const EmbedTrainer trainer_word2vec;

/* Adding a trainer: its file (embed/trainer_NAME.c) and one line here. */
static const EmbedTrainer *const trainers[] = {
    &trainer_word2vec,
};
static const int ntrainers = (int)(sizeof trainers / sizeof *trainers);

const EmbedTrainer *trainer_find(const char *name) {
    for (int i = 0; i < ntrainers; i++)
        if (!strcmp(trainers[i]->name, name))
            return trainers[i];
    return NULL;
}

const char *trainer_names(void) {
    static char names[256];
    if (!names[0])
        for (int i = 0; i < ntrainers; i++) {
            size_t len = strlen(names);
            snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", trainers[i]->name);
        }
    return names;
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
        } else if (t->option(params, o, v) != 0) {
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
