/* experiments/plot.c: gnuplot plumbing and the review-length histogram. */
#include "experiments/plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common.h"

int plot_files(const char *image, PlotFiles *pf) {
    memset(pf, 0, sizeof *pf);
    size_t n = strlen(image);
    const char *dot = strrchr(image, '.'), *slash = strrchr(image, '/');
    if (!dot || (slash && dot < slash) || (strcmp(dot, ".png") != 0 && strcmp(dot, ".svg") != 0))
        return el_fail("plot file %s must end in .png or .svg", image);
    if (n + 8 > sizeof pf->image)
        return el_fail("plot path too long");
    pf->svg = strcmp(dot, ".svg") == 0;
    snprintf(pf->image, sizeof pf->image, "%s", image);
    int stem = (int)(dot - image);
    snprintf(pf->data, sizeof pf->data, "%.*s.dat", stem, image);
    snprintf(pf->script, sizeof pf->script, "%.*s.gp", stem, image);
    if (slash)
        snprintf(pf->dir, sizeof pf->dir, "%.*s", (int)(slash - image) + (slash == image), image);
    else
        snprintf(pf->dir, sizeof pf->dir, ".");
    const char *base = slash ? slash + 1 : image;
    snprintf(pf->image_name, sizeof pf->image_name, "%s", base);
    snprintf(pf->data_name, sizeof pf->data_name, "%.*s.dat", (int)(dot - base), base);
    snprintf(pf->script_name, sizeof pf->script_name, "%.*s.gp", (int)(dot - base), base);
    return 0;
}

FILE *plot_open_data(const PlotFiles *pf) {
    FILE *f = fopen(pf->data, "w");
    if (!f)
        el_fail("cannot write %s: %s", pf->data, strerror(errno));
    return f;
}

FILE *plot_open_script(const PlotFiles *pf, int width, int height) {
    FILE *gp = fopen(pf->script, "w");
    if (!gp) {
        el_fail("cannot write %s: %s", pf->script, strerror(errno));
        return NULL;
    }
    if (pf->svg)
        fprintf(gp, "set terminal svg size %d,%d dynamic enhanced font 'Sans,12' background rgb 'white'\n", width,
                height);
    else
        fprintf(gp, "set terminal pngcairo size %d,%d enhanced font 'Sans,11'\n", width, height);
    fprintf(gp, "set output '%s'\n", pf->image_name);
    return gp;
}

int plot_run(const PlotFiles *pf) {
    pid_t pid = fork();
    if (pid < 0)
        return el_fail("cannot start gnuplot: %s", strerror(errno));
    if (pid == 0) {
        if (chdir(pf->dir) != 0)
            _exit(126);
        /* gnuplot's own messages go to our stderr, where a user sees them. */
        execlp("gnuplot", "gnuplot", pf->script_name, (char *)NULL);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return el_fail("waiting for gnuplot: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return el_fail("gnuplot is not installed (Debian: apt-get install gnuplot-nox, or 'make deps')");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return el_fail("gnuplot failed on %s (the script and data are kept next to it)", pf->script);
    return 0;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int plot_lengths(const uint32_t *lengths, size_t n, int maxlen, const char *image) {
    PlotFiles pf;
    if (plot_files(image, &pf) != 0)
        return -1;
    if (n == 0)
        return el_fail("no reviews to plot");
    uint32_t *sorted = xmalloc(n * sizeof *sorted);
    memcpy(sorted, lengths, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_u32);
    /* Show up to the 99th percentile: the long tail would squash the bulk
     * into a few bins. The title says how many reviews lie beyond. */
    uint32_t limit = sorted[(size_t)(0.99 * (n - 1))];
    int width = limit > 600 ? 20 : 10;
    uint32_t xmax = (limit / width + 1) * width;
    size_t nbins = xmax / width, beyond = 0;
    size_t *bins = xcalloc(nbins, sizeof *bins);
    for (size_t i = 0; i < n; i++) {
        if (lengths[i] >= xmax)
            beyond++;
        else
            bins[lengths[i] / width]++;
    }
    FILE *dat = plot_open_data(&pf);
    if (!dat) {
        free(sorted);
        free(bins);
        return -1;
    }
    fprintf(dat, "# bin_start reviews  (bins of %d tokens; %zu reviews of %u tokens or more not shown)\n", width,
            beyond, xmax);
    for (size_t b = 0; b < nbins; b++)
        fprintf(dat, "%zu %zu\n", b * width, bins[b]);
    fclose(dat);
    FILE *gp = plot_open_script(&pf, 900, 520);
    if (!gp) {
        free(sorted);
        free(bins);
        return -1;
    }
    fprintf(gp,
            "# Review-length histogram written by embedlab; edit and rerun with: gnuplot %s\n"
            "set title 'Training review lengths (%zu reviews; %zu longer than %u not shown)'\n"
            "set xlabel 'review length (tokens)'\n"
            "set ylabel 'number of reviews'\n"
            "set xrange [0:%u]\n"
            "set yrange [0:*]\n"
            "set offsets 0, 0, graph 0.12, 0\n"
            "set grid ytics lc rgb '#dddddd'\n"
            "set style fill solid 0.85 border lc rgb '#1f3b73'\n"
            "binwidth = %d\n"
            "set boxwidth binwidth absolute\n"
            "set arrow 1 from %d, graph 0 to %d, graph 1 nohead front lw 2 dt 2 lc rgb '#c0392b'\n"
            "set style textbox opaque noborder\n"
            "set label 1 'maxlen = %d: longer reviews are cut' at %d, graph 0.95 offset 1,0 front boxed tc rgb "
            "'#c0392b'\n"
            "plot '%s' using ($1 + binwidth / 2.0):2 with boxes lc rgb '#4a78c2' notitle\n",
            pf.script_name, n, beyond, xmax, xmax, width, maxlen, maxlen, maxlen, maxlen, pf.data_name);
    fclose(gp);
    free(sorted);
    free(bins);
    return plot_run(&pf);
}
