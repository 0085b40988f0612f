/* experiments/report/plot.h: pictures through gnuplot.
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

#include "core/outfile.h"

/* Paths derived from an image path: NAME.dat, NAME.gp, and the bare file
 * names; data_ref is './NAME.dat' as a gnuplot string, for plot commands. */
typedef struct {
    char image[4096], data[4096], script[4096];
    char dir[4096];
    char image_name[1024], data_name[1024], script_name[1024];
    char data_ref[2100];
    int svg;
} PlotFiles;

/* -1 with a message if image does not end in .png or .svg, is too long or
 * has a control character (it could not be written into a script as it is). */
int plot_files(const char *image, PlotFiles *pf);
/* NAME.dat, and NAME.gp already holding the terminal and output lines of a
 * width x height image, opened for writing (commit or abort them); -1 with a
 * message otherwise. */
int plot_open_data(const PlotFiles *pf, OutFile *o);
int plot_open_script(const PlotFiles *pf, int width, int height, OutFile *o);
/* Runs gnuplot on pf->script in pf->dir into a temp image, which becomes
 * pf->image if gnuplot succeeded and it is complete; -1 with a message
 * otherwise, with no temp image left. */
int plot_run(const PlotFiles *pf);

/* The review-length histogram: adjacent bins, a line at maxlen. */
int plot_lengths(const uint32_t *lengths, size_t n, int maxlen, const char *image);

#endif
