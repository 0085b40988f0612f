/* experiments/plot.h: pictures through gnuplot.
 *
 * Every plot writes three files side by side: the image (PNG, or SVG when
 * the path ends in .svg), NAME.dat with the numbers and NAME.gp, the gnuplot
 * script, so a user can restyle it ("cd DIR && gnuplot NAME.gp").
 * gnuplot runs as a program in the image's folder. */
#ifndef EL_PLOT_H
#define EL_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Paths derived from an image path: NAME.dat, NAME.gp, and the bare file names. */
typedef struct {
    char image[4096], data[4096], script[4096];
    char dir[4096];
    char image_name[1024], data_name[1024], script_name[1024];
    int svg;
} PlotFiles;

int plot_files(const char *image, PlotFiles *pf);
/* NAME.dat, and NAME.gp already holding the terminal and output lines of a
 * width x height image, opened for writing; NULL with a message otherwise. */
FILE *plot_open_data(const PlotFiles *pf);
FILE *plot_open_script(const PlotFiles *pf, int width, int height);
/* Runs gnuplot on pf->script in pf->dir; -1 with a message if it fails. */
int plot_run(const PlotFiles *pf);

/* The review-length histogram: adjacent bins, a line at maxlen. */
int plot_lengths(const uint32_t *lengths, size_t n, int maxlen, const char *image);

#endif
