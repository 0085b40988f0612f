/* fuzz/fuzz_grid.c: the sweep's grid parser and expansion (experiments/sweep/grid.c)
 * on arbitrary command lines. The input is the words after "sweep", one per
 * line. Every outcome must be a grid or a usage message (from grid_parse, or
 * from grid_expand when a value is one its config field refuses): no crash,
 * no leak, and points whose keys are all different. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/common.h"
#include "experiments/sweep/grid.h"

#define MAX_WORDS 256
/* Expanding is linear in the points; larger grids are only sized. */
#define MAX_EXPANDED 2000

static int by_key(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    char *argv[MAX_WORDS + 1];
    int argc = 0;
    argv[argc++] = "sweep";
    for (char *s = text, *end; argc < MAX_WORDS; s = end + 1) {
        end = strchr(s, '\n');
        if (end)
            *end = 0;
        argv[argc++] = s;
        if (!end)
            break;
    }
    argv[argc] = NULL;
    Grid g;
    if (grid_parse(argc, argv, &g) == 0 && !g.help) {
        int n = grid_size(&g);
        if (n >= 0 && n <= MAX_EXPANDED) {
            GridPoint *pts;
            int got = grid_expand(&g, "data/aclImdb", &pts);
            if (got < 0 && pts == NULL) { /* a value its field refuses: a usage message */
                grid_free(&g);
                free(text);
                return 0;
            }
            if (got != n)
                abort();
            /* The contract: one key per point. */
            char **keys = malloc(((size_t)got + 1) * sizeof *keys);
            for (int i = 0; i < got; i++)
                keys[i] = pts[i].key;
            qsort(keys, (size_t)got, sizeof *keys, by_key);
            for (int i = 1; i < got; i++)
                if (!strcmp(keys[i], keys[i - 1]))
                    abort();
            free(keys);
            grid_points_free(pts, got);
            free(grid_spec(&g, "data/aclImdb", NULL));
        }
    }
    grid_free(&g);
    free(text);
    return 0;
}
