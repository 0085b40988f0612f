/* core/progress.h: a progress bar on stderr with rate and ETA.
 *
 * Shown only when stderr is a terminal or --progress was given
 * (progress_force()). Updates are throttled, so calling progress_update()
 * often is cheap. */
#ifndef EL_PROGRESS_H
#define EL_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *label;
    const char *unit; /* what is counted, for the rate: "words", "batches" */
    double total;
    double start, last_draw;
    int enabled;
} Progress;

void progress_force(int on);
void progress_start(Progress *p, const char *label, double total, const char *unit);
/* extra: a short note drawn after the bar (for example "alpha 0.0213"), or NULL. */
void progress_update(Progress *p, double done, const char *extra);
void progress_end(Progress *p, double done, const char *extra);

/* "mm:ss" or "h:mm:ss"; "--:--" when s is negative or absurd (an unknown ETA). */
void format_duration(char *buf, size_t n, double s);

#endif
