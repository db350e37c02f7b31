/*
 * report_xlsx: the monitoring report as an XLSX workbook (libxlsxwriter),
 * the format managers open (DESIGN "spreadsheets"; docs/reports.md).
 *
 * The first sheet, "About", says what the workbook is: organisation,
 * scope, period, the previous period, whether it is anonymised, and what
 * the report cannot show.  Then one sheet per table, named by the table's
 * id (the CSV section's name, at most 31 characters as Excel requires):
 * the title, the note on how it is computed, the header row (frozen), the
 * rows.  Counts and measures are numbers, percentages numbers formatted as
 * 0.0%, changes numbers with their sign, so a manager can sort and chart
 * them; a suppressed cell is the text "<5" or "*", never a number.  Text is
 * written with worksheet_write_string, which never makes a formula, so a
 * summary starting with "=" stays text.
 */
#include "report_render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

typedef struct formats {
	lxw_format *title, *note, *header, *total, *total_n, *percent, *total_percent, *change,
		*total_change, *decimal, *total_decimal, *text;
} formats;

static lxw_format *fmt(lxw_workbook *wb, bool bold, const char *num, bool wrap)
{
	lxw_format *f = workbook_add_format(wb);
	if (bold)
		format_set_bold(f);
	if (num)
		format_set_num_format(f, num);
	if (wrap) {
		format_set_text_wrap(f);
		format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	}
	return f;
}

static void make_formats(lxw_workbook *wb, formats *f)
{
	f->title = fmt(wb, true, NULL, false);
	format_set_font_size(f->title, 14);
	f->note = fmt(wb, false, NULL, false);
	format_set_italic(f->note);
	f->header = fmt(wb, true, NULL, true);
	format_set_bg_color(f->header, 0xE8EEF7);
	format_set_bottom(f->header, LXW_BORDER_THIN);
	f->total = fmt(wb, true, NULL, false);
	f->total_n = fmt(wb, true, "0", false);
	f->percent = fmt(wb, false, "0.0%", false);
	f->total_percent = fmt(wb, true, "0.0%", false);
	f->change = fmt(wb, false, "+0;-0;0", false);
	f->total_change = fmt(wb, true, "+0;-0;0", false);
	f->decimal = fmt(wb, false, "0.0", false);
	f->total_decimal = fmt(wb, true, "0.0", false);
	f->text = fmt(wb, false, NULL, true);
}

/* One cell: a number where the cell is one and is shown, else its text. */
static void write_cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const report_cell *c,
		       bool suppress, bool total, const formats *f)
{
	char buf[32];
	const char *shown = report_cell_format(c, suppress, buf);
	bool number_shown = c->kind != REPORT_TEXT && shown[0] != '<' && shown[0] != '*' &&
			    strcmp(shown, "n/a") != 0;
	if (!number_shown) {
		worksheet_write_string(ws, row, col, shown, total ? f->total : NULL);
		return;
	}
	switch (c->kind) {
	case REPORT_COUNT:
		worksheet_write_number(ws, row, col, (double)c->n, total ? f->total_n : NULL);
		break;
	case REPORT_NUMBER: {
		double scale = 1;
		for (int i = 0; i < c->decimals; i++)
			scale *= 10;
		worksheet_write_number(ws, row, col, (double)c->n / scale,
				       c->decimals ? (total ? f->total_decimal : f->decimal)
						   : (total ? f->total_n : NULL));
		break;
	}
	case REPORT_PERCENT:
		/* The exact fraction; the format shows it to one decimal as the HTML does. */
		worksheet_write_number(ws, row, col, (double)c->n / (double)c->d,
				       total ? f->total_percent : f->percent);
		break;
	case REPORT_CHANGE:
		worksheet_write_number(ws, row, col, (double)(c->n - c->d),
				       total ? f->total_change : f->change);
		break;
	case REPORT_TEXT:
		break;
	}
}

