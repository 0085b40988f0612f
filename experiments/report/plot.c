/* experiments/report/plot.c: gnuplot plumbing and the review-length histogram. */
#include "experiments/report/plot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/common.h"
#include "core/escape.h"

/* A file in the plot's folder as a gnuplot string: './NAME', quoted. */
static char *plot_file_ref(const char *name) {
    char *path = xmalloc(strlen(name) + 3);
    sprintf(path, "./%s", name);
    char *q = esc_gnuplot(path);
    free(path);
    return q;
}

int plot_files(const char *image, PlotFiles *pf) {
    memset(pf, 0, sizeof *pf);
    size_t n = strlen(image);
    for (const char *c = image; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return el_fail("plot file name has a control character");
    const char *dot = strrchr(image, '.'), *slash = strrchr(image, '/');
    if (!dot || (slash && dot < slash) || (strcmp(dot, ".png") != 0 && strcmp(dot, ".svg") != 0))
        return el_fail("plot file %s must end in .png or .svg", image);
    const char *base = slash ? slash + 1 : image;
    if (n + 8 > sizeof pf->image || strlen(base) + 8 > sizeof pf->image_name)
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
    snprintf(pf->image_name, sizeof pf->image_name, "%s", base);
    snprintf(pf->data_name, sizeof pf->data_name, "%.*s.dat", (int)(dot - base), base);
    snprintf(pf->script_name, sizeof pf->script_name, "%.*s.gp", (int)(dot - base), base);
    char *ref = plot_file_ref(pf->data_name);
    snprintf(pf->data_ref, sizeof pf->data_ref, "%s", ref);
    free(ref);
    return 0;
}

int plot_open_data(const PlotFiles *pf, OutFile *o) { return outfile_open(o, pf->data); }

int plot_open_script(const PlotFiles *pf, int width, int height, OutFile *o) {
    if (outfile_open(o, pf->script) != 0)
        return -1;
    if (pf->svg)
        fprintf(o->f, "set terminal svg size %d,%d dynamic enhanced font 'Sans,12' background rgb 'white'\n", width,
                height);
    else
        fprintf(o->f, "set terminal pngcairo size %d,%d enhanced font 'Sans,11'\n", width, height);
    char *image = plot_file_ref(pf->image_name);
    fprintf(o->f,
            "# embedlab sets outfile to draw into a temporary file first; on its own, this script draws %s\n"
            "if (!exists(\"outfile\")) outfile = %s\n"
            "set output outfile\n",
            image, image);
    free(image);
    return 0;
}

/* Whether gnuplot's image is whole: a PNG ends with its IEND chunk, an SVG
 * with </svg> (and white space). */
static int image_complete(const char *path, int svg) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    unsigned char tail[16];
    size_t got = 0;
    if (fseek(f, -(long)sizeof tail, SEEK_END) == 0 || fseek(f, 0, SEEK_SET) == 0)
        got = fread(tail, 1, sizeof tail, f);
    fclose(f);
    if (svg) {
        while (got > 0 && (tail[got - 1] == '\n' || tail[got - 1] == ' ' || tail[got - 1] == '\r'))
            got--;
        return got >= 6 && memcmp(tail + got - 6, "</svg>", 6) == 0;
    }
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    return got >= 12 && memcmp(tail + got - 12, iend, 12) == 0;
}

/* The finished temp image onto image: renamed, or copied through when image
 * is a link or device (the rule of core/outfile.h), then removed. */
static int move_image(const char *tmp, const char *image) {
    struct stat st;
    if (lstat(image, &st) != 0 || S_ISREG(st.st_mode))
        return rename(tmp, image) == 0 ? 0 : el_fail("writing %s: %s", image, strerror(errno));
    char *data;
    size_t len;
    OutFile o;
    if (read_file(tmp, &data, &len) != 0)
        return -1;
    int rc = outfile_open(&o, image);
    if (rc == 0) {
        fwrite(data, 1, len, o.f);
        rc = outfile_commit(&o);
    }
    free(data);
    unlink(tmp);
    return rc;
}

int plot_run(const PlotFiles *pf) {
    /* gnuplot runs in pf->dir: the temp image by its bare name there, and by
     * its path here. The script is named "./NAME.gp" so that a name starting
     * with '-' is not taken for an option. */
    char tmp[4200], bare[1100], rel[1200], script[1100];
    snprintf(bare, sizeof bare, "./%s", pf->image_name);
    if (outfile_temp_name(pf->image, tmp, sizeof tmp) != 0 || outfile_temp_name(bare, rel, sizeof rel) != 0)
        return el_fail("plot path too long");
    snprintf(script, sizeof script, "./%s", pf->script_name);
    char *q = esc_gnuplot(rel), *setting = xmalloc(strlen(q) + 16);
    sprintf(setting, "outfile = %s", q);
    free(q);
    pid_t pid = fork();
    if (pid < 0) {
        free(setting);
        return el_fail("cannot start gnuplot: %s", strerror(errno));
    }
    if (pid == 0) {
        if (chdir(pf->dir) != 0)
            _exit(126);
        /* gnuplot's own messages go to our stderr, where a user sees them. */
        execlp("gnuplot", "gnuplot", "-e", setting, script, (char *)NULL);
        _exit(127);
    }
    free(setting);
    int status, rc = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            rc = el_fail("waiting for gnuplot: %s", strerror(errno));
            break;
        }
    if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
        rc = el_fail("gnuplot is not installed (Debian: apt-get install gnuplot-nox, or 'make deps')");
    else if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
        rc = el_fail("gnuplot failed on %s (the script and data are kept next to it)", pf->script);
    else if (rc == 0 && !image_complete(tmp, pf->svg))
        rc = el_fail("writing %s: gnuplot's image is incomplete (is the disk full?)", pf->image);
    else if (rc == 0)
        rc = move_image(tmp, pf->image);
    if (rc != 0)
        unlink(tmp);
    return rc;
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
    OutFile dat, gp;
    if (plot_open_data(&pf, &dat) != 0) {
        free(sorted);
        free(bins);
        return -1;
    }
    fprintf(dat.f, "# bin_start reviews  (bins of %d tokens; %zu reviews of %u tokens or more not shown)\n", width,
            beyond, xmax);
    for (size_t b = 0; b < nbins; b++)
        fprintf(dat.f, "%zu %zu\n", b * width, bins[b]);
    free(sorted);
    free(bins);
    if (outfile_commit(&dat) != 0 || plot_open_script(&pf, 900, 520, &gp) != 0)
        return -1;
    fprintf(gp.f,
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
            "plot %s using ($1 + binwidth / 2.0):2 with boxes lc rgb '#4a78c2' notitle\n",
            pf.script_name, n, beyond, xmax, xmax, width, maxlen, maxlen, maxlen, maxlen, pf.data_ref);
    if (outfile_commit(&gp) != 0)
        return -1;
    return plot_run(&pf);
}
