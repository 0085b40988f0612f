/* core/progress.c: progress bar drawing. */
#include "core/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "core/common.h"

static int forced;

void progress_force(int on) { forced = on; }

void progress_start(Progress *p, const char *label, double total, const char *unit) {
    p->label = label;
    p->unit = unit;
    p->total = total > 0 ? total : 1;
    p->start = now_seconds();
    p->last_draw = 0;
    p->enabled = forced || isatty(2);
}

void format_duration(char *buf, size_t n, double s) {
    if (s < 0 || s > 1e7) {
        snprintf(buf, n, "--:--");
        return;
    }
    int t = (int)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%02d:%02d", t / 60, t % 60);
}

static void draw(Progress *p, double done, const char *extra, int final) {
    double now = now_seconds(), elapsed = now - p->start;
    double frac = done / p->total;
    if (frac > 1)
        frac = 1;
    double rate = elapsed > 0 ? done / elapsed : 0;
    char eta[32], bar[31];
    format_duration(eta, sizeof eta, final ? elapsed : (rate > 0 ? (p->total - done) / rate : -1));
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = 0;
    const char *scale = "";
    double shown = rate;
    if (shown >= 1e6) {
        shown /= 1e6;
        scale = "M";
    } else if (shown >= 1e4) {
        shown /= 1e3;
        scale = "k";
    }
    fprintf(stderr, "\r%s [%s] %5.1f%% %.1f%s %s/s %s %s%s%s\033[K", p->label, bar, 100 * frac, shown, scale, p->unit,
            final ? "took" : "ETA", eta, extra ? "  " : "", extra ? extra : "");
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

void progress_update(Progress *p, double done, const char *extra) {
    if (!p->enabled)
        return;
    double now = now_seconds();
    if (now - p->last_draw < 0.1)
        return;
    p->last_draw = now;
    draw(p, done, extra, 0);
}

void progress_end(Progress *p, double done, const char *extra) {
    if (!p->enabled)
        return;
    draw(p, done, extra, 1);
}
