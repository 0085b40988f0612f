/* fuzz/w2v_round_trip.h: what fuzz_w2v_text and fuzz_w2v_bin check, each in
 * its own format. A file the reader accepts must hold finite vectors of the
 * announced shape, and must survive export and import again unchanged (words
 * and vectors bit for bit): what the reader lets in, the writer can write and
 * the reader take back. Include it once, after fuzz/scratch.h. */
#ifndef EL_FUZZ_W2V_ROUND_TRIP_H
#define EL_FUZZ_W2V_ROUND_TRIP_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/common.h"
#include "embed/w2v_format.h"

static char out_dir[4096];

static void remove_out_dir(void) { scratch_rmtree(out_dir); }

/* The round trip both word2vec targets check, in the given format. */
static int w2v_round_trip(const uint8_t *data, size_t size, int binary) {
    if (!out_dir[0]) {
        scratch_dir(out_dir, sizeof out_dir);
        atexit(remove_out_dir);
    }
    char path[64], again[4200];
    int fd = scratch_memfile(data, size, path, sizeof path);
    Embedding e, back;
    int rc = w2v_read(path, binary, &e);
    close(fd);
    if (rc != 0) {
        if (el_error()[0] == 0)
            abort();
        return 0;
    }
    if (e.n < 1 || e.dim < 1)
        abort();
    for (size_t i = 0; i < (size_t)e.n * e.dim; i++)
        if (!isfinite(e.vec[i]))
            abort();
    snprintf(again, sizeof again, "%s/again", out_dir);
    if (w2v_write(again, binary, &e) != 0 || w2v_read(again, binary, &back) != 0)
        abort();
    if (back.n != e.n || back.dim != e.dim || memcmp(back.vec, e.vec, (size_t)e.n * e.dim * sizeof(float)) != 0)
        abort();
    for (int32_t r = 0; r < e.n; r++)
        if (strcmp(emb_word(&e, r), emb_word(&back, r)) != 0)
            abort();
    emb_free(&back);
    emb_free(&e);
    return 0;
}

#endif
