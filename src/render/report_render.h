/*
 * report_render: the monitoring report (report.h) as a file a person opens:
 * one HTML page with SVG charts, CSV with a section per table, an XLSX
 * workbook with a sheet per table, or an A4 PDF with the charts drawn as
 * vectors (docs/reports.md).  The command line (cmd_report.c) and the API
 * (api_reports.c) both render through here, so the two always agree.
 *
 * The anonymised version (DOMAIN §9, fit to publish under the Freedom of
 * Information Act) leaves out the tables marked personal and shows the
 * cells report_suppress hid as "<5" (primary) or "*" (secondary); the
 * caller runs report_suppress before rendering.
 *
 * Every value from the database reaches HTML through html_text/html_attr,
 * CSV through csv_field, XLSX as a string cell (never a formula) and PDF as
 * Pango text with markup off: escaping by construction.
 *
 * Output goes into a buffer the caller owns (html_buf, freed with
 * html_buf_free); XLSX passes through a temporary file, because
 * libxlsxwriter 1.1 writes only to files, removed before returning.
 */
#ifndef FH_REPORT_RENDER_H
#define FH_REPORT_RENDER_H

#include <stdbool.h>

#include "error.h"
#include "html.h"
#include "report.h"

typedef enum report_format {
	REPORT_FORMAT_HTML,
	REPORT_FORMAT_CSV,
	REPORT_FORMAT_XLSX,
	REPORT_FORMAT_PDF,
} report_format;

/* "html", "csv", "xlsx" or "pdf"; false for any other name. */
bool report_format_parse(const char *name, report_format *out);

/* The format's name, its media type, and the file extension it is saved with. */
const char *report_format_name(report_format f);
const char *report_format_media_type(report_format f);

/*
 * Appends the rendered report to out.  FH_ESTORE (with a message) only
 * when a library or the temporary file fails; the report itself cannot be
 * refused.
 */
fh_status report_render(const fh_report *r, report_format f, bool anonymised, html_buf *out,
			fh_error *err);

/* The formats, one file each (report_render dispatches). */
void report_render_html(const fh_report *r, bool anonymised, html_buf *out);
/*
 * The HTML page's content without the page around it (its period and
 * version, the charts, the tables, what is not in it), for a page of the
 * site's own layout (the staff reports page), whose stylesheet styles it.
 */
void report_render_html_body(const fh_report *r, bool anonymised, html_buf *out);
void report_render_csv(const fh_report *r, bool anonymised, html_buf *out);
fh_status report_render_xlsx(const fh_report *r, bool anonymised, html_buf *out, fh_error *err);
fh_status report_render_pdf(const fh_report *r, bool anonymised, html_buf *out, fh_error *err);

/* True when the table's small numbers are hidden in this version. */
bool report_render_suppressing(const report_table *t, bool anonymised);

/* True when a chart must not show this count (no bar, a gap in the line). */
bool report_chart_hidden(const report_cell *c, bool suppress);

/* The value a chart may draw: 0 for a hidden one, so that no bar's length
 * and no axis's scale is built on it. */
int64_t report_chart_value(const report_cell *c, bool suppress);

/* True when the row is a total ("all ..."), which every format sets apart. */
bool report_row_is_total(const report_table *t, size_t row);

/* The report's period and the one it is compared with, as ISO dates. */
typedef struct report_dates {
	char from[DATE_ISO_LEN], to[DATE_ISO_LEN], prev_from[DATE_ISO_LEN], prev_to[DATE_ISO_LEN];
} report_dates;
report_dates report_render_dates(const fh_report *r);

/* What every format cites as the rules the monitoring report answers to. */
#define REPORT_SOURCES "001 §4.3, §16; 003 \"Monitoring and learning\""

/* The report's title and sources: its own, or the monitoring report's. */
const char *report_title(const fh_report *r);
const char *report_sources(const fh_report *r);

/*
 * The bar chart of answers in time and late, every format's first chart:
 * which table, which columns are the label (one or two, joined by ", "),
 * in time and late, and how many rows it draws.  NULL for a report with
 * none.
 */
typedef struct report_ontime_chart {
	const report_table *t;
	size_t label_cols, ontime_col, late_col, rows;
} report_ontime_chart;
bool report_ontime_chart_of(const fh_report *r, report_ontime_chart *out);

/* The table with this id, or NULL. */
const report_table *report_find_table(const fh_report *r, const char *id);

#endif