static void write_table(lxw_workbook *wb, const report_table *t, bool anonymised,
			const formats *f)
{
	bool suppress = report_render_suppressing(t, anonymised);
	lxw_worksheet *ws = workbook_add_worksheet(wb, t->id);
	worksheet_write_string(ws, 0, 0, t->title, f->title);
	worksheet_write_string(ws, 1, 0, t->note, f->note);
	enum { HEAD = 3 };
	for (size_t c = 0; c < t->ncols; c++) {
		worksheet_write_string(ws, HEAD, (lxw_col_t)c, t->cols[c], f->header);
		/* Text columns wide enough to read, numbers narrower. */
		bool text = t->nrows && report_cell_at(t, 0, c)->kind == REPORT_TEXT;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, text ? (c ? 40 : 30) : 16,
				     text && c ? f->text : NULL);
	}
	worksheet_freeze_panes(ws, HEAD + 1, 0);
	if (t->nrows == 0)
		worksheet_write_string(ws, HEAD + 1, 0, "none in the period", NULL);
	for (size_t r = 0; r < t->nrows; r++) {
		bool total = report_row_is_total(t, r);
		for (size_t c = 0; c < t->ncols; c++)
			write_cell(ws, (lxw_row_t)(HEAD + 1 + r), (lxw_col_t)c, report_cell_at(t, r, c),
				   suppress, total, f);
	}
}

static void write_about(lxw_workbook *wb, const fh_report *r, bool anonymised, const formats *f)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, "About");
	report_dates d = report_render_dates(r);
	worksheet_set_column(ws, 0, 0, 22, NULL);
	worksheet_set_column(ws, 1, 1, 90, f->text);
	worksheet_write_string(ws, 0, 0, report_title(r), f->title);
	char sources[512];
	snprintf(sources, sizeof sources, "%s; docs/reports.md", report_sources(r));
	const char *rows[][2] = {
		{"Organisation", r->org_name},
		{"Organisation code", r->org_code},
		{"Team or service", r->team ? r->team : "the whole organisation"},
		{"From", d.from},
		{"To", d.to},
		{"Previous period from", d.prev_from},
		{"Previous period to", d.prev_to},
		{"Version", anonymised ? "Anonymised: no names; counts of 1 to 4 shown as <5, and "
					 "cells marked * hidden so that a <5 cannot be worked out "
					 "from a total"
				       : "Not for publication: includes officers' names and case "
					 "text; publish the anonymised version instead"},
		{"Sources", sources},
	};
	lxw_row_t row = 2;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, row++) {
		worksheet_write_string(ws, row, 0, rows[i][0], f->total);
		worksheet_write_string(ws, row, 1, rows[i][1] ? rows[i][1] : "", NULL);
	}
	for (size_t i = 0; i < r->nnotes; i++, row++) {
		worksheet_write_string(ws, row, 0, "Not in this report", f->total);
		worksheet_write_string(ws, row, 1, r->notes[i], NULL);
	}
}

static fh_status slurp_into(const char *path, html_buf *out, fh_error *err)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return error_set(err, FH_ESTORE, "format", NULL, "cannot read the workbook back: %s",
				 strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		html_bytes(out, chunk, n);
	bool bad = ferror(fp);
	fclose(fp);
	if (bad)
		return error_set(err, FH_ESTORE, "format", NULL, "reading the workbook back failed");
	return FH_OK;
}

fh_status report_render_xlsx(const fh_report *r, bool anonymised, html_buf *out, fh_error *err)
{
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/fairhearing-report-XXXXXX",
		 tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return error_set(err, FH_ESTORE, "format", NULL,
				 "cannot create a temporary file for the workbook: %s", strerror(errno));
	close(fd);
	lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &options);
	if (!wb) {
		unlink(path);
		return error_set(err, FH_ESTORE, "format", NULL, "cannot start the workbook");
	}
	/* libxlsxwriter's properties are not const; it copies them. */
	char *title = strdup(r->title ? r->title
				      : "Complaints, comments and compliments: monitoring report");
	char anon[] = "Anonymised", full[] = "Not for publication";
	char *company = strdup(r->org_name ? r->org_name : "");
	workbook_set_properties(wb, &(lxw_doc_properties){
		.title = title, .company = company, .comments = anonymised ? anon : full});
	free(company);
	free(title);
	formats f;
	make_formats(wb, &f);
	write_about(wb, r, anonymised, &f);
	for (size_t i = 0; i < r->ntables; i++)
		if (!(anonymised && r->tables[i]->personal))
			write_table(wb, r->tables[i], anonymised, &f);
	lxw_error rc = workbook_close(wb);
	fh_status s = rc == LXW_NO_ERROR
		? slurp_into(path, out, err)
		: error_set(err, FH_ESTORE, "format", NULL, "writing the workbook failed: %s",
			    lxw_strerror(rc));
	unlink(path);
	return s;
}
