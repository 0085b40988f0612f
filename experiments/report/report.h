/* experiments/report/report.h: the report of a sweep, in Markdown (and HTML with
 * the sweep plot embedded): test accuracy mean ± std over seeds per cell,
 * input kind and dimension; parameters, input memory (one-hot materialised
 * against the embedding table) and seconds per epoch; one conclusion per
 * cell. Every number is an SQL aggregate over the sweep's finished runs. */
#ifndef EL_REPORT_H
#define EL_REPORT_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

int report_markdown(sqlite3 *db, int64_t sweep, FILE *out);
int report_html(sqlite3 *db, int64_t sweep, const char *path);

#endif
